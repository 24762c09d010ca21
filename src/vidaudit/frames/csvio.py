"""The frame manifest as CSV: writing it, and reading it back row by row.

Reading is tolerant: a bad cell makes a :class:`LineProblem` for its line and the
rest of the file is still used; unknown columns are ignored, and every column but
``video_id`` and ``frame_count`` may be absent.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from vidaudit.frames.problems import LineProblem, quoted
from vidaudit.frames.rows import COLUMNS, REQUIRED, MediaRow
from vidaudit.values import is_video_id, numeric_order

LARGEST = 2**63 - 1
"""Counts and sizes are 64-bit in the tables (and no video comes near)."""
_INTS = ("frame_count", "width", "height", "first_index", "gaps", "extra", "size", "mtime")
_TEXTS = ("unreadable", "size_mismatch", "source", "count_method", "checked")


def sort_key(row: MediaRow) -> tuple[int, str]:
    return numeric_order(row.video_id)


def render(rows: Iterable[MediaRow], columns: Sequence[str] = COLUMNS) -> str:
    """The manifest text: header, then one row per video sorted by numeric id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in sorted(rows, key=sort_key):
        writer.writerow(cells(row, columns))
    return buffer.getvalue()


def cells(row: MediaRow, columns: Sequence[str] = COLUMNS) -> list[str]:
    return [_cell(getattr(row, name)) for name in columns]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def looks_like_csv(first_line: str) -> bool:
    cells = [c.strip().strip('"').lower() for c in first_line.split(",")]
    return "video_id" in cells


def parse(text: str) -> tuple[list[MediaRow], list[LineProblem], list[str]]:
    """Rows, problems, and the header's missing required columns (fatal if any)."""
    # newline="": the csv module's own line splitting (a bare CR ends a line too).
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    line = 0
    rows: list[MediaRow] = []
    problems: list[LineProblem] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # e.g. a field over the csv module's size limit
            problems.append(LineProblem(max(reader.line_num, line + 1),
                                        f"the rest of the file cannot be read as CSV: {error}",
                                        f"csv/{error}"))
            break
        start, line = line + 1, reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in record]
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                return [], [], missing
            continue
        row, problem = _row(header, record, start)
        if problem is not None:
            problems.append(problem)
        if row is not None:
            rows.append(row)
    return rows, problems, [] if header is not None else list(REQUIRED)


def _row(header: list[str], record: list[str], line: int
         ) -> tuple[MediaRow | None, LineProblem | None]:
    cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
    video_id = cells.get("video_id", "")
    identity = f"row/{video_id}"
    if len(record) != len(header):
        return None, LineProblem(line, f"row has {len(record)} fields, the header "
                                 f"{len(header)}", identity)
    if not is_video_id(video_id):
        return None, LineProblem(line, f"video id {quoted(video_id)} is not a string of "
                                 "decimal digits without leading zeros", identity)
    values: dict[str, Any] = {}
    for name in _INTS:
        text = cells.get(name, "")
        if not text:
            continue
        number = _integer(text)
        if number is None or not 0 <= number <= LARGEST:
            return None, LineProblem(line, f"{name} is {quoted(text)}, not a whole number "
                                     f"from 0 to {LARGEST}", identity, video_id)
        values[name] = number
    if ("width" in values) != ("height" in values):
        return None, LineProblem(line, "width and height must both be given or both be "
                                 "empty", identity, video_id)
    if values.get("width") == 0 or values.get("height") == 0:
        return None, LineProblem(line, f"frame size {values['width']}x{values['height']} "
                                 "is empty", identity, video_id)
    fps_text = cells.get("fps", "")
    if fps_text:
        fps = _number(fps_text)
        if fps is None or fps <= 0:
            return None, LineProblem(line, f"fps is {quoted(fps_text)}, not a positive "
                                     "number", identity, video_id)
        values["fps"] = fps
    for name in _TEXTS:
        if cells.get(name):
            values[name] = cells[name]
    values.setdefault("gaps", 0)
    values.setdefault("extra", 0)
    return MediaRow(video_id, line=line, **values), None


def _integer(text: str) -> int | None:
    if len(text) > 30:  # int() refuses over 4,300 digits; nothing valid is this long
        return None
    try:
        return int(text)
    except ValueError:
        number = _number(text)
        return int(number) if number is not None and number.is_integer() else None


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
