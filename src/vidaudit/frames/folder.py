"""Probe one frames folder: list it, read the headers of its first and last frame.

The common case (exactly ``frame_00000.jpg .. frame_{n-1}``) is recognised with one
set comparison rather than a regular expression per file, and files are opened
relative to the folder's descriptor with ``O_NOFOLLOW``: a link is only followed
after checking that it stays inside the root. With ``deep``, every frame is read
and decoded with OpenCV instead: a corrupt frame in the middle, or one of another
size, is only found that way.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from vidaudit.frames.jpeg import BadJpeg, ends_complete, read_header, sof_size
from vidaudit.frames.paths import (
    DEFAULT_NAMING,
    IMAGE_SUFFIXES,
    Entry,
    FrameNaming,
    frame_name,
    inside,
)
from vidaudit.frames.rows import MediaRow
from vidaudit.links import missing_content

SHOWN = 3
"""How many problem frames a row names before saying "and N more"."""
_NAMES: list[str] = []
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
MAX_FRAME_BYTES = 64 << 20
"""A JPEG frame is tens of kilobytes; a file this large is not read (--deep reads all)."""
MAX_FRAME_PIXELS = 8192 * 8192
"""Decoding allocates what the header declares: a 700-byte file saying 30000x30000
would take 2.7 GB and seconds, so --deep refuses more than this (8K video is 33 MP)."""


def canonical_names(count: int, naming: FrameNaming = DEFAULT_NAMING) -> list[str]:
    """The first ``count`` names of ``naming`` (``frame_00000.jpg`` .. ``frame_{count-1}``
    by default, cached)."""
    if naming != DEFAULT_NAMING:
        return [naming.name(naming.first + i) for i in range(count)]
    while len(_NAMES) < count:
        _NAMES.append(frame_name(len(_NAMES)))
    return _NAMES[:count]


def probe_folder(root: Path, root_real: str, entry: Entry, deep: bool = False,
                 naming: FrameNaming = DEFAULT_NAMING) -> MediaRow:
    """One folder's row. ``first_index`` and ``gaps`` are relative to ``naming``'s
    first index, so 0 means "starts where the naming says" whatever the naming."""
    row = MediaRow(entry.video_id, source=f"{entry.name}/", count_method="files",
                   checked="all" if deep else "headers")
    path = os.path.join(root, entry.name)
    if entry.is_link and not inside(root_real, path):
        row.unreadable = ("is a symbolic link that leads out of the frames folder and its git "
                          "repository (not followed)")
        return row
    try:
        folder = os.open(path, _DIRECTORY)
    except NotADirectoryError:
        row.unreadable = "is a file, not a folder of frames"
        return row
    except OSError as error:
        row.unreadable = f"cannot be opened ({error.strerror or error})"
        return row
    try:
        row.mtime = os.fstat(folder).st_mtime_ns
        names = os.listdir(folder)
        first, last = _index(row, names, naming)
        if row.frame_count:
            if deep:
                _decode_all(row, folder, path, root_real, names, naming)
            else:
                _read_ends(row, folder, path, root_real, naming.name(first),
                           naming.name(last))
    except OSError as error:
        row.unreadable = f"cannot be listed ({error.strerror or error})"
    finally:
        os.close(folder)
    return row


def _index(row: MediaRow, names: list[str], naming: FrameNaming) -> tuple[int, int]:
    """Fill frame_count, first_index, gaps, extra; return the first and last index (of
    the naming)."""
    count = len(names)
    if count and set(names).issuperset(canonical_names(count, naming)):  # the common case
        row.frame_count, row.first_index = count, 0
        return naming.first, naming.first + count - 1
    indices = []
    for name in names:
        index = naming.index(name)
        if index is not None:
            indices.append(index)
        elif name.lower().endswith(IMAGE_SUFFIXES):
            row.extra += 1
    row.frame_count = len(indices)
    if not indices:
        return 0, 0
    first, last = min(indices), max(indices)
    row.first_index = first - naming.first
    row.gaps = last - naming.first + 1 - len(indices)
    return first, last


def _open(folder: int, path: str, root_real: str, name: str) -> int:
    """A frame opened relative to its folder; a link only if it stays inside the root;
    only a regular file of at most :data:`MAX_FRAME_BYTES` (non-blocking: a FIFO named
    like a frame would otherwise wait for a writer forever)."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        target = os.path.join(path, name)
        if not inside(root_real, target):
            raise BadJpeg("symbolic link out of the frames folder and its git repository "
                          "(not followed)") from None
        try:
            fd = os.open(name, os.O_RDONLY | _NONBLOCK, dir_fd=folder)
        except FileNotFoundError:  # a dangling link: an annexed frame not fetched, say
            raise BadJpeg(missing_content(os.path.realpath(target))) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FRAME_BYTES:
        os.close(fd)
        raise BadJpeg("not a regular file" if not stat.S_ISREG(info.st_mode) else
                      f"{info.st_size:,} bytes, more than any frame (not read)")
    return fd


def _read_ends(row: MediaRow, folder: int, path: str, root_real: str, first: str,
               last: str) -> None:
    sizes: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    for name in (first, last) if last != first else (first,):
        try:
            fd = _open(folder, path, root_real, name)
            try:
                size, stat = read_header(fd)
            finally:
                os.close(fd)
            sizes[name] = size
            if name == first:  # the stamp: see vidaudit.frames.build
                row.size = stat.st_size
                row.mtime = max(row.mtime or 0, stat.st_mtime_ns)
        except (BadJpeg, OSError) as error:
            problems.append(f"{name}: {_reason(error)}")
    row.unreadable = "; ".join(problems)
    if problems:
        row.size = row.mtime = None  # never reused: probe again next time
    if sizes:
        row.width, row.height = sizes.get(first) or sizes[last]
        if len(sizes) == 2 and sizes[first] != sizes[last]:
            row.size_mismatch = _mismatch(last, sizes[last], first, sizes[first])


def _decode_all(row: MediaRow, folder: int, path: str, root_real: str,
                names: list[str], naming: FrameNaming) -> None:
    import cv2
    import numpy as np

    cv2.setNumThreads(1)
    frames = sorted((index, name) for name in names
                    if (index := naming.index(name)) is not None)
    bad: list[str] = []
    other: list[str] = []
    reference: tuple[str, tuple[int, int]] | None = None
    stamps = []
    for _, name in frames:
        try:
            fd = _open(folder, path, root_real, name)
            try:
                stat = os.fstat(fd)
                data = _read_all(fd, stat.st_size)
            finally:
                os.close(fd)
            stamps.append(stat)
            declared = sof_size(data)  # before decoding: is it a JPEG, of a sane size?
            if declared is None:
                raise BadJpeg("truncated JPEG header")
            if declared[0] * declared[1] > MAX_FRAME_PIXELS:
                raise BadJpeg(f"header says {declared[0]}x{declared[1]}, larger than any "
                              "frame (not decoded)")
            if not ends_complete(data[-32:]):
                raise BadJpeg("truncated JPEG (no end marker)")
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
    if bad or not stamps:
        row.size = row.mtime = None
    else:  # the stamp: see vidaudit.frames.build
        row.size = stamps[0].st_size
        row.mtime = max(row.mtime or 0, stamps[0].st_mtime_ns)


def _read_all(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, max(size, 1 << 16))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


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
