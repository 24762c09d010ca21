"""VA408/VA409: boxes, for every profile that annotates boxes on frames.

A profile flattens its boxes into a table with :func:`box_columns` (one row per box:
``x1``, ``y1``, ``x2``, ``y2`` as floats, ``box_problem`` empty for a usable box) and,
with a frame source, joins the frame's ``width`` and ``height`` onto it
(:func:`vidaudit.frames.join.add_frame_columns`). It then binds the two rules to that
table with :func:`bind`. Boxes are corners in pixels of the frame (x to the right,
y down), so a box may touch the far edge: ``x2 == width`` is inside.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.rules.registry import check, rule
from vidaudit.values import json_type, show

if TYPE_CHECKING:
    import pandas as pd

ERROR = Severity.ERROR
TOLERANCE = 1e-3
"""Pixels a corner may lie beyond an edge: far above floating-point noise (the real
Something-Else file has ``x2 = 427.00000000000006`` on a 427-pixel frame) and far
below anything a person would draw."""
CORNERS = ("x1", "y1", "x2", "y2")


def parse_box(value: Any) -> tuple[tuple[float, float, float, float] | None, str]:
    """A box as ``{x1, y1, x2, y2}`` or ``[x1, y1, x2, y2]``: its corners, or None and
    why it is not a usable box (VA409's message)."""
    if isinstance(value, dict):
        missing = [k for k in CORNERS if k not in value]
        if missing:
            return None, f"has no {', '.join(missing)}"
        numbers = [value[k] for k in CORNERS]
    elif isinstance(value, list):
        if len(value) != 4:
            return None, f"is a list of {len(value)} values, not four numbers"
        numbers = list(value)
    elif value is None:
        return None, "is null, not four numbers"
    else:
        return None, f"is {json_type(value)} {show(value, 40)}, not four numbers"
    for name, number in zip(CORNERS, numbers, strict=True):
        if type(number) is not int and type(number) is not float:
            return None, f"{name} is {json_type(number)} {show(number, 40)}, not a number"
        if not math.isfinite(number):
            return None, f"{name} is {show(number)}, not a finite number"
        if number < -TOLERANCE:
            return None, f"{name} = {show(number)} is negative"
    x1, y1, x2, y2 = (float(n) for n in numbers)
    if x1 >= x2 or y1 >= y2:
        which = f"x1 = {show(numbers[0])} >= x2 = {show(numbers[2])}" if x1 >= x2 else \
            f"y1 = {show(numbers[1])} >= y2 = {show(numbers[3])}"
        return None, f"is empty or inverted ({which})"
    return (x1, y1, x2, y2), ""


@dataclass
class BoxColumns:
    """Columns of a box table, filled box by box."""

    x1: list[float] = field(default_factory=list)
    y1: list[float] = field(default_factory=list)
    x2: list[float] = field(default_factory=list)
    y2: list[float] = field(default_factory=list)
    box_problem: list[str] = field(default_factory=list)

    def add(self, value: Any) -> tuple[float, float, float, float] | None:
        corners, problem = parse_box(value)
        nan = float("nan")
        for column, number in zip((self.x1, self.y1, self.x2, self.y2),
                                  corners or (nan, nan, nan, nan), strict=True):
            column.append(number)
        self.box_problem.append(problem)
        return corners

    def columns(self) -> dict[str, Any]:
        return {"x1": self.x1, "y1": self.y1, "x2": self.x2, "y2": self.y2,
                "box_problem": self.box_problem}


def box_columns(values: Iterable[Any]) -> dict[str, Any]:
    """The box columns of ``values`` (one box each)."""
    built = BoxColumns()
    for value in values:
        built.add(value)
    return built.columns()


def box_inside(table: pd.DataFrame, config: Any) -> pd.Series[bool]:
    """VA408's predicate: the far corner within the joined frame size (plus
    :data:`TOLERANCE`); boxes without a size or unusable (VA409) pass."""
    import numpy as np
    import pandas as pd

    if "width" not in table:
        return pd.Series(True, index=table.index, dtype=bool)
    width = table["width"].to_numpy(dtype=float, na_value=np.nan)
    height = table["height"].to_numpy(dtype=float, na_value=np.nan)
    x2 = table["x2"].to_numpy(dtype=float)
    y2 = table["y2"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        outside = (x2 > width + TOLERANCE) | (y2 > height + TOLERANCE)
    return pd.Series(~outside, index=table.index, dtype=bool)


def overflow(table: pd.DataFrame) -> dict[str, Any]:
    """VA408's message field: which edge the box leaves, and by how many pixels."""
    texts = []
    for x2, y2, width, height in zip(table["x2"], table["y2"], table["width"],
                                     table["height"], strict=True):
        parts = []
        if _beyond(x2, width):
            parts.append(f"x2 = {show(x2)} is {x2 - width:.4g} px beyond the "
                         f"{width}-px width")
        if _beyond(y2, height):
            parts.append(f"y2 = {show(y2)} is {y2 - height:.4g} px beyond the "
                         f"{height}-px height")
        texts.append("; ".join(parts))
    return {"overflow": texts}


def _beyond(value: float, limit: Any) -> bool:
    try:
        return bool(value > float(limit) + TOLERANCE)
    except (TypeError, ValueError):  # pandas' NA: no size known
        return False


def bind(profile: str, tables: str | tuple[str, ...], what: str = "{box_what}",
         pointer_column: str = "box_pointer") -> None:
    """Check VA408 and VA409 on ``profile``'s box ``tables``; ``what`` names the box in
    messages (a template over the table's columns)."""
    check("VA408", profile=profile, tables=tables, predicate=box_inside,
          message=f"{what} leaves its frame: {{overflow}}",
          pointer_column=pointer_column, derive=overflow)
    check("VA409", profile=profile, tables=tables,
          predicate=lambda t, c: t["box_problem"] == "",
          message=f"{what} {{box_problem}}", pointer_column=pointer_column)


rule(
    "VA408", "box-out-of-bounds", ERROR,
    "a box leaves its frame (beyond floating-point noise)",
    """
    Boxes are pixel corners in the extracted frame (x to the right, y down), so
    0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height. A box that reaches past the
    right or bottom edge was drawn on another resolution, has x and y swapped, or
    was shifted by a crop; detectors trained on it learn boxes that cannot be
    predicted. Corners up to 0.001 px beyond an edge are floating-point noise
    (the real Something-Else file has x2 = 427.00000000000006 on a 427-pixel frame)
    and are not reported. Needs the frames' sizes (`--frames`, `--manifest`,
    `--videos`); negative corners are VA409.
    """,
    "Rescale the box to the frame's resolution, clip it to the frame, or re-annotate.",
    needs="frames", per_profile=True)

rule(
    "VA409", "degenerate-box", ERROR,
    "a box is not four finite, non-negative numbers with x1 < x2 and y1 < y2",
    """
    A box with x1 >= x2 or y1 >= y2 is empty or inverted; a coordinate that is not a
    number, is NaN or infinite, or is negative, or a box that is not four numbers,
    breaks IoU computations and data loaders (often silently, as a zero-area box).
    """,
    "Re-annotate the box, or drop it if the object is not visible.", per_profile=True)
