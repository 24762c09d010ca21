"""Synthetic SA-V data: train masklet files whose statistics agree with their masks
(made and encoded with pycocotools), val/test frames and masks, and the planted
problems of the broken sample. Deterministic for a seed."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

HEIGHT, WIDTH = 120, 96
"""Portrait, like the real sample (a swapped RLE size is then visible), and large enough
for all three size buckets (large is above 96² = 9216 pixels)."""
FPS = 24


@dataclass
class Masklets:
    """One video's masks: per annotated frame, per object, a boolean mask."""

    masks: list[list[np.ndarray]]
    height: int
    width: int

    @property
    def frames(self) -> int:
        return len(self.masks)

    @property
    def objects(self) -> int:
        return len(self.masks[0]) if self.masks else 0


def make_masklets(rng: np.random.Generator, annotated: int, objects: int,
                  height: int = HEIGHT, width: int = WIDTH, empty: tuple[int, ...] = (),
                  late: tuple[int, ...] = ()) -> Masklets:
    """Moving rectangles of assorted sizes that sometimes disappear (occlusion); objects
    in ``late`` appear after the first frame, those in ``empty`` never."""
    masks: list[list[np.ndarray]] = [[] for _ in range(annotated)]
    for o in range(objects):
        side_h = int(rng.integers(4, height - 2))
        side_w = int(rng.integers(4, width - 2))
        if o % 3 == 0:
            side_h, side_w = int(rng.integers(3, 20)), int(rng.integers(3, 20))
        side_h, side_w = min(side_h, height - 1), min(side_w, width - 1)
        top, left = int(rng.integers(0, height - side_h)), int(rng.integers(0, width - side_w))
        start = int(rng.integers(1, max(2, annotated // 2))) if o in late else 0
        for f in range(annotated):
            mask = np.zeros((height, width), dtype=np.uint8)
            hidden = f < start or o in empty or (f > start and rng.random() < 0.15)
            if not hidden:
                dy = int(rng.integers(-2, 3))
                t = min(max(top + dy, 0), height - side_h)
                mask[t:t + side_h, left:left + side_w] = 1
            masks[f].append(mask)
    return Masklets(masks, height, width)


def encode(mask: np.ndarray) -> dict[str, Any]:
    from pycocotools import mask as coco_mask

    encoded = coco_mask.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {"size": [int(encoded["size"][0]), int(encoded["size"][1])],
            "counts": encoded["counts"].decode("ascii")}


def bucket(size_abs: float) -> str:
    if size_abs < 32 ** 2:
        return "small"
    return "medium" if size_abs < 96 ** 2 else "large"


def masklet_file(video_id: str, kind: str, masklets: Masklets, frame_count: int,
                 rng: np.random.Generator, environment: str = "Indoor") -> dict[str, Any]:
    """A train file as SA-V writes it (whole numbers as floats where the real files have
    them), its statistics computed from the masks."""
    n, resolution = masklets.objects, masklets.height * masklets.width
    areas = np.array([[float(m.sum()) for m in frame] for frame in masklets.masks])
    size_abs, first, changes = [], [], []
    for o in range(n):
        visible = areas[:, o] > 0
        if visible.any():
            start = int(np.argmax(visible))
            size_abs.append(round(float(areas[visible, o].mean()), 10))
            changes.append(int(np.count_nonzero(visible[start + 1:] != visible[start:-1])))
        else:
            start = 0
            size_abs.append(0.0)
            changes.append(0)
        first.append(start)
    manual = kind == "manual"
    return {
        "video_id": video_id,
        "video_duration": frame_count / FPS,
        "video_frame_count": float(frame_count),
        "video_height": float(masklets.height),
        "video_width": float(masklets.width),
        "video_resolution": float(resolution),
        "video_environment": environment,
        "video_split": "train",
        "masklet": [[encode(m) for m in frame] for frame in masklets.masks],
        "masklet_id": list(range(n)),
        "masklet_size_rel": [round(a / resolution, 10) for a in size_abs],
        "masklet_size_abs": size_abs,
        "masklet_size_bucket": [bucket(a) for a in size_abs],
        "masklet_visibility_changes": changes,
        "masklet_first_appeared_frame": [float(f) for f in first] if manual else [0] * n,
        "masklet_frame_count": [masklets.frames] * n,
        "masklet_edited_frame_count": [int(rng.integers(0, masklets.frames + 1))
                                       for _ in range(n)] if manual else [0] * n,
        "masklet_type": [kind] * n,
        "masklet_stability_score": [None] * n if manual else
        [[round(float(rng.uniform(0.9, 1.0)), 6) for _ in range(n)]
         for _ in range(masklets.frames)],
        "masklet_num": n,
    }


def dumps(data: dict[str, Any]) -> bytes:
    """One line, ``", "`` and ``": "`` separators, as the real files."""
    return json.dumps(data).encode("utf-8")


@dataclass
class TrainVideo:
    video_id: str
    frame_count: int
    manual: dict[str, Any] | None
    auto: dict[str, Any] | None


def train_video(seed: int, video_id: str, frame_count: int = 37, manual_objects: int = 3,
                auto_objects: int = 4, empty: tuple[int, ...] = (),
                late: tuple[int, ...] = (1,), with_auto: bool = True,
                with_manual: bool = True) -> TrainVideo:
    rng = np.random.default_rng(seed)
    annotated = math.ceil(frame_count / 4)
    manual = masklet_file(video_id, "manual",
                          make_masklets(rng, annotated, manual_objects, empty=empty,
                                        late=late), frame_count, rng) if with_manual else None
    auto = masklet_file(video_id, "auto", make_masklets(rng, annotated, auto_objects),
                        frame_count, rng) if with_auto else None
    return TrainVideo(video_id, frame_count, manual, auto)


def video_bytes(frame_count: int, height: int, width: int) -> bytes:
    """A small MP4 (OpenCV's mp4v) of ``frame_count`` grey frames."""
    import os
    import tempfile

    import cv2

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "video.mp4")
        writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"mp4v"), FPS, (width, height))
        for i in range(frame_count):
            writer.write(np.full((height, width, 3), (i * 7) % 256, dtype=np.uint8))
        writer.release()
        with open(path, "rb") as handle:
            return handle.read()


