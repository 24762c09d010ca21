"""The dataset at a glance: the numbers and distributions the HTML report draws.

Everything here reads the dataset's tables as built (raw JSON values, so any
value may be of any type) and returns plain data; nothing here knows HTML.
The frame-source join columns (``frame_count``, ``width``, ``height`` on
``events``) are used when present and skipped when not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from vidaudit.values import as_floats, show

if TYPE_CHECKING:
    import pandas as pd

    from vidaudit.dataset import Dataset

SPLITS = ("train", "validation", "test")
NO_SPLIT = "in no split"
NO_TEMPLATE = "(no template)"
GROUPS = (*SPLITS, NO_SPLIT)
MAX_EVENTS_SHOWN = 10


@dataclass
class TemplateRow:
    template: str
    videos: int
    events_by_split: dict[str, int]

    @property
    def events(self) -> int:
        return sum(self.events_by_split.values())


@dataclass
class Positions:
    """Where in the clip events fall."""

    relative: bool
    """True: frameNumber / frame_count in [0, 1); False: absolute frame numbers."""
    counts: list[int]
    edges: list[float]
    beyond: int = 0
    """Relative: events at or after the clip's end (frameNumber >= frame_count);
    absolute: events past the last edge (the top half percent, not drawn to scale)."""
    measured: int = 0
    unmeasured: int = 0
    """Events without a numeric frameNumber or, when relative, without a frame count."""


@dataclass
class Points:
    """Event points normalised to the frame (or to the largest point seen)."""

    grid: np.ndarray[Any, np.dtype[np.int64]]
    by_frame_size: bool
    aspect: float
    """width / height of the canvas the grid stands for."""
    inside: int = 0
    outside: int = 0
    unmeasured: int = 0
    scale: tuple[float, float] = (1.0, 1.0)
    """The pixel size the grid spans when not normalised by frame size."""


@dataclass
class Glance:
    videos: int
    events: int
    templates: int
    splits: dict[str, dict[str, int]]
    """split -> {"listed": ids in the split file, "videos": of them with events, "events"}."""
    template_rows: list[TemplateRow]
    actions: list[str]
    agents: list[str]
    action_agent: dict[tuple[str, str], int]
    positions: Positions
    points: Points
    frame_sizes: bool
    frame_counts: bool
    events_per_video: dict[str, float] = field(default_factory=dict)
    videos_by_events: list[int] = field(default_factory=list)
    """How many videos have 0, 1, ..., MAX_EVENTS_SHOWN - 1 events; the last slot is
    MAX_EVENTS_SHOWN or more."""


def _sizes(events: pd.DataFrame, column: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    if column not in events.columns:
        return np.full(len(events), np.nan)
    return np.asarray(events[column].astype("Float64").to_numpy(dtype=np.float64,
                                                                   na_value=np.nan))


def _label(value: Any) -> str:
    """Strings as they are (the template escapes them), anything else or a blank one as JSON."""
    return value if isinstance(value, str) and value.strip() else show(value, limit=40)


def _labels(column: pd.Series) -> list[str]:
    """:func:`_label` of every value; a column of strings (the usual one: a few actions or
    agents, repeated) is labelled once per distinct string."""
    values = column.tolist()
    if set(map(type, values)) != {str}:
        return [_label(v) for v in values]
    label = {value: _label(value) for value in set(values)}
    return list(map(label.__getitem__, values))


def _positive(counts: pd.Series) -> Any:
    """Where a count is a number above zero (a mask)."""
    return np.fromiter((n > 0 for n in counts.tolist()), dtype=bool, count=len(counts)) \
        if counts.dtype == object else counts.to_numpy() > 0


def membership(entries: pd.DataFrame, group: str) -> dict[str, str]:
    """video id -> its first split/template (first as listed)."""
    keys, names = entries["key"].tolist(), entries[group].tolist()
    pairs: Iterable[tuple[Any, Any]] = zip(reversed(keys), reversed(names), strict=True)
    if set(map(type, keys)) != {str}:  # an id that is not a string names no video
        pairs = [(key, name) for key, name in pairs if isinstance(key, str)]
    return dict(pairs)  # read from the end: the first one listed wins


def glance(dataset: Dataset) -> Glance:
    # Whole columns through C-level maps and counters: a full-size release has half a
    # million events (a loop of Python per event took over a second).
    tables = dataset.tables
    events = tables["events"]
    lists = tables["event_lists"]
    split_of = membership(tables["split_entries"], "split")
    template_of = membership(tables["template_entries"], "template")
    video_ids = events["video_id"].tolist()
    event_split = list(map(split_of.get, video_ids, repeat(NO_SPLIT)))
    event_template = list(map(template_of.get, video_ids, repeat(NO_TEMPLATE)))

    splits: dict[str, dict[str, int]] = {}
    split_entries = tables["split_entries"]
    with_events = set(lists["key"][_positive(lists["n_events"])].tolist())
    events_in = Counter(event_split)
    listed_in = split_entries["split"].tolist()
    listed_keys = split_entries["key"].tolist()
    for split in SPLITS:
        keys = [k for k, s in zip(listed_keys, listed_in, strict=True) if s == split]
        splits[split] = {"listed": len(keys),
                         "videos": len(with_events.intersection(keys)),
                         "events": events_in.get(split, 0)}
    no_split = with_events.difference(split_of)
    splits[NO_SPLIT] = {"listed": 0, "videos": len(no_split),
                        "events": events_in.get(NO_SPLIT, 0)}

    template_rows = _template_rows(tables["templates"], tables["template_entries"],
                                   event_template, event_split)
    action_labels = _labels(events["action"])
    agent_labels = _labels(events["agent"])
    actions, agents = Counter(action_labels), Counter(agent_labels)
    pairs = Counter(zip(action_labels, agent_labels, strict=True))
    frame_counts = _sizes(events, "frame_count")
    widths, heights = _sizes(events, "width"), _sizes(events, "height")
    per_video = np.array(lists["n_events"], dtype=np.float64)
    return Glance(
        videos=len(lists), events=len(events), templates=len(tables["templates"]),
        splits=splits, template_rows=template_rows,
        actions=[a for a, _ in actions.most_common()], agents=[a for a, _ in agents.most_common()],
        action_agent=dict(pairs),
        positions=_positions(as_floats(events["frameNumber"]), frame_counts),
        points=_points(as_floats(events["pointX"]), as_floats(events["pointY"]), widths, heights),
        frame_sizes=bool(np.isfinite(widths).any()),
        frame_counts=bool(np.isfinite(frame_counts).any()),
        events_per_video={"median": float(np.median(per_video)) if len(per_video) else 0.0,
                          "max": float(per_video.max()) if len(per_video) else 0.0},
        videos_by_events=np.bincount(np.minimum(per_video.astype(np.int64), MAX_EVENTS_SHOWN),
                                     minlength=MAX_EVENTS_SHOWN + 1).tolist(),
    )


def _template_rows(templates: pd.DataFrame, entries: pd.DataFrame, event_template: list[str],
                   event_split: list[str]) -> list[TemplateRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for pair, n in Counter(zip(event_template, event_split, strict=True)).items():
        counts[pair[0]][pair[1]] = n
    videos = Counter(entries["template"])
    names = list(dict.fromkeys([*templates["template"], *counts]))
    rows = [TemplateRow(_label(name), videos.get(name, 0),
                        {g: counts.get(name, Counter()).get(g, 0) for g in GROUPS})
            for name in names]
    rows.sort(key=lambda r: (-r.events, -r.videos, r.template))
    return rows


def _positions(frames: np.ndarray[Any, np.dtype[np.float64]],
               counts: np.ndarray[Any, np.dtype[np.float64]]) -> Positions:
    known = np.isfinite(frames) & (frames >= 0)
    if np.isfinite(counts).any():
        usable = known & np.isfinite(counts) & (counts > 0)
        where = frames[usable] / counts[usable]
        histogram, edges = np.histogram(where[where < 1], bins=20, range=(0.0, 1.0))
        return Positions(True, histogram.tolist(), edges.tolist(), int((where >= 1).sum()),
                         int(usable.sum()), int(len(frames) - usable.sum()))
    values = frames[known]
    top = float(np.percentile(values, 99.5)) if len(values) else 1.0
    width = max(1, int(np.ceil((top + 1) / 30)))
    stop = width * int(np.ceil((top + 1) / width))
    histogram, edges = np.histogram(values[values < stop], bins=stop // width, range=(0, stop))
    return Positions(False, histogram.tolist(), edges.tolist(), int((values >= stop).sum()),
                     int(known.sum()), int(len(frames) - known.sum()))


GRID_COLUMNS = 48


def _points(xs: np.ndarray[Any, np.dtype[np.float64]], ys: np.ndarray[Any, np.dtype[np.float64]],
            widths: np.ndarray[Any, np.dtype[np.float64]],
            heights: np.ndarray[Any, np.dtype[np.float64]]) -> Points:
    known = np.isfinite(xs) & np.isfinite(ys)
    sized = known & np.isfinite(widths) & np.isfinite(heights) & (widths > 0) & (heights > 0)
    by_size = bool(sized.any())
    if by_size:
        u, v = xs[sized] / widths[sized], ys[sized] / heights[sized]
        aspect = float(np.median(widths[sized] / heights[sized]))
        scale = (1.0, 1.0)
        unmeasured = int(len(xs) - sized.sum())
    else:
        x_max = float(xs[known].max()) if known.any() else 1.0
        y_max = float(ys[known].max()) if known.any() else 1.0
        x_max, y_max = max(x_max, 1.0), max(y_max, 1.0)
        u, v = xs[known] / (x_max * 1.0001), ys[known] / (y_max * 1.0001)
        aspect = x_max / y_max
        scale = (x_max, y_max)
        unmeasured = int(len(xs) - known.sum())
    aspect = min(max(aspect, 0.25), 4.0)
    rows = max(4, round(GRID_COLUMNS / aspect))
    inside = (u >= 0) & (u < 1) & (v >= 0) & (v < 1)
    grid = np.zeros((rows, GRID_COLUMNS), dtype=np.int64)
    np.add.at(grid, ((v[inside] * rows).astype(int), (u[inside] * GRID_COLUMNS).astype(int)), 1)
    return Points(grid, by_size, aspect, int(inside.sum()), int((~inside).sum()), unmeasured,
                  scale)
