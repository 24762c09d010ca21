"""The contact/release profile's part of the HTML report: the dataset at a glance, its
charts, sample frames per template, and thumbnails of the findings that name a point."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def report_section(dataset: Dataset, groups: Mapping[str, list[Finding]],
                   frame_dir: Path | None) -> ReportSection | None:
    events = dataset.tables.get("events")
    if events is None:
        return None
    seen = glance(dataset)
    rows_by_pointer = {p: i for i, p in enumerate(events["pointer"])}
    found = {code: _finding_thumbnails(groups[code], events, rows_by_pointer, frame_dir)
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


def _finding_thumbnails(found: list[Finding], events: pd.DataFrame,
                        rows_by_pointer: dict[str, int],
                        frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    made: list[thumbnails.Thumbnail] = []
    seen: set[int] = set()
    for finding in found:
        if len(made) >= THUMBS_PER_RULE:
            break
        index = rows_by_pointer.get(finding.pointer)
        if index is None:
            index = rows_by_pointer.get(finding.pointer.rsplit("/", 1)[0])
        if index is None or index in seen:
            continue
        seen.add(index)
        event = _row(events, index)
        thumb = thumbnails.thumbnail(_spot(event), frame_dir, f"video {event['video_id']}, "
                                     f"event {event['event_index']}", finding.message)
        if thumb is not None:
            made.append(thumb)
    return made


def _samples(tables: dict[str, pd.DataFrame],
             frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    """One event per template (the first event of the first listed video that has one)."""
    events = tables["events"]
    first_event: dict[Any, int] = {}
    for index, video_id in enumerate(events["video_id"]):
        first_event.setdefault(video_id, index)
    chosen: dict[str, int] = {}
    for template, key in zip(tables["template_entries"]["template"],
                             tables["template_entries"]["key"], strict=True):
        if template not in chosen and key in first_event:
            chosen[template] = first_event[key]
    made = []
    for template, index in list(chosen.items())[:SAMPLE_TEMPLATES]:
        event = _row(events, index)
        thumb = thumbnails.thumbnail(_spot(event), frame_dir, str(template),
                                     f"video {event['video_id']} · {_event_caption(event)}")
        if thumb is not None:
            made.append(thumb)
    return made
