"""Joining a frame source's rows onto a profile's tables.

A profile calls these from ``attach_frames`` with the names of its own tables and
columns; the VA401-VA403 predicates (:mod:`vidaudit.rules.frames`) read the
columns added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from vidaudit.frames.rows import MediaRow


def add_presence(videos: pd.DataFrame, rows: Mapping[str, MediaRow], missing: str,
                 video_column: str = "video_id") -> None:
    """On a table with one row per video: ``has_frames`` and, for VA401's message,
    ``missing_detail`` (where the video was looked for)."""
    found = [rows.get(v) if isinstance(v, str) else None for v in videos[video_column]]
    videos["has_frames"] = [row is not None and row.frame_count != 0 for row in found]
    videos["missing_detail"] = [missing if row is None else "its frame source has 0 frames"
                                for row in found]


def add_frame_columns(table: pd.DataFrame, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], video_column: str = "video_id") -> None:
    """On rows that name a frame or a point: the video's ``frame_count``, ``width``,
    ``height``, ``last_frame``, ``has_frames`` and ``count_source`` (where the numbers
    come from, for messages). Videos without usable frames get nulls."""
    import pandas as pd

    joined = [rows.get(v) if isinstance(v, str) else None for v in table[video_column]]
    joined = [r if r is not None and r.frame_count != 0 else None for r in joined]
    for column in ("frame_count", "width", "height"):
        table[column] = pd.array([getattr(r, column) if r is not None else None
                                  for r in joined], dtype="Int64")
    table["last_frame"] = table["frame_count"] - 1
    table["has_frames"] = [r is not None for r in joined]
    table["count_source"] = [where[r.video_id] if r is not None else "" for r in joined]
