"""The ``something-else`` profile's part of the HTML report: its counts, and each box
that leaves its frame (VA408) drawn on the frame when ``--frames`` is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.graphics.boxes import box_thumbnail, frame_file
from vidaudit.graphics.thumbnails import Thumbnail
from vidaudit.profiles.parts import ReportSection
from vidaudit.values import is_video_id

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.model import Finding

THUMBS_PER_RULE = 12


def report_section(dataset: Dataset, groups: Mapping[str, Sequence[Finding]],
                   frame_dir: Path | None) -> ReportSection:
    stats = dataset.stats
    thumbs: dict[str, list[Thumbnail]] = {}
    if frame_dir is not None and "VA408" in groups:
        thumbs["VA408"] = _thumbnails(dataset, groups["VA408"], frame_dir)
    cards = [(stats.get("videos", 0), "videos"), (stats.get("frames", 0), "annotated frames"),
             (stats.get("boxes", 0), "boxes")]
    return ReportSection("vidaudit.profiles.something_else", "glance.html.j2",
                         {"stats": stats}, thumbs, cards)


def _thumbnails(dataset: Dataset, found: Sequence[Finding], frame_dir: Path) -> list[Thumbnail]:
    boxes = dataset.tables["boxes"]
    at = {pointer: i for i, pointer in enumerate(boxes["box_pointer"])}
    made: list[Thumbnail] = []
    for finding in found:
        row = at.get(finding.pointer)
        if row is None:
            continue
        video, frame = boxes["video_id"].iloc[row], boxes["frame"].iloc[row]
        if not is_video_id(video) or type(frame) is not int or not 0 <= frame < 9999:
            continue
        x1, y1, x2, y2 = (float(boxes[c].iloc[row]) for c in ("x1", "y1", "x2", "y2"))
        path = frame_file(frame_dir, video, f"{frame + 1:04d}.jpg")
        thumb = box_thumbnail(path, (x1, y1, x2, y2),
                              f"video {video}, frame {frame + 1:04d}.jpg", finding.message)
        if thumb is not None:
            made.append(thumb)
        if len(made) == THUMBS_PER_RULE:
            break
    return made
