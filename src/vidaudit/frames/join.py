"""Joining a frame source's rows onto a profile's tables.

A profile calls these from ``attach_frames`` with the names of its own tables and
columns; the VA401-VA403 predicates (:mod:`vidaudit.rules.frames`) read the
columns added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from vidaudit.frames.rows import MediaRow


def add_presence(videos: pd.DataFrame, rows: Mapping[str, MediaRow], missing: str,
                 video_column: str = "video_id") -> None:
    """On a table with one row per video: ``has_frames`` and, for VA401's message,
    ``missing_detail`` (where the video was looked for)."""
    import numpy as np

    at = _row_of(videos[video_column], rows)
    listed = at >= 0
    videos["has_frames"] = listed & _with_frames(rows)[at]
    videos["missing_detail"] = np.where(listed, "its frame source has 0 frames", missing
                                        ).astype(object)


def add_frame_columns(table: pd.DataFrame, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], video_column: str = "video_id") -> None:
    """On rows that name a frame or a point: the video's ``frame_count``, ``width``,
    ``height``, ``last_frame``, ``has_frames`` and ``count_source`` (where the numbers
    come from, for messages). Videos without usable frames get nulls."""
    import numpy as np

    at = _row_of(table[video_column], rows)
    usable = (at >= 0) & _with_frames(rows)[at]
    at[~usable] = -1  # none: a null, and the "" after the sources
    for column in ("frame_count", "width", "height"):
        table[column] = _counts(rows, column).take(at, allow_fill=True)
    table["last_frame"] = table["frame_count"] - 1
    table["has_frames"] = usable
    table["count_source"] = np.array([*map(where.__getitem__, rows), ""], dtype=object)[at]


def _row_of(video_ids: pd.Series, rows: Mapping[str, MediaRow]) -> np.ndarray:
    """Per value, the position of its video's row in ``rows`` (-1: none; a value that is
    not a string names no video). Looked up in a dict: the ids' hashes are mostly known
    already, which makes it several times quicker than a pandas index."""
    import numpy as np

    from vidaudit.frames.table import MediaRows

    index = rows.positions() if isinstance(rows, MediaRows) else \
        {video_id: n for n, video_id in enumerate(rows)}
    values = video_ids.to_numpy(dtype=object).tolist()
    try:
        found = map(index.get, values, repeat(-1))
        return np.fromiter(found, dtype=np.int64, count=len(values))
    except TypeError:  # an unhashable value (a list, an object)
        return np.fromiter((index.get(v, -1) if isinstance(v, str) else -1 for v in values),
                           dtype=np.int64, count=len(values))


def _with_frames(rows: Mapping[str, MediaRow]) -> np.ndarray:
    """Per row of ``rows``: the video has frames (a count that is not 0; an unknown count
    is not 0); then False, which position -1 (no row) reads."""
    import numpy as np

    has = (_counts(rows, "frame_count") != 0).fillna(True)
    return np.append(np.asarray(has, dtype=bool), False)


def _counts(rows: Mapping[str, MediaRow], name: str) -> Any:
    """An integer field of every row (Int64, in the mapping's order; a table's column
    when the rows are one)."""
    import pandas as pd

    from vidaudit.frames.table import MediaRows

    if isinstance(rows, MediaRows):
        return rows.ints(name)
    return pd.array([getattr(row, name) for row in rows.values()], dtype="Int64")
