"""Manifest rows as tables (a DataFrame with a column per MediaRow field), and the set
of rows several manifests make together.

A 200,000-line rawframes list read row by row into Python objects costs more than
the whole check it feeds; as columns it costs a few milliseconds. Readers that
work line by line (the exact fallbacks, probing) make MediaRow objects, and
:func:`from_rows` turns them into the same table, so everything downstream (merging
manifests, joining them onto the events) has one, vectorised, path.

A table may be *light*: only the columns its reader knows (a rawframes list: key,
count, line). :func:`complete` fills in the others, and :class:`RowSet` does so only
for the rows that are used: of SSv2's 220,847 listed videos, a release annotates a
few thousand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vidaudit.frames.problems import LineProblem
from vidaudit.frames.rows import FIELD_NAMES, MediaRow

if TYPE_CHECKING:
    import pandas as pd

INTS = ("frame_count", "width", "height", "first_index", "size", "mtime", "line")
"""Nullable integer columns (Int64)."""
COUNTS = ("gaps", "extra")
"""Integer columns that are never empty (int64)."""
TEXTS = ("unreadable", "size_mismatch", "source", "count_method", "checked")
"""Text columns, "" when empty (object)."""
KEY_DIGITS = 18
"""Ids of up to this many digits have an int64 ``key`` (their value); longer ones -1.

