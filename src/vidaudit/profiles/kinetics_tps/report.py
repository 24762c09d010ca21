"""The ``kinetics-tps`` profile's part of the HTML report: its counts, the ``parts``
shapes it found, and each box that leaves its frame (VA408) drawn on the frame when
``--frames`` is given."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.graphics.boxes import box_thumbnail, frame_file
from vidaudit.graphics.thumbnails import Thumbnail
from vidaudit.jsonpos import split_pointer
from vidaudit.profiles.kinetics_tps.lists import VIDEO_ID
from vidaudit.profiles.kinetics_tps.tables import classes
from vidaudit.profiles.kinetics_tps.walk import FILE_NAME
from vidaudit.profiles.parts import ReportSection
from vidaudit.rules.boxes import parse_box

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.model import Finding

THUMBS_PER_RULE = 12
MAX_JSON_BYTES = 1 << 20


def report_section(dataset: Dataset, groups: Mapping[str, Sequence[Finding]],
                   frame_dir: Path | None) -> ReportSection:
    stats = dataset.stats
    thumbs: dict[str, list[Thumbnail]] = {}
    if frame_dir is not None and "VA408" in groups:
        made = (_thumbnail(f, frame_dir) for f in groups["VA408"])
        thumbs["VA408"] = [t for t in made if t is not None][:THUMBS_PER_RULE]
    cards = [(stats.get("videos", 0), "videos"), (stats.get("files", 0), "per-frame files"),
             (stats.get("boxes", 0), "boxes")]
    return ReportSection("vidaudit.profiles.kinetics_tps", "glance.html.j2",
                         {"stats": stats}, thumbs, cards)


def _thumbnail(finding: Finding, frame_dir: Path) -> Thumbnail | None:
    """The finding's box on its frame: the frame is found from the annotation file's
    place (``.../<class>/<video>/img_NNNNN.json``), every name validated first."""
    parts = Path(finding.file).parts[-3:]
    if len(parts) != 3:
        return None
    klass, video, name = parts
    match = FILE_NAME.fullmatch(name)
    if klass not in classes() or not VIDEO_ID.fullmatch(video) or match is None:
        return None
    box = _box_at(Path(finding.file), finding.pointer)
    if box is None:
        return None
    index = int(match.group(1))
    path = frame_file(frame_dir, klass, video, f"img_{index:05d}.jpg")
    return box_thumbnail(path, box, f"{video}, frame {index}", finding.message)


def _box_at(path: Path, pointer: str) -> tuple[float, float, float, float] | None:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return None
        value: Any = json.loads(path.read_bytes())
        for token in split_pointer(pointer):
            value = value[int(token)] if isinstance(value, list) else value[token]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return parse_box(value)[0]
