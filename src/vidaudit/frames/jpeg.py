"""JPEG frame size from the header, and a cheap completeness check, without decoding.

A baseline or progressive JPEG states its size in the SOFn segment, which an
encoder like OpenCV's puts within the first few hundred bytes; a complete file
ends with the EOI marker (``FF D9``), so a truncated one is caught by reading its
last bytes. One ``open`` and two small reads per frame: far cheaper than decoding.
"""

from __future__ import annotations

import os

HEAD_BYTES = 16384
MAX_HEAD_BYTES = 1 << 20
"""EXIF thumbnails can push the SOF segment further; give up beyond this."""
TAIL_BYTES = 32
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}


class BadJpeg(Exception):
    """The file is not a complete JPEG; the message says why, in a few words."""


def sof_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first SOF segment in ``data``, or None if not in it.

    Raises :class:`BadJpeg` when ``data`` is not JPEG at all.
    """
    if data[:2] != b"\xff\xd8":
        raise BadJpeg("not a JPEG file" if data else "empty file")
    position, end = 2, len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            raise BadJpeg("corrupt JPEG header")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        if marker == 0xD9 or marker == 0xDA:
            raise BadJpeg("JPEG without a frame header")
        length = (data[position + 2] << 8) | data[position + 3]
        if length < 2:
            raise BadJpeg("corrupt JPEG header")
        if marker in _SOF:
            if position + 9 > end:
                return None
            height = (data[position + 5] << 8) | data[position + 6]
            width = (data[position + 7] << 8) | data[position + 8]
            if not width or not height:
                raise BadJpeg(f"JPEG header gives size {width}x{height}")
            return width, height
        position += 2 + length
    return None


def ends_complete(tail: bytes) -> bool:
    """Whether the file's last bytes hold the EOI marker (zero or newline padding allowed)."""
    return tail.rstrip(b"\x00\r\n").endswith(b"\xff\xd9")


def read_header(fd: int) -> tuple[tuple[int, int], os.stat_result]:
    """((width, height), stat) of the JPEG open at ``fd``; raises BadJpeg or OSError.

    One read usually holds the whole frame (so its end marker too); larger files get
    a second small read at their end.
    """
    data = os.read(fd, HEAD_BYTES)
    stat = os.fstat(fd)
    whole = len(data) >= stat.st_size
    size = sof_size(data)
    if size is None:
        if whole:
            raise BadJpeg("truncated JPEG header" if data else "empty file")
        data += os.read(fd, min(stat.st_size, MAX_HEAD_BYTES) - len(data))
        whole = len(data) >= stat.st_size
        size = sof_size(data)
        if size is None:
            raise BadJpeg("no JPEG frame header in the first MiB"
                          if stat.st_size > MAX_HEAD_BYTES else "truncated JPEG header")
    tail = data[-TAIL_BYTES:] if whole else \
        os.pread(fd, TAIL_BYTES, max(0, stat.st_size - TAIL_BYTES))
    if not ends_complete(tail):
        raise BadJpeg("truncated JPEG (no end marker)")
    return size, stat


def header_size(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(width, height) of a JPEG file from its header; raises BadJpeg or OSError."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return read_header(fd)[0]
    finally:
        os.close(fd)
