"""Real media for a synthetic release: videos written with OpenCV, frames extracted from them.

Frames are extracted with the published procedure: ``cv2.VideoCapture`` on the
video, one JPEG per decoded frame, ``frame_%05d.jpg`` from 0, at the video's own
frame rate. Picture content is drawn from the video id (a fixed seed), so the same
release gives the same pictures.

What the ``opencv-python-headless`` wheel can write here (its bundled FFmpeg):
WebM with VP8 (``VP80``) and VP9 (``VP90``), MP4 with MPEG-4 Part 2 (``mp4v``),
AVI with Motion JPEG (``MJPG``) or Xvid (``XVID``), Matroska with VP9, FFV1 or
MJPG. It cannot write H.264 (``avc1``) or AV1. Every writer rounds an odd width
down to even (427 -> 426), so :func:`even_widths` widens such videos by one pixel
first (a point inside 427 is inside 428 too).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidaudit.synth.metadata import Release, VideoInfo

FOURCC = {".webm": "VP80", ".mp4": "mp4v", ".avi": "MJPG", ".mkv": "VP90"}
"""The codec written for each container by default."""
FPS = 12.0
"""SSv2's native frame rate."""


def _cv2() -> Any:
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    import cv2

    return cv2


def even_widths(release: Release) -> Release:
    """The release with odd frame widths widened by one (what OpenCV can write)."""
    videos = {v: dataclasses.replace(info, width=info.width + info.width % 2)
              for v, info in release.videos.items()}
    return dataclasses.replace(release, videos=videos)


def picture(info: VideoInfo, index: int) -> Any:
    """Frame ``index`` of the video: a colour field from the id, a square moving across."""
    import numpy as np

    cv2 = _cv2()
    rng = np.random.default_rng(int(info.video_id))
    base = rng.integers(40, 200, size=3)
    ramp = np.linspace(0, 50, info.width, dtype=np.float32)
    image = np.empty((info.height, info.width, 3), np.uint8)
    image[:] = np.clip(base[None, None, :] + ramp[None, :, None], 0, 255).astype(np.uint8)
    span = max(1, info.width - 40)
    x = (index * 7) % span
    cv2.rectangle(image, (x, 60), (x + 40, 100), (255, 255, 255), -1)
    cv2.putText(image, str(index), (10, info.height - 20), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                (0, 0, 0), 2)
    return image


def write_video(info: VideoInfo, path: Path, fourcc: str | None = None,
                fps: float = FPS) -> None:
    cv2 = _cv2()
    if info.width % 2:
        raise ValueError(f"OpenCV writes even widths only; video {info.video_id} is "
                         f"{info.width} wide (see even_widths)")
    code = fourcc or FOURCC[path.suffix.lower()]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*code), fps,
                             (info.width, info.height))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {code} into {path.suffix}")
    try:
        for index in range(info.frame_count):
            writer.write(picture(info, index))
    finally:
        writer.release()


def extract_frames(video: Path, folder: Path) -> int:
    """The published extraction: every decoded frame as ``frame_%05d.jpg``; the count."""
    cv2 = _cv2()
    folder.mkdir(parents=True, exist_ok=True)
    capture = cv2.VideoCapture(str(video))
    count = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            cv2.imwrite(str(folder / f"frame_{count:05d}.jpg"), frame)
            count += 1
    finally:
        capture.release()
    return count


def write_media(release: Release, *, videos: Path | None = None, frames: Path | None = None,
                suffixes: Sequence[str] = (".webm",), fourcc: str | None = None
                ) -> dict[str, int]:
    """Write each video of the release to ``videos/<id><suffix>`` and/or its extracted
    frames to ``frames/<id>/``; returns the number of frames extracted per video
    (when ``frames`` is given). Videos take the ``suffixes`` in turn."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for number, (video_id, info) in enumerate(release.videos.items()):
            suffix = suffixes[number % len(suffixes)]
            target = (videos or Path(scratch)) / f"{video_id}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            write_video(info, target, fourcc)
            if frames is not None:
                counts[video_id] = extract_frames(target, frames / video_id)
            if videos is None:
                target.unlink()
    return counts


def write_frames_directly(info: VideoInfo, folder: Path, quality: int = 90) -> None:
    """Frames written as JPEGs without a video in between (any width; for benchmarks)."""
    cv2 = _cv2()
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(info.frame_count):
        cv2.imwrite(str(folder / f"frame_{index:05d}.jpg"), picture(info, index),
                    [cv2.IMWRITE_JPEG_QUALITY, quality])
