"""Probe one video file with OpenCV.

By default the frame count is the container's (``CAP_PROP_FRAME_COUNT``,
``count_method="container"``), which for some formats (WebM in particular) is an
estimate from the duration; the first frame is decoded to prove the file plays.
``exact`` counts by decoding every frame (``"decoded"``); ``deep`` also compares
every frame's size. A container that reports no count is counted by decoding.
When decoding yields clearly fewer frames than the container announces (more than
two and more than a tenth fewer: the announced count of a sound WebM can be off by
one), the file is truncated or corrupt (VA405).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from vidaudit.frames.paths import Entry, inside
from vidaudit.frames.rows import MediaRow
from vidaudit.links import missing_content


def quiet_opencv() -> Any:
    """Import cv2 with its logging silenced and one thread (we parallelise by process)."""
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    import cv2

    cv2.setNumThreads(1)
    return cv2


def probe_video(root: Path, root_real: str, entry: Entry, exact: bool = False,
                deep: bool = False) -> MediaRow:
    cv2 = quiet_opencv()
    row = MediaRow(entry.video_id, source=entry.name, count_method="container",
                   checked="all" if deep else "headers")
    path = os.path.join(root, entry.name)
    if entry.is_link and not inside(root_real, path):
        row.unreadable = ("is a symbolic link that leads out of the videos folder and its git "
                          "repository (not followed)")
        return row
    try:
        stat = os.stat(path)
    except OSError as error:
        dangling = entry.is_link and isinstance(error, FileNotFoundError)  # not fetched?
        row.unreadable = (f"is {missing_content(os.path.realpath(path))}" if dangling
                          else f"cannot be read ({error.strerror or error})")
        return row
    row.size, row.mtime = stat.st_size, stat.st_mtime_ns
    if not os.path.isfile(path):
        row.unreadable = "is not a file"
        return row
    if stat.st_size == 0:
        row.unreadable = "is an empty file"
        return row
    capture = cv2.VideoCapture(path)
    try:
        if not capture.isOpened():
            row.unreadable = "cannot be opened as a video"
            return row
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        fps = float(capture.get(cv2.CAP_PROP_FPS))
        row.fps = round(fps, 3) if fps > 0 else None
        ok, frame = capture.read()
        if not ok or frame is None:
            row.unreadable = "no frame can be decoded"
            return row
        row.height, row.width = int(frame.shape[0]), int(frame.shape[1])
        if exact or deep or count <= 0:
            row.count_method = "decoded"
            announced, count = count, _count_rest(capture, row, deep) + 1
            if announced - count > max(2, announced // 10):
                row.unreadable = (f"the container announces {announced} frames but only "
                                  f"{count} decode (truncated or corrupt)")
        row.frame_count = count
    finally:
        capture.release()
    return row


def _count_rest(capture: Any, row: MediaRow, deep: bool) -> int:
    """Decode the frames after the first; ``deep`` also compares their sizes."""
    count = 0
    reference = (row.width, row.height)
    while True:
        if deep:
            ok, frame = capture.read()
            if not ok:
                break
            size = (int(frame.shape[1]), int(frame.shape[0]))
            if size != reference and not row.size_mismatch:
                row.size_mismatch = (f"frame {count + 1} is {size[0]}x{size[1]}, "
                                     f"frame 0 is {reference[0]}x{reference[1]}")
        elif not capture.grab():
            break
        count += 1
    return count
