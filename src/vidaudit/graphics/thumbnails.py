"""Small pictures of an event's point on its frame, for the HTML report.

With a frames folder, the frame is read with OpenCV, the point drawn on it and
the result embedded as a small JPEG (base64). Without one, the report draws the
same picture as SVG on a blank canvas of the frame's size. Either way the
canvas grows past the frame's border when the point lies outside it (VA403),
so one sees by how much.

Paths are built only from ids that pass :func:`vidaudit.values.is_video_id` and
integral frame numbers, and a path that resolves outside the frames folder (a
symbolic link, say) is not read.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from vidaudit.values import is_integral, is_number, is_video_id

THUMB_WIDTH = 240
MAX_FRAME_BYTES = 16 * 1024 * 1024
MARGIN = 0.08
"""Canvas margin around the frame, as a share of its larger side, when the point is outside."""
REACH = 0.5
"""How far past the frame (share of its size) the canvas grows to show an outside point."""


@dataclass
class Canvas:
    """The drawing: frame at (0, 0, width, height) inside the viewport (x0, y0, x1, y1)."""

    width: float
    height: float
    x0: float
    y0: float
    x1: float
    y1: float
    px: float
    py: float
    """The point as drawn (pulled back onto the canvas when it lies beyond it)."""
    outside: bool
    clipped: bool

    @property
    def view_width(self) -> float:
        return self.x1 - self.x0

    @property
    def view_height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Thumbnail:
    title: str
    caption: str
    canvas: Canvas
    image: str | None = None
    """A ``data:image/jpeg;base64,...`` URI when the frame was read, else None (draw SVG)."""


def canvas(width: float, height: float, x: float, y: float) -> Canvas:
    outside = not (0 <= x < width and 0 <= y < height)
    pad = MARGIN * max(width, height) if outside else 0.0
    x0 = max(min(0.0, x - pad), -REACH * width)
    y0 = max(min(0.0, y - pad), -REACH * height)
    x1 = min(max(width, x + pad), (1 + REACH) * width)
    y1 = min(max(height, y + pad), (1 + REACH) * height)
    inset = pad / 2
    px = min(max(x, x0 + inset), x1 - inset)
    py = min(max(y, y0 + inset), y1 - inset)
    return Canvas(width, height, x0, y0, x1, y1, px, py, outside, (px, py) != (x, y))


def frame_path(frame_dir: Path, video_id: Any, frame_number: Any) -> Path | None:
    """``frame_dir/<id>/frame_NNNNN.jpg`` if it is a file inside ``frame_dir``, else None."""
    if not is_video_id(video_id) or not is_integral(frame_number) or frame_number < 0:
        return None
    if frame_number >= 10**7:
        return None
    root = frame_dir.resolve()
    path = (root / str(video_id) / f"frame_{int(frame_number):05d}.jpg").resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    if path.stat().st_size > MAX_FRAME_BYTES:
        return None
    return path


def _read(path: Path) -> tuple[Any, tuple[float, float] | None]:
    """The frame (decoded at a reduced scale when it is much larger than a thumbnail)
    and its full size."""
    import cv2
    import imagesize
    import numpy as np

    flag = cv2.IMREAD_COLOR
    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):
        width = height = -1
    for factor, reduced in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                            (2, cv2.IMREAD_REDUCED_COLOR_2)):
        if width >= factor * 2 * THUMB_WIDTH:
            flag = reduced
            break
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, flag) if data.size else None
    if image is None:
        return None, None
    if width > 0 and height > 0:
        return image, (float(width), float(height))
    return image, (float(image.shape[1]), float(image.shape[0]))


def render_jpeg(image: Any, drawing: Canvas) -> str:
    """The frame placed on the canvas, scaled to the thumbnail width, the point drawn."""
    import cv2
    import numpy as np

    scale = THUMB_WIDTH / drawing.view_width
    out_w = THUMB_WIDTH
    out_h = max(1, round(drawing.view_height * scale))
    board = np.full((out_h, out_w, 3), (228, 228, 228), dtype=np.uint8)
    fx, fy = round(-drawing.x0 * scale), round(-drawing.y0 * scale)
    fw, fh = max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale))
    if image is not None:
        board[fy:fy + fh, fx:fx + fw] = cv2.resize(image, (fw, fh), interpolation=cv2.INTER_AREA)
    if drawing.outside:
        cv2.rectangle(board, (fx, fy), (fx + fw - 1, fy + fh - 1), (90, 90, 90), 1)
    cx, cy = (drawing.px - drawing.x0) * scale, (drawing.py - drawing.y0) * scale
    center = (round(cx * 16), round(cy * 16))  # 4 bits of sub-pixel precision
    for radius, color, thickness in ((7, (255, 255, 255), 3), (7, (40, 40, 220), 2)):
        cv2.circle(board, center, radius * 16, color, thickness, cv2.LINE_AA, shift=4)
    cv2.circle(board, center, 2 * 16, (40, 40, 220), -1, cv2.LINE_AA, shift=4)
    ok, encoded = cv2.imencode(".jpg", board, [cv2.IMWRITE_JPEG_QUALITY, 78])
    if not ok:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")


def thumbnail(spot: dict[str, Any], frame_dir: Path | None, title: str,
              caption: str) -> Thumbnail | None:
    """A thumbnail of a point on a frame, or None when nothing can be drawn. ``spot``
    holds ``video_id``, ``frame`` (0-based), ``x``, ``y`` and, when known, the frame's
    ``width`` and ``height`` (raw values: anything that is not a number is skipped)."""
    x, y = spot.get("x"), spot.get("y")
    if not is_number(x) or not is_number(y):
        return None
    width, height = _size(spot.get("width")), _size(spot.get("height"))
    image = None
    if frame_dir is not None:
        path = frame_path(frame_dir, spot.get("video_id"), spot.get("frame"))
        if path is not None:
            image, size = _read(path)
            if size is not None and (width is None or height is None):
                width, height = size
    if width is None or height is None:
        return None
    drawing = canvas(width, height, float(cast(float, x)), float(cast(float, y)))
    uri = render_jpeg(image, drawing) if image is not None else None
    return Thumbnail(title, caption, drawing, uri or None)


def _size(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number == number else None
