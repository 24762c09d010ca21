"""The ``manifest`` table: one row per video of a frame source, as the VA404-VA407 rules
read it (``frame_count``, ``gaps``, ``unreadable``, ``sequence_problem``, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from vidaudit.frames.paths import FrameNaming
    from vidaudit.frames.rows import MediaRow


def manifest_table(rows: list[MediaRow], files: list[str],
                   naming: FrameNaming | None = None) -> pd.DataFrame:
    """The table of ``rows``, each probed from (or listed in) the file beside it."""
    from vidaudit.frames.table import from_rows

    return manifest_frame(from_rows(rows, files), naming)


def manifest_frame(rows: pd.DataFrame, naming: FrameNaming | None = None) -> pd.DataFrame:
    """One row per video. ``naming``: how the profile names frames (``first_index`` is
    relative to its first index), for VA404's message."""
    import pandas as pd

    from vidaudit.frames.paths import DEFAULT_NAMING
    from vidaudit.frames.table import clean, ids, to_rows

    naming = naming or DEFAULT_NAMING

    def ints(name: str) -> Any:
        return pd.array(rows[name].array, dtype="Int64")

    def objects(name: str) -> Any:
        return pd.Series(rows[name].to_numpy(dtype=object), dtype=object)

    video_ids = pd.Series(ids(rows), dtype=object)
    table = pd.DataFrame({
        "video_id": video_ids,
        "frame_count": ints("frame_count"),
        "width": ints("width"),
        "height": ints("height"),
        "first_index": ints("first_index"),
        "gaps": pd.Series(rows["gaps"].to_numpy(), dtype="int64"),
        "extra": pd.Series(rows["extra"].to_numpy(), dtype="int64"),
        "unreadable": objects("unreadable"),
        "size_mismatch": objects("size_mismatch"),
        "source": objects("source"),
        "count_method": objects("count_method"),
        "file": objects("file"),
        "pointer": "",
        "line": ints("line"),
        "identity": video_ids.copy(),
    })
    # Rows read from a manifest file name their media in messages; probed rows'
    # findings already point at the media.
    named = (table["source"] != "").to_numpy(dtype=bool) & \
        table["line"].fillna(0).ne(0).to_numpy(dtype=bool)
    table["where"] = _texts(len(table), named, [
        f" ({source})" for source in table["source"].to_numpy()[named].tolist()])
    odd = ~clean(rows)
    table["sequence_problem"] = _texts(len(table), odd, [
        _sequence_problem(row, naming) for row in to_rows(rows.loc[odd])] if odd.any() else [])
    table["expected_frames"] = f"{naming.name(naming.first)} to {naming.prefix}{{n" \
        f"{'-1' if naming.first == 0 else ''}}}{naming.suffix}"
    return table


def _texts(length: int, where: Any, texts: list[str]) -> Any:
    """A column of ``length`` strings: ``texts`` where ``where`` is true, else ""."""
    import numpy as np

    column = np.full(length, "", dtype=object)
    column[np.flatnonzero(where)] = texts
    return column


def _sequence_problem(row: MediaRow, naming: FrameNaming) -> str:
    parts = []
    if row.first_index not in (None, 0):
        parts.append(f"numbering starts at {naming.name(naming.first + row.first_index)}")
    missing = row.gaps - (row.first_index or 0)
    if missing > 0:
        parts.append(f"{missing} {'index' if missing == 1 else 'indices'} missing in between")
    if row.extra:
        parts.append(f"{row.extra} image file{'s' if row.extra != 1 else ''} not named "
                     f"{naming.pattern}")
    return "; ".join(parts)