# --- val/test -----------------------------------------------------------------------------

def jpeg(height: int, width: int, shade: int) -> bytes:
    import cv2

    image = np.full((height, width, 3), shade, dtype=np.uint8)
    image[: height // 2] //= 2
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return data.tobytes()


def png(mask: np.ndarray) -> bytes:
    import cv2

    ok, data = cv2.imencode(".png", mask)
    assert ok
    return data.tobytes()


@dataclass
class ValVideo:
    """Files of one val/test video, relative to the split folder."""

    video_id: str
    files: dict[str, bytes] = field(default_factory=dict)


def val_video(seed: int, video_id: str, frame_count: int = 13, objects: int = 2,
              height: int = 24, width: int = 16) -> ValVideo:
    rng = np.random.default_rng(seed)
    video = ValVideo(video_id)
    for i in range(frame_count):
        video.files[f"JPEGImages_24fps/{video_id}/{i:05d}.jpg"] = jpeg(height, width, 40 + i)
    annotated = math.ceil(frame_count / 4)
    masklets = make_masklets(rng, annotated, objects, height, width)
    for f in range(annotated):
        for o in range(objects):
            mask = masklets.masks[f][o] * 255
            if f not in (0, annotated - 1) and not mask.any():
                mask[0, 0] = 255  # visible in every evaluated frame (VA811 stays quiet)
            video.files[f"Annotations_6fps/{video_id}/{o:03d}/{4 * f:05d}.png"] = png(mask)
    return video
