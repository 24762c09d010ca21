"""The sav profile's part of the HTML report: masklets per video, size buckets, manual
versus auto, and thumbnails of flagged masks drawn on their frame (read from the video
beside the JSON when there is one; on a dark canvas otherwise)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vidaudit.profiles.parts import ReportSection
from vidaudit.profiles.sav.layout import TRAIN_FILE
from vidaudit.profiles.sav.summary import Summary

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.graphics.thumbnails import Thumbnail
    from vidaudit.model import Finding

THUMB_WIDTH = 240
MAX_JSON_BYTES = 256 << 20


def section(dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
            frame_dir: Path | None) -> ReportSection | None:
    summary = dataset.stats.get("sav")
    if not isinstance(summary, Summary):
        return None
    per_video = sorted(summary.per_video.items())
    largest = max((n for _, n in per_video), default=0)
    context = {
        "s": summary,
        "per_video": [(k, n, n / largest if largest else 0) for k, n in per_video],
        "buckets": [(b, summary.buckets.get(b, 0)) for b in ("small", "medium", "large")],
        "bucket_total": sum(summary.buckets.values()),
        "kinds": [(k, summary.files.get(k, 0), summary.masklets.get(k, 0))
                  for k in ("manual", "auto")],
        "layouts": sorted(summary.layouts.items()),
    }
    thumbs: dict[str, list[Thumbnail]] = {}
    for flagged in summary.flagged:
        made = _thumbnail(flagged, findings)
        if made is not None:
            code, thumb = made
            thumbs.setdefault(code, []).append(thumb)
    cards = [(summary.videos, "videos"), (sum(summary.masklets.values()), "masklets")]
    if summary.masks:
        cards.append((summary.masks, "val/test masks"))
    return ReportSection("vidaudit.profiles.sav", "sav.html.j2", context, thumbs, cards)


def _thumbnail(flagged: dict[str, Any], findings: Mapping[str, Sequence[Finding]]
               ) -> tuple[str, Thumbnail] | None:
    """The flagged mask of a train file, drawn in red over its frame."""
    from vidaudit.graphics.thumbnails import Thumbnail, canvas
    from vidaudit.profiles.sav import rle

    path = Path(flagged["file"])
    match = TRAIN_FILE.fullmatch(path.name)
    if match is None:
        return None
    code = next((c for c, group in findings.items()
                 if any(f.file == flagged["file"] for f in group)), None)
    if code is None:
        return None
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return None
        data = json.loads(path.read_bytes())
        item = data["masklet"][flagged["frame"]][flagged["object"]]
        height, width = int(data["video_height"]), int(data["video_width"])
        size = item["size"]
        measured = rle.measure([item["counts"]], [int(size[0]) * int(size[1])])
        if not measured.valid[0]:
            return None
        mask = rle.decode(item["counts"], int(size[0]), int(size[1]))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    frame = _frame(path.with_name(f"{match.group(1)}.mp4"), 4 * int(flagged["frame"]))
    if frame is None or frame.shape[:2] != mask.shape:
        frame = np.full((*mask.shape, 3), 40, dtype=np.uint8)
    image = _draw(frame, mask)
    if image is None:
        return None
    ys, xs = np.nonzero(mask)
    cx, cy = (float(xs.mean()), float(ys.mean())) if xs.size else (width / 2, height / 2)
    title = f"{flagged['video_id']}, masklet {flagged['object']}"
    caption = f"annotated frame {flagged['frame']} (video frame {4 * flagged['frame']})"
    return code, Thumbnail(title, caption, canvas(mask.shape[1], mask.shape[0], cx, cy), image)


def _frame(video: Path, index: int) -> np.ndarray | None:
    if not video.is_file():
        return None
    import cv2

    capture = cv2.VideoCapture(str(video))
    try:
        capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = capture.read()
        return frame if ok else None
    finally:
        capture.release()


def _draw(frame: np.ndarray, mask: np.ndarray) -> str | None:
    import cv2

    shown = frame.copy()
    red = np.zeros_like(shown)
    red[..., 2] = 255
    on = mask.astype(bool)
    shown[on] = (0.45 * shown[on] + 0.55 * red[on]).astype(np.uint8)
    scale = THUMB_WIDTH / max(shown.shape[1], 1)
    if scale < 1:
        shown = cv2.resize(shown, (THUMB_WIDTH, max(1, round(shown.shape[0] * scale))),
                           interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", shown, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(data.tobytes()).decode("ascii")
