"""Reading one mask PNG safely: a regular file of bounded size, a real PNG header, a
bounded pixel count, then OpenCV's decoder. Anything else is a reason, not an
exception."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidaudit.safeio import Refused, read_regular

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_MASK_BYTES = 64 << 20
MAX_MASK_PIXELS = 8192 * 8192
"""A mask of a 30000x30000 header would take 900 MB to decode: refused above this."""


@dataclass
class Mask:
    width: int = 0
    height: int = 0
    pixels: np.ndarray | None = None
    problem: str = ""


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR chunk, or None when it is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def read_mask(path: Path, root: Path | None) -> Mask:
    mask = Mask()
    try:
        data = read_regular(path, MAX_MASK_BYTES, root)
    except Refused as refused:
        mask.problem = str(refused)
        return mask
    except OSError as error:
        mask.problem = f"cannot be read ({error.strerror or error})"
        return mask
    size = png_size(data)
    if size is None:
        mask.problem = "is not a PNG file"
        return mask
    mask.width, mask.height = size
    if mask.width == 0 or mask.height == 0 or mask.width * mask.height > MAX_MASK_PIXELS:
        mask.problem = f"declares {mask.width}x{mask.height} pixels; not decoded"
        return mask
    import cv2

    pixels = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if pixels is None:
        mask.problem = "cannot be decoded as a PNG (truncated or corrupt)"
        return mask
    mask.pixels = pixels
    return mask


def distinct_values(pixels: np.ndarray) -> int:
    """How many different pixel values (colours, for a multi-channel PNG) it holds."""
    if pixels.ndim == 2:
        return int(np.unique(pixels).size)
    flat = pixels.reshape(-1, pixels.shape[-1])
    return int(np.unique(flat, axis=0).shape[0])


def visible(pixels: np.ndarray) -> bool:
    return bool(np.any(pixels))
