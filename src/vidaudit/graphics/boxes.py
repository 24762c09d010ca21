"""Small pictures of a flagged box on its frame, for the HTML report (VA408).

The frame is read with OpenCV, the box drawn on it (white under red) and the result
embedded as a small JPEG. The canvas grows past the frame's border when the box leaves
it, so one sees by how much. Only drawn when the frame itself can be read: a box
without its picture says nothing its message does not.
"""

from __future__ import annotations

import base64
from pathlib import Path

from vidaudit.graphics.thumbnails import (
    MARGIN,
    MAX_FRAME_BYTES,
    REACH,
    THUMB_WIDTH,
    Canvas,
    Thumbnail,
)

Box = tuple[float, float, float, float]


def frame_file(root: Path, *parts: str) -> Path | None:
    """``root/<parts...>`` if it is a regular file inside ``root`` of a sane size (the
    caller builds ``parts`` only from validated names)."""
    resolved = root.resolve()
    path = resolved.joinpath(*parts).resolve()
    try:
        if not path.is_relative_to(resolved) or not path.is_file() or \
                path.stat().st_size > MAX_FRAME_BYTES:
            return None
    except OSError:
        return None
    return path


def box_canvas(width: float, height: float, box: Box) -> Canvas:
    x1, y1, x2, y2 = box
    outside = x1 < 0 or y1 < 0 or x2 > width or y2 > height
    pad = MARGIN * max(width, height) if outside else 0.0
    # the canvas grows only on the sides the box leaves
    x0 = max(x1 - pad, -REACH * width) if x1 < 0 else 0.0
    y0 = max(y1 - pad, -REACH * height) if y1 < 0 else 0.0
    right = min(x2 + pad, (1 + REACH) * width) if x2 > width else width
    bottom = min(y2 + pad, (1 + REACH) * height) if y2 > height else height
    return Canvas(width, height, x0, y0, right, bottom, (x1 + x2) / 2, (y1 + y2) / 2,
                  outside, False)


def box_thumbnail(path: Path | None, box: Box, title: str, caption: str) -> Thumbnail | None:
    """The frame at ``path`` with ``box`` drawn, or None when it cannot be read."""
    if path is None:
        return None
    import cv2
    import numpy as np

    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        return None
    height, width = float(image.shape[0]), float(image.shape[1])
    drawing = box_canvas(width, height, box)
    scale = THUMB_WIDTH / drawing.view_width
    out_h = max(1, round(drawing.view_height * scale))
    board = np.full((out_h, THUMB_WIDTH, 3), (228, 228, 228), dtype=np.uint8)
    fx, fy = round(-drawing.x0 * scale), round(-drawing.y0 * scale)
    fw, fh = max(1, round(width * scale)), max(1, round(height * scale))
    fw, fh = min(fw, THUMB_WIDTH - fx), min(fh, out_h - fy)
    board[fy:fy + fh, fx:fx + fw] = cv2.resize(image, (fw, fh), interpolation=cv2.INTER_AREA)
    if drawing.outside:
        cv2.rectangle(board, (fx, fy), (fx + fw - 1, fy + fh - 1), (90, 90, 90), 1)
    corners = [round((value - origin) * scale * 16) for value, origin in
               zip(box, (drawing.x0, drawing.y0, drawing.x0, drawing.y0), strict=True)]
    for color, thickness in (((255, 255, 255), 3), ((40, 40, 220), 1)):
        cv2.rectangle(board, (corners[0], corners[1]), (corners[2], corners[3]), color,
                      thickness, cv2.LINE_AA, shift=4)
    ok, encoded = cv2.imencode(".jpg", board, [cv2.IMWRITE_JPEG_QUALITY, 78])
    if not ok:
        return None
    uri = "data:image/jpeg;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")
    return Thumbnail(title, caption, drawing, uri)
