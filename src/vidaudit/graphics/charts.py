"""Geometry for the report's inline SVG charts.

Functions here turn numbers into shapes (coordinates, sizes, colours) and pass
labels through untouched; the Jinja template writes the SVG, so every label
from the data is escaped there like any other text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

HEAT = ("#fff5c2", "#fed976", "#fd8d3c", "#e31a1c", "#800026")
"""Light to dark, for counts (a yellow-orange-red ramp)."""


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Segment:
    x: float
    width: float
    color: str
    title: str


@dataclass
class Bar:
    y: float
    label: str
    segments: list[Segment]
    total: int
    end: float


@dataclass
class StackedBars:
    width: float
    height: float
    label_width: float
    bar_height: float
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[tuple[str, str]]
    top: float


@dataclass
class Column:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass
class Histogram:
    width: float
    height: float
    plot: tuple[float, float, float, float]
    """left, top, right, bottom of the plot area."""
    columns: list[Column]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    x_label: str
    y_label: str


@dataclass
class Cell:
    x: float
    y: float
    color: str
    count: int


@dataclass
class HeatMap:
    width: float
    height: float
    cell_width: float
    cell_height: float
    cells: list[Cell]
    legend: list[tuple[str, str]] = field(default_factory=list)


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1: the axes count things)
    giving about ``ticks`` ticks."""
    if top <= ticks:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _count(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:g}"


def stacked_bars(rows: list[tuple[str, list[int]]], series: list[tuple[str, str]],
                 label_width: float = 380, plot_width: float = 600, row_height: float = 18,
                 largest: int = 0) -> StackedBars:
    """Horizontal bars, one per row, stacked by series (``series``: name, colour).

    ``largest`` fixes the axis (to draw several charts on one scale)."""
    top = 24.0
    largest = largest or max((sum(values) for _, values in rows), default=0) or 1
    step = nice_step(largest)
    axis_max = step * math.ceil(largest / step)
    scale = plot_width / axis_max
    bars = []
    for index, (label, values) in enumerate(rows):
        x = label_width
        segments = []
        for (name, color), value in zip(series, values, strict=True):
            if value:
                segments.append(Segment(x, value * scale, color, f"{label}: {value:,} {name}"))
                x += value * scale
        bars.append(Bar(top + index * row_height, label, segments, sum(values), x))
    ticks = [Tick(label_width + i * step * scale, _count(i * step))
             for i in range(round(axis_max / step) + 1)]
    return StackedBars(label_width + plot_width + 64, top + len(rows) * row_height + 8,
                       label_width, row_height - 6, bars, ticks, series, top)


def histogram(counts: list[int], edges: list[float], *, x_label: str, y_label: str,
              tick_format: str = "{:g}", highlight: dict[int, str] | None = None,
              extra: tuple[str, int, str] | None = None, width: float = 560,
              height: float = 240, categories: list[str] | None = None) -> Histogram:
    """Vertical columns over ``edges``; ``extra`` adds a separate labelled column at the end
    (e.g. "beyond the end"), in its own colour. With ``categories``, each column is
    labelled by its category instead of the edges being ticked."""
    left, right, top, bottom = 56.0, width - 28.0, 12.0, height - 44.0
    slots = len(counts) + (2 if extra else 0)
    slot = (right - left) / max(slots, 1)
    largest = max([*counts, extra[1] if extra else 0, 1])
    step = nice_step(largest, 4)
    axis_max = step * math.ceil(largest / step)
    scale = (bottom - top) / axis_max
    columns = []
    for i, count in enumerate(counts):
        h = count * scale
        color = (highlight or {}).get(i, "#4c78a8")
        title = (f"{categories[i]}: {count:,}" if categories else
                 f"{tick_format.format(edges[i])} \u2013 {tick_format.format(edges[i + 1])}: "
                 f"{count:,}")
        columns.append(Column(left + i * slot + 1, bottom - h, max(slot - 2, 1), h, color,
                              title))
    if categories:
        x_ticks = [Tick(left + (i + 0.5) * slot, name) for i, name in enumerate(categories)]
    else:
        every = max(1, math.ceil(len(counts) / 10))
        last = len(counts) if extra is None else len(counts) - 1  # room for extra's label
        x_ticks = [Tick(left + i * slot, tick_format.format(edges[i]))
                   for i in range(0, last + 1, every)]
    if extra:
        label, count, color = extra
        h = count * scale
        x = left + (len(counts) + 1) * slot
        columns.append(Column(x + 1, bottom - h, max(slot - 2, 1), h, color,
                              f"{label}: {count:,}"))
        x_ticks.append(Tick(x + slot / 2, label))
    y_ticks = [Tick(bottom - i * step * scale, _count(i * step))
               for i in range(round(axis_max / step) + 1)]
    return Histogram(width, height, (left, top, right, bottom), columns, x_ticks, y_ticks,
                     x_label, y_label)


def ramp(t: float, colors: tuple[str, ...] = HEAT) -> str:
    """The colour at ``t`` in [0, 1] along a piecewise-linear ramp."""
    t = min(max(t, 0.0), 1.0) * (len(colors) - 1)
    i = min(int(t), len(colors) - 2)
    f = t - i
    a, b = colors[i], colors[i + 1]
    mixed = (round(int(a[k:k + 2], 16) * (1 - f) + int(b[k:k + 2], 16) * f) for k in (1, 3, 5))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def heat_map(grid: np.ndarray[Any, np.dtype[np.int64]], width: float = 480) -> HeatMap:
    """Cells of a count grid coloured on a log scale; empty cells are not drawn."""
    rows, columns = grid.shape
    cell = width / columns
    top = int(grid.max()) if grid.size else 0
    cells = []
    if top:
        scale = math.log1p(top)
        for r, c in zip(*np.nonzero(grid), strict=True):
            count = int(grid[r, c])
            cells.append(Cell(c * cell, r * cell, ramp(math.log1p(count) / scale), count))
    steps = sorted({max(1, round(math.expm1(math.log1p(top) * i / 4))) for i in range(5)})
    legend = [(ramp(math.log1p(n) / math.log1p(top)), _count(n)) for n in steps] if top else []
    return HeatMap(width, rows * cell, cell, cell, cells, legend)