Video ids are digits without leading zeros, so the key is the id: hashing, finding
repeats and joining on 200,000 int64 keys is several times faster than on strings. A
reader may leave out ``video_id`` where the key says it (see :func:`ids`), so that
only the rows that are used are ever turned into text."""


def empty_column(name: str, length: int) -> Any:
    """A column of ``length`` empty values of the dtype ``name`` has in the table."""
    import numpy as np
    import pandas as pd

    if name in INTS:
        return pd.arrays.IntegerArray(np.zeros(length, dtype="int64"),
                                      np.ones(length, dtype=bool))
    if name in COUNTS:
        return np.zeros(length, dtype="int64")
    if name == "fps":
        return np.full(length, np.nan)
    if name == "video_id":
        return np.full(length, None, dtype=object)
    return np.full(length, "", dtype=object)


def light(columns: dict[str, Any]) -> pd.DataFrame:
    """A table of only the given columns (``key`` among them), as given."""
    import pandas as pd

    return pd.DataFrame(columns, copy=False)


def complete(columns: dict[str, Any] | pd.DataFrame, length: int | None = None
             ) -> pd.DataFrame:
    """The full table from the columns a reader has (``video_id`` or ``key`` or both);
    absent ones are empty (an absent ``video_id``: the key's text). Other columns
    (``file``) are kept, after the fields."""
    import numpy as np
    import pandas as pd

    if length is None:
        length = len(columns)  # a DataFrame
    data: dict[str, Any] = {}
    if "key" in columns:
        data["key"] = np.asarray(columns["key"], dtype="int64")
    else:
        data["key"] = np.fromiter(map(key_of, columns["video_id"]), dtype="int64",
                                  count=length)
    for name in FIELD_NAMES:
        column: Any = columns[name] if name in columns else \
            _texts(data["key"]) if name == "video_id" else empty_column(name, length)
        if isinstance(column, pd.Series):
            column = column.array
        if name in INTS and getattr(column, "dtype", None) != "Int64":
            column = pd.array(column, dtype="Int64")
        elif name == "video_id" or name in TEXTS:  # as given: no inference of a str dtype
            column = np.asarray(column, dtype=object)
        data[name] = column
    for extra in columns:
        if extra not in data:
            data[str(extra)] = np.asarray(columns[extra])  # type: ignore[index]
    table = pd.DataFrame(data, copy=False)
    for name in ("video_id", *TEXTS):
        if table[name].dtype != object:
            table[name] = table[name].astype(object)
    return table


def key_of(video_id: str) -> int:
    """The ``key`` of a video id: its number for a decimal id without leading zeros that
    fits, else -1 (compared by its text: a long SSv2 id, SA-V's ``sav_000011``)."""
    if len(video_id) <= KEY_DIGITS and video_id.isascii() and video_id.isdigit() \
            and (video_id[0] != "0" or video_id == "0"):
        return int(video_id)
    return -1


def keys_of(video_ids: list[str]) -> Any:
    """The keys of those ``video_ids`` that have one (see :func:`key_of`), int64.

    Usually every id has one: then they are checked and parsed as one text, in C, not
    one by one (a release's ten thousand ids: a few tenths of a millisecond, not two).
    """
    import numpy as np

    text = " ".join(video_ids)
    if _all_keys(text, video_ids):
        return np.fromstring(text, dtype=np.int64, sep=" ")
    keys = np.fromiter(map(key_of, video_ids), dtype=np.int64, count=len(video_ids))
    return keys[keys >= 0]


def _all_keys(text: str, video_ids: list[str]) -> bool:
    """Whether every id of ``text`` (``video_ids`` joined by spaces) has a key: only
    digits, one space between ids, none empty, too long or with a leading zero (nor
    the id "0": it takes the slow path). Byte searches, no regular expression: a
    release's ids are 60 kB of text."""
    return bool(text) and text.isascii() and \
        not text.encode("ascii").translate(None, b"0123456789 ") and \
        text.count(" ") == len(video_ids) - 1 and "  " not in text and \
        text[0] not in " 0" and text[-1] != " " and " 0" not in text and \
        max(map(len, video_ids)) <= KEY_DIGITS


def ids(table: pd.DataFrame) -> Any:
    """The video ids of a table as an object array of strings (filled in from ``key``)."""
    if "video_id" not in table:
        return _texts(table["key"].to_numpy())
    given = table["video_id"].to_numpy(dtype=object)
    missing = table["video_id"].isna().to_numpy()
    if not missing.any():
        return given
    filled = given.copy()
    filled[missing] = _texts(table["key"].to_numpy()[missing])
    return filled


def _texts(keys: Any) -> Any:
    """The video ids that ``key`` values stand for (an object array of strings)."""
    import numpy as np

    texts = np.empty(len(keys), dtype=object)
    texts[:] = list(map(str, keys.tolist()))
    return texts


def from_rows(rows: Sequence[MediaRow], files: Sequence[str] | None = None) -> pd.DataFrame:
    """The table of rows made one by one (exact readers, probing); ``files``: the media
    or list each row came from, as the ``file`` column."""
    import numpy as np
    import pandas as pd

    columns: dict[str, Any] = {name: [getattr(r, name) for r in rows] for name in FIELD_NAMES}
    for name in INTS:
        columns[name] = pd.array(columns[name], dtype="Int64")
    columns["fps"] = pd.array([float("nan") if v is None else v for v in columns["fps"]],
                              dtype="float64")
    table = complete(columns, len(rows))
    if files is not None:
        column = np.empty(len(files), dtype=object)
        column[:] = list(files)
        table["file"] = column
    return table


def to_rows(table: pd.DataFrame) -> list[MediaRow]:
    """MediaRow objects again (for the rows of the annotated videos, which the profiles
    join one by one), read column by column: an empty value (NA, NaN) is None."""
    table = complete(table)
    values = {name: _plain(table[name]) for name in FIELD_NAMES if name != "video_id"}
    values["video_id"] = ids(table).tolist()
    return list(map(MediaRow, *(values[name] for name in FIELD_NAMES)))


def _plain(column: pd.Series[Any]) -> list[Any]:
    """A column's values as Python objects (ints as ``int``), None where empty."""
    import numpy as np

    plain: list[Any] = column.to_numpy(dtype=object).tolist()
    empty = column.isna().to_numpy(dtype=bool)
    for n in np.flatnonzero(empty).tolist():
        plain[n] = None
    return plain


class MediaRows(Mapping[str, MediaRow]):
    """The rows of the annotated videos by video id, kept as their table. A profile that
    asks for a :class:`MediaRow` gets one (all are made at the first such request); the
    joins (:mod:`vidaudit.frames.join`) read whole columns and make none."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._at = {video_id: n for n, video_id in enumerate(ids(table).tolist())}
        self._rows: list[MediaRow] | None = None

    def __getitem__(self, video_id: str) -> MediaRow:
        n = self._at[video_id]
        if self._rows is None:
            self._rows = to_rows(self.table)
        return self._rows[n]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def positions(self) -> dict[str, int]:
        """Each id's position in the order of the ids."""
        if len(self._at) == len(self.table):
            return self._at
        return {video_id: n for n, video_id in enumerate(self._at)}

    def ints(self, name: str) -> Any:
        """An integer field of every row (Int64), in the order of the ids."""
        import pandas as pd

        values = pd.array(self.table[name].array, dtype="Int64")
        if len(self._at) == len(values):
            return values
        return values.take(list(self._at.values()))

    def column(self, name: str) -> list[Any]:
        """A column's values (a field of :class:`MediaRow`, or ``file``) in the order of
        the ids, empty ones None."""
        values = _plain(self.table[name])
        if len(self._at) == len(values):
            return values
        return [values[n] for n in self._at.values()]  # a repeated id: its last row


def clean(table: pd.DataFrame) -> Any:
    """Boolean mask: rows that record no problem (as MediaRow.clean); an absent column
    records none."""
    import numpy as np

    mask = table["frame_count"].notna().to_numpy(dtype=bool).copy()
    for name in COUNTS:
        if name in table:
            mask &= (table[name] == 0).to_numpy(dtype=bool)
    for name in ("unreadable", "size_mismatch"):
        if name in table:
            mask &= (table[name] == "").to_numpy(dtype=bool)
    if "first_index" in table:
        mask &= table["first_index"].fillna(0).eq(0).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def _distinct(keys: Any) -> bool:
    """Whether the keys are certainly all different: counted, where they are dense enough
    (SSv2's ids run from 1 to 220,847), which is much quicker than hashing them."""
    import numpy as np

    return bool(len(keys)) and keys.min() >= 0 and keys.max() < 4 * len(keys) and \
        int(np.bincount(keys).max()) <= 1


@dataclass
class RowSet:
    """One row per video out of several tables (parts): the first listing of a video
    wins, later ones are :attr:`problems`. Rows are addressed by position in the
    concatenation of the parts; :meth:`select` makes full tables of the rows asked for.
    """

    parts: list[pd.DataFrame]
    files: list[str]
    """Each part's display path (a part with a ``file`` column names each row's own)."""
    chosen: Any
    """Positions (in the concatenated parts) of the rows kept, in order."""
    problems: list[list[LineProblem]]
    """Per part: the rows that repeat an earlier one."""

    @classmethod
    def of(cls, parts: list[pd.DataFrame], files: list[str]) -> RowSet:
        import numpy as np
        import pandas as pd

        keys = np.concatenate([p["key"].to_numpy(dtype="int64") for p in parts]) \
            if parts else np.zeros(0, dtype="int64")
        rows = cls(parts, files, np.arange(len(keys)), [[] for _ in parts])
        labels = pd.Series(keys if not (keys < 0).any() else rows._all_ids())
        again = np.zeros(len(keys), dtype=bool) if _distinct(keys) else \
            labels.duplicated(keep="first").to_numpy()
        if again.any():
            firsts = pd.Series(np.flatnonzero(~again), index=labels[~again].to_numpy())
            for position in np.flatnonzero(again):
                rows._repeat(int(position), int(firsts[labels[position]]))
            rows.chosen = np.flatnonzero(~again)
        return rows

    def __len__(self) -> int:
        return len(self.chosen)

    def _locate(self, positions: Any) -> tuple[Any, Any]:
        """(part, position in part) of each concatenated position."""
        import numpy as np

        starts = np.cumsum([0, *(len(p) for p in self.parts)])
        part = np.searchsorted(starts, positions, side="right") - 1
        return part, positions - starts[part]

    def _all_ids(self) -> Any:
        import numpy as np

        return np.concatenate([ids(p) for p in self.parts])

    def _cell(self, position: int, column: str) -> Any:
        part, at = self._locate(position)
        table = self.parts[int(part)]
        if column == "file":
            return table["file"].iloc[at] if "file" in table else self.files[int(part)]
        if column == "video_id":
            return ids(table.iloc[[int(at)]])[0]
        return table[column].iloc[at] if column in table else None

    def _repeat(self, position: int, first: int) -> None:
        import pandas as pd

        video_id = self._cell(position, "video_id")
        display, line = self._cell(position, "file"), self._cell(position, "line")
        earlier_file, earlier_line = self._cell(first, "file"), self._cell(first, "line")
        shown = "None" if earlier_line is None or earlier_line is pd.NA else str(earlier_line)
        where = f"line {shown}" if earlier_file == display else f"{earlier_file}:{shown}"
        part = int(self._locate(position)[0])
        self.problems[part].append(LineProblem(
            0 if line is None or line is pd.NA else int(line), f"video {video_id} is listed "
            f"again (first at {where}); this row is ignored", f"duplicate/{video_id}",
            video_id))

    @property
    def keys(self) -> Any:
        import numpy as np

        return np.concatenate([p["key"].to_numpy(dtype="int64") for p in self.parts]
                              )[self.chosen] if self.parts else np.zeros(0, dtype="int64")

    def clean(self) -> Any:
        import numpy as np

        if not self.parts:
            return np.zeros(0, dtype=bool)
        return np.concatenate([clean(p) for p in self.parts])[self.chosen]

    def select(self, mask: Any) -> pd.DataFrame:
        """The full table (with ``file``) of the kept rows where ``mask`` is true, in order."""
        import numpy as np
        import pandas as pd

        part, at = self._locate(self.chosen[np.asarray(mask, dtype=bool)])
        used = [(table, at[part == index], file) for index, (table, file)
                in enumerate(zip(self.parts, self.files, strict=True)) if (part == index).any()]
        if not used:
            empty = complete({"key": np.zeros(0, dtype="int64")}, 0)
            empty["file"] = np.zeros(0, dtype=object)
            return empty

        def joined(pieces: list[Any]) -> Any:
            return pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]

        # Column by column, completed once: a full table per part, then concatenated,
        # cost more than taking the rows themselves.
        names = dict.fromkeys(str(name) for table, _, _ in used for name in table
                              if name != "file")
        columns = {name: joined([table[name].iloc[here] if name in table else
                                 pd.Series(empty_column(name, len(here)))
                                 for table, here, _ in used]) for name in names}
        columns["file"] = joined([table["file"].iloc[here] if "file" in table else
                                  pd.Series(np.full(len(here), file, dtype=object))
                                  for table, here, file in used])
        return complete(columns, sum(len(here) for _, here, _ in used))
