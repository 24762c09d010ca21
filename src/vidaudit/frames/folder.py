"""Probe one frames folder: list it, read the headers of its first and last frame.

With ``deep``, every frame is read and decoded with OpenCV instead: a truncated or
corrupt frame in the middle, or one of another size, is only found that way.
"""

from __future__ import annotations

import os
from pathlib import Path

from vidaudit.frames.jpeg import BadJpeg, ends_complete, header_size
from vidaudit.frames.paths import IMAGE_SUFFIXES, Entry, frame_index, inside
from vidaudit.frames.rows import MediaRow

SHOWN = 3
"""How many problem frames a row names before saying "and N more"."""


def probe_folder(root: Path, root_real: str, entry: Entry, deep: bool = False) -> MediaRow:
    row = MediaRow(entry.video_id, source=f"{entry.name}/", count_method="files",
                   checked="all" if deep else "headers")
    path = os.path.join(root, entry.name)
    if entry.is_link and not inside(root_real, path):
        row.unreadable = "is a symbolic link that leads out of the frames folder (not followed)"
        return row
    try:
        stat = os.stat(path)
        with os.scandir(path) as listing:
            items = list(listing)
    except NotADirectoryError:
        row.unreadable = "is a file, not a folder of frames"
        return row
    except OSError as error:
        row.unreadable = f"cannot be listed ({error.strerror or error})"
        return row
    frames: dict[int, os.DirEntry[str]] = {}
    for item in items:
        index = frame_index(item.name)
        if index is not None:
            frames[index] = item
        elif item.name.lower().endswith(IMAGE_SUFFIXES):
            row.extra += 1
    row.frame_count = len(frames)
    row.mtime = stat.st_mtime_ns
    row.size = 0
    if not frames:
        return row
    first, last = min(frames), max(frames)
    row.first_index = first
    row.gaps = last + 1 - len(frames)
    if deep:
        _decode_all(row, path, root_real, frames)
    else:
        _read_ends(row, path, root_real, frames[first], frames[last])
    _stamp(row, path, frames[first], frames[last])
    return row


def _stamp(row: MediaRow, path: str, first: os.DirEntry[str], last: os.DirEntry[str]) -> None:
    """size = bytes of the first and last frame, mtime = newest of them and the folder.

    The folder's mtime changes when frames are added, removed or renamed; the two
    frames' stamps catch a re-extraction that overwrote files in place.
    """
    try:
        stats = [first.stat()] + ([last.stat()] if last is not first else [])
    except OSError:
        row.size = row.mtime = None
        return
    row.size = sum(s.st_size for s in stats)
    row.mtime = max([row.mtime or 0, *(s.st_mtime_ns for s in stats)])


def _size_of(path: str, root_real: str, item: os.DirEntry[str], check_end: bool = True
             ) -> tuple[int, int]:
    if item.is_symlink() and not inside(root_real, os.path.join(path, item.name)):
        raise BadJpeg("symbolic link out of the frames folder (not followed)")
    return header_size(os.path.join(path, item.name), check_end)


def _read_ends(row: MediaRow, path: str, root_real: str, first: os.DirEntry[str],
               last: os.DirEntry[str]) -> None:
    sizes: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    for item in (first, last) if last is not first else (first,):
        try:
            sizes[item.name] = _size_of(path, root_real, item)
        except (BadJpeg, OSError) as error:
            problems.append(f"{item.name}: {_reason(error)}")
    row.unreadable = "; ".join(problems)
    if sizes:
        names = list(sizes)
        row.width, row.height = sizes[names[0]]
        if len(names) == 2 and sizes[names[0]] != sizes[names[1]]:
            row.size_mismatch = _mismatch(names[1], sizes[names[1]], names[0], sizes[names[0]])


def _decode_all(row: MediaRow, path: str, root_real: str,
                frames: dict[int, os.DirEntry[str]]) -> None:
    import cv2
    import numpy as np

    cv2.setNumThreads(1)
    bad: list[str] = []
    other: list[str] = []
    reference: tuple[str, tuple[int, int]] | None = None
    for index in sorted(frames):
        item = frames[index]
        name = item.name
        try:
            if item.is_symlink() and not inside(root_real, os.path.join(path, name)):
                raise BadJpeg("symbolic link out of the frames folder (not followed)")
            with open(os.path.join(path, name), "rb") as handle:
                data = handle.read()
            if not ends_complete(data[-32:]):
                raise BadJpeg("truncated JPEG (no end marker)" if data else "empty file")
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            if image is None:
                raise BadJpeg("cannot be decoded")
        except (BadJpeg, OSError) as error:
            bad.append(f"{name}: {_reason(error)}")
            continue
        size = (int(image.shape[1]), int(image.shape[0]))
        if reference is None:
            reference = (name, size)
            row.width, row.height = size
        elif size != reference[1]:
            other.append(_mismatch(name, size, *reference))
    row.unreadable = _listed(bad)
    row.size_mismatch = _listed(other)


def _listed(problems: list[str]) -> str:
    if len(problems) <= SHOWN:
        return "; ".join(problems)
    return "; ".join(problems[:SHOWN]) + f"; and {len(problems) - SHOWN} more"


def _mismatch(name: str, size: tuple[int, int], reference: str,
              reference_size: tuple[int, int]) -> str:
    return f"{name} is {size[0]}x{size[1]}, {reference} is {reference_size[0]}x{reference_size[1]}"


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"cannot be read ({error.strerror or error})"
    return str(error)
