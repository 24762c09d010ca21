"""Reading well-formed manifests with pandas' C parser.

The exact readers (:mod:`~vidaudit.frames.rawframes`, :mod:`~vidaudit.frames.csvio`)
diagnose every line in Python, which made SSv2's three rawframes lists (220,821 lines)
cost more than the check they feed. Here a file is parsed in C and validated column by
column; :func:`rawframes_table` and :func:`csv_table` return ``None`` whenever the
file holds anything the C parser might read differently from the exact reader (a
malformed line, a blank line, a quote, a sign, a leading zero, a stray carriage return,
non-ASCII text ...). The caller then reads that file with the exact reader, so every
finding and line number stays what the exact reader says; the fast path only ever
accepts files on which the two agree (``tests/frames/test_frames_fastread.py``
checks that on generated files).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from typing import TYPE_CHECKING, Any

from vidaudit.frames import table as rowtable
from vidaudit.frames.rows import REQUIRED

if TYPE_CHECKING:
    import pandas as pd

_CONTROL = (b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
"""ASCII characters that Python's ``\\s`` or the C parser treat specially."""
_LEADING_ZERO = re.compile(rb"(?m)^[ \t]*0[0-9]")
_PADDED_COUNT = re.compile(rb"[ \t]0[0-9]")
"""A count (or label) with a leading zero: the exact reader counts its digits."""
_NEGATIVE_ZERO = re.compile(rb"(?m)(?:^|[ \t])-0")
"""``-0``: the C parser reads it as 0, the exact reader refuses it (other negative
numbers are refused after parsing)."""
_FIELD_LIMIT = 131072
"""The csv module's default field size limit: a longer line is left to the exact reader."""
_MAX_ID = 10**rowtable.KEY_DIGITS
"""Ids and numbers at or above this go to the exact reader (no int64/float rounding)."""
_MAX_NUMBER = 2**62
"""Larger numbers in a CSV go to the exact reader (float rounding); mtimes in ns fit."""
_MAX_COUNT = 10**18
"""A rawframes count has at most 18 digits."""


def _plain(data: bytes) -> bytes | None:
    """The file without its byte-order mark, if it is plain ASCII text with ``\\n`` or
    ``\\r\\n`` line ends, else None."""
    body = data.removeprefix(codecs.BOM_UTF8)
    if not body or not body.isascii() or any(c in body for c in _CONTROL):
        return None
    # (Two-byte searches cost milliseconds on a large list: only where a \r is.)
    if b"\r" in body and body.count(b"\r") != body.count(b"\r\n"):
        return None
    return body


class _Shape:
    """A file's lines as seen by the checks below: where each starts and stops, found
    in one pass over the bytes; each property reads only what it needs of them."""

    def __init__(self, body: bytes) -> None:
        import numpy as np

        self.body = body
        self.codes = np.frombuffer(body, dtype=np.uint8)
        ends = np.flatnonzero(self.codes == 10)
        self.starts = np.concatenate(([0], ends + 1))
        self.stops = np.concatenate((ends, [len(body)]))
        self.lines = len(ends) + (not body.endswith(b"\n"))

    @property
    def longest(self) -> int:
        """The longest line's length."""
        return int((self.stops - self.starts).max())

    def _firsts(self) -> Any:
        return self.codes[self.starts[self.stops > self.starts]]

    @property
    def indented(self) -> bool:
        """A line starts with ``0``, a space or a tab (only then can a leading zero hide
        in an id)."""
        import numpy as np

        return bool(np.isin(self._firsts(), list(b"0 \t")).any())

    @property
    def single_spaced(self) -> bool:
        """Fields are separated by exactly one space: no tab or carriage return, no run
        of spaces, no space at either end of a line. Splitting on ``" "`` then gives
        what splitting on whitespace gives, and pandas' C parser does the former far
        faster."""
        if b"\t" in self.body or b"\r" in self.body:
            return False
        spaces = self.codes == 32
        lasts = self.codes[self.stops[self.stops > self.starts] - 1]
        return not (spaces[1:] & spaces[:-1]).any() and not (self._firsts() == 32).any() \
            and not (lasts == 32).any()


def _canonical_ids(names: Any) -> tuple[Any, Any] | None:
    """The names (object array) and their keys, if every one is a video id (digits, no
    leading zero) that has a key."""
    import numpy as np
    import pandas as pd

    texts = np.asarray(names, dtype=object)
    numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
    if numbers.isna().any() or not ((numbers >= 0) & (numbers < _MAX_ID)).all():
        return None
    keys = numbers.astype("int64")
    canonical = keys.astype(str).to_numpy(dtype=object)
    return (texts, keys.to_numpy()) if bool((canonical == texts).all()) else None


