"""The contact/release profile's part of the HTML report: the dataset at a glance, its
charts, sample frames per template, and thumbnails of the findings that name a point."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vidaudit.findingtable import field_values
from vidaudit.graphics import charts, thumbnails
from vidaudit.profiles.parts import ReportSection
from vidaudit.profiles.ssv2_contact_release.glance import GROUPS, NO_SPLIT, Glance, glance

if TYPE_CHECKING:
    import pandas as pd

    from vidaudit.dataset import Dataset
    from vidaudit.model import Finding

THUMBS_PER_RULE = 12
SAMPLE_TEMPLATES = 30
TOP_TEMPLATES = 25
POINT_RULES = ("VA403", "VA502")
SPLIT_COLORS = {"train": "#4c78a8", "validation": "#f58518", "test": "#54a24b",
                NO_SPLIT: "#e45756"}


def report_section(dataset: Dataset, groups: Mapping[str, Sequence[Finding]],
                   frame_dir: Path | None) -> ReportSection | None:
    events = dataset.tables.get("events")
    if events is None:
        return None
    seen = glance(dataset)
    found = {code: _finding_thumbnails(groups[code], events, frame_dir)
             for code in POINT_RULES if code in groups}
    context = {"glance": seen, "charts": _charts(seen),
               "samples": _samples(dataset.tables, frame_dir),
               "frame_images": frame_dir is not None, "split_colors": SPLIT_COLORS}
    cards = [(seen.videos, "videos"), (seen.events, "events"), (seen.templates, "templates")]
    return ReportSection("vidaudit.profiles.ssv2_contact_release", "glance.html.j2", context,
                         found, cards)


def _charts(seen: Glance) -> dict[str, Any]:
    series = [(group, SPLIT_COLORS[group]) for group in GROUPS]
    rows = [(row.template, [row.events_by_split[g] for g in GROUPS])
            for row in seen.template_rows]
    largest = max((row.events for row in seen.template_rows), default=0)
    positions = seen.positions
    if positions.relative:
        position = charts.histogram(
            positions.counts, positions.edges, x_label="position in the clip "
            "(frameNumber / frame_count)", y_label="events", tick_format="{:.0%}",
            extra=("after end", positions.beyond, "#e45756"))
    else:
        overflow = (f"≥ {positions.edges[-1]:g}", positions.beyond, "#9198a1")
        position = charts.histogram(positions.counts, positions.edges, x_label="frameNumber",
                                    y_label="events",
                                    extra=overflow if positions.beyond else None)
    per_video = seen.videos_by_events
    names = [str(i) for i in range(len(per_video) - 1)] + [f"{len(per_video) - 1}+"]
    return {
        "templates": charts.stacked_bars(rows[:TOP_TEMPLATES], series, largest=largest),
        "templates_rest": charts.stacked_bars(rows[TOP_TEMPLATES:], series, largest=largest)
        if len(rows) > TOP_TEMPLATES else None,
        "positions": position,
        "per_video": charts.histogram(per_video, list(range(len(per_video) + 1)),
                                      x_label="events per video", y_label="videos",
                                      categories=names, highlight={0: "#e45756"}, height=170),
        "heat": charts.heat_map(seen.points.grid),
        "pair_max": max(seen.action_agent.values(), default=0),
    }


def _row(events: pd.DataFrame, index: int) -> dict[str, Any]:
    columns = [c for c in ("video_id", "event_index", "action", "agent", "frameNumber",
                           "pointX", "pointY", "width", "height", "frame_count")
               if c in events.columns]
    return {c: events[c].iat[index] for c in columns}


def _spot(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the thumbnail drawer names things."""
    return {"video_id": event.get("video_id"), "frame": event.get("frameNumber"),
            "x": event.get("pointX"), "y": event.get("pointY"),
            "width": event.get("width"), "height": event.get("height")}


def _event_caption(event: dict[str, Any]) -> str:
    from vidaudit.values import show

    return (f"frame {show(event.get('frameNumber'))} · point ({show(event.get('pointX'))}, "
            f"{show(event.get('pointY'))}) · {show(event.get('action'))} by "
            f"{show(event.get('agent'))}").replace('"', "")


def _finding_thumbnails(found: Sequence[Finding], events: pd.DataFrame,
                        frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    """Thumbnails of the first findings (in report order) that name an event or one of
    its members. Only the findings' events are looked up (one pass over the events'
    pointers), not every event: the file may have half a million."""
    pointers = field_values(found, "pointer")
    rows = _event_rows(events, [*pointers, *(p.rsplit("/", 1)[0] for p in pointers)])
    made: list[thumbnails.Thumbnail] = []
    seen: set[int] = set()
    for finding in found:
        if len(made) >= THUMBS_PER_RULE:
            break
        index = rows.get(finding.pointer)
        if index is None:
            index = rows.get(finding.pointer.rsplit("/", 1)[0])
        if index is None or index in seen:
            continue
        seen.add(index)
        event = _row(events, index)
        thumb = thumbnails.thumbnail(_spot(event), frame_dir, f"video {event['video_id']}, "
                                     f"event {event['event_index']}", finding.message)
        if thumb is not None:
            made.append(thumb)
    return made


def _event_rows(events: pd.DataFrame, pointers: list[str]) -> dict[str, int]:
    """The row of the event at each of ``pointers`` that names one (the last row, should
    two events share a pointer)."""
    column = events["pointer"]
    rows: list[int] = np.flatnonzero(column.isin(pointers).to_numpy()).tolist()
    named: list[str] = column.to_numpy()[rows].tolist()
    return dict(zip(named, rows, strict=True))


def _samples(tables: dict[str, pd.DataFrame],
             frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    """One event per template (the first event of the first listed video that has one)."""
    import pandas as pd

    events = tables["events"]
    video_ids = events["video_id"]
    first_event = pd.Series(np.arange(len(video_ids)), index=pd.Index(video_ids, dtype=object))
    first_event = first_event[~first_event.index.duplicated()]
    entries = tables["template_entries"]
    listed = entries["key"].isin(first_event.index).to_numpy()  # listed videos with events
    firsts = entries.loc[listed, ["template", "key"]].drop_duplicates("template")
    chosen = zip(firsts["template"].tolist()[:SAMPLE_TEMPLATES],
                 first_event.loc[firsts["key"].iloc[:SAMPLE_TEMPLATES]].tolist(), strict=True)
    made = []
    for template, index in chosen:
        event = _row(events, index)
        thumb = thumbnails.thumbnail(_spot(event), frame_dir, str(template),
                                     f"video {event['video_id']} · {_event_caption(event)}")
        if thumb is not None:
            made.append(thumb)
    return made