def rawframes_table(data: bytes) -> pd.DataFrame | None:
    """The table of a rawframes list (``frame_dir num_frames [label]``), or None."""
    import numpy as np
    import pandas as pd

    body = _plain(data)
    if body is None or b"+" in body:
        return None
    paths = b"/" in body
    if b"-" in body and _NEGATIVE_ZERO.search(body):
        return None
    shape = _Shape(body)
    if not paths and shape.indented and _LEADING_ZERO.search(body):
        return None
    if shape.longest > 20 and _PADDED_COUNT.search(body):
        return None  # a count of 19 or more digits, with leading zeros, may hide here
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # No value is taken for missing ("NA", "nan" ...): such a cell stays text,
            # which no check below accepts. A fourth field on every line is a warning
            # (index_col=False; else the first would be the index, which pandas makes a
            # RangeIndex if the ids happen to be evenly spaced).
            parsed = pd.read_csv(io.BytesIO(body), sep=" " if shape.single_spaced else r"\s+",
                                 header=None, names=["frame_dir", "num_frames", "label"],
                                 index_col=False,
                                 dtype={"frame_dir": object} if paths else None,
                                 na_filter=False, low_memory=False, quoting=csv.QUOTE_NONE,
                                 engine="c")
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning):
        return None
    if len(parsed) != shape.lines:  # a blank or whitespace-only line was skipped
        return None
    counts = parsed["num_frames"]
    if counts.dtype != np.int64 or not bool(((counts >= 0) & (counts < _MAX_COUNT)).all()):
        return None
    dirs = parsed["frame_dir"]
    columns: dict[str, Any] = {}
    if paths:
        named = _canonical_ids(dirs.str.rpartition("/")[2])
        if named is None:
            return None
        columns["video_id"], columns["key"] = named
    elif dirs.dtype == np.int64 and bool(((dirs >= 0) & (dirs < _MAX_ID)).all()):
        # No sign and no leading zero (checked above): the number is the id, and the
        # text is made only for the rows that are kept (vidaudit.frames.table.ids).
        columns["key"] = dirs.to_numpy()
    else:
        return None
    length = len(parsed)
    return rowtable.light({
        **columns,
        "frame_count": counts.to_numpy(),
        "count_method": pd.Categorical.from_codes(  # one value: cheap to store and to take
            np.zeros(length, dtype="int8"), categories=pd.Index(["list"])),
        "line": np.arange(1, length + 1),
    })


def csv_table(data: bytes) -> pd.DataFrame | None:
    """The table of a CSV manifest whose cells are all plain, or None."""
    import numpy as np
    import pandas as pd

    body = _plain(data)
    if body is None or b'"' in body or b"\t" in body:
        return None
    # Cells are used stripped: no space may touch a delimiter or a line end.
    if body[:1] == b" " or body.rstrip(b"\n").endswith((b" ", b"\r")) or any(
            p in body for p in (b" ,", b", ", b" \n", b"\n ", b" \r")):
        return None
    first = body[:body.find(b"\n")] if b"\n" in body else body
    header = [cell.strip().lower() for cell in first.decode("ascii").split(",")]
    if len(set(header)) != len(header) or any(name not in header for name in REQUIRED):
        return None
    shape = _Shape(body)
    lines = shape.lines
    if shape.longest >= _FIELD_LIMIT or lines < 2 or \
            body.count(b",") != (len(header) - 1) * lines:
        return None  # a row with another number of fields
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            cells = pd.read_csv(io.BytesIO(body), header=None, skiprows=1, names=header,
                                dtype=object, na_filter=False, quoting=csv.QUOTE_NONE,
                                engine="c")
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning):
        return None
    if not isinstance(cells.index, pd.RangeIndex) or len(cells) != lines - 1:
        return None
    named = _canonical_ids(cells["video_id"])
    if named is None:
        return None
    length = len(cells)
    columns: dict[str, Any] = {"video_id": named[0], "key": named[1],
                               "line": np.arange(2, length + 2)}
    for name in ("frame_count", "width", "height", "first_index", "gaps", "extra", "size",
                 "mtime"):
        if name in cells:
            values = _integers(cells[name])
            if values is None:
                return None
            columns[name] = values
    for name in rowtable.COUNTS:
        if name in columns:
            if columns[name].isna().any():
                return None  # empty: the exact reader makes it 0; rare enough to leave to it
            columns[name] = columns[name].to_numpy(dtype="int64")
    if "width" in columns or "height" in columns:
        width = columns.get("width", rowtable.empty_column("width", length))
        height = columns.get("height", rowtable.empty_column("height", length))
        if not bool((width.isna() == height.isna()).all()) or \
                bool((width == 0).fillna(False).any() or (height == 0).fillna(False).any()):
            return None
    if "fps" in cells:
        given = cells["fps"] != ""
        fps = pd.to_numeric(cells["fps"].where(given, "nan"), errors="coerce")
        if not bool((~given | (np.isfinite(fps) & (fps > 0))).all()):
            return None
        columns["fps"] = fps.to_numpy(dtype="float64")
    for name in rowtable.TEXTS:
        if name in cells:
            columns[name] = cells[name].to_numpy(dtype=object)
    return rowtable.complete(columns, length)


def _integers(cells: Any) -> Any:
    """Int64 values of a column of canonical decimal cells ("" for empty), or None."""
    import numpy as np
    import pandas as pd

    given = (cells != "").to_numpy()
    if not given.any():
        return rowtable.empty_column("frame_count", len(cells))
    texts = cells[given]
    numbers = pd.to_numeric(texts, errors="coerce")
    if numbers.isna().any() or not ((numbers >= 0) & (numbers < _MAX_NUMBER)).all():
        return None
    whole = numbers.astype("int64")
    if not bool((whole.astype(str).to_numpy(dtype=object) == texts.to_numpy(dtype=object))
                .all()):
        return None  # "007", "1e3", "5.0": the exact reader decides
    values = np.zeros(len(cells), dtype="int64")
    values[given] = whole.to_numpy()
    return pd.arrays.IntegerArray(values, ~given)
