"""Vectorised tests on columns of raw JSON values (object dtype).

The columns hold whatever the JSON held: ints, floats, strings, null, lists,
dicts, or the MISSING marker. These helpers answer per-row questions without a
Python-level lambda per value where pandas can do the work.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from vidaudit.values import MISSING, as_floats, is_video_id

_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("vidaudit_series_memo", default=None)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Facts about columns computed once while the tables do not change (one run of the
    table checks); forgotten on leaving, before the columns' memory can be reused."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


class _Kinds(dict[type, int]):
    def __missing__(self, kind: type) -> int:
        return 0


_KINDS = _Kinds({str: 1, int: 2, float: 3, type(MISSING): 4})


def kinds(series: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """Per value: 1 str, 2 int (not bool), 3 float, 4 MISSING, 0 anything else."""
    return np.fromiter(map(_KINDS.__getitem__, map(type, series.to_numpy())), dtype=np.int8,
                       count=len(series))


def video_ids(series: pd.Series[Any]) -> pd.Series[bool]:
    """:func:`vidaudit.values.is_video_id` of each value, vectorised where the column
    holds only strings without line breaks; a value at a time otherwise."""
    values = series.tolist()
    if values:
        try:
            joined = "\n".join(values)  # one pass over the values; fails on a non-string
        except TypeError:
            joined = None
        valid = None if joined is None else _ids_in(joined, len(values))
        if valid is not None:
            return pd.Series(valid, index=series.index, dtype=bool)
    return each(series, is_video_id)


def _ids_in(joined: str, count: int) -> np.ndarray[Any, Any] | None:
    """Which of the ``count`` line-break-separated strings of ``joined`` are video ids;
    None when they do not number ``count`` (a string holds a line break).

    In UTF-8 every byte of a non-ASCII character is above 0x7F, so a line break is the
    byte 0x0A and nothing else, and a digit 0-9 a byte 0x30-0x39 and nothing else.
    """
    codes = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    breaks = np.flatnonzero(codes == ord("\n"))
    if len(breaks) != count - 1:
        return None
    starts = np.concatenate(([0], breaks + 1))
    lengths = np.concatenate((breaks, [len(codes)])) - starts
    others = np.flatnonzero(((codes < ord("0")) | (codes > ord("9"))) & (codes != ord("\n")))
    valid = lengths > 0
    valid[np.searchsorted(breaks, others)] = False  # the string holding each non-digit
    first = codes[starts[valid]]
    valid[valid] = (first != ord("0")) | (lengths[valid] == 1)  # no leading zero
    return valid


def each(series: pd.Series[Any], test: Callable[[Any], bool]) -> pd.Series[bool]:
    return pd.Series([test(v) for v in series], index=series.index, dtype=bool)


def in_vocabulary(series: pd.Series[Any], allowed: Collection[str]) -> pd.Series[bool]:
    """True where the value is one of ``allowed`` (strings only) or absent."""
    words = [word for word in allowed if isinstance(word, str)]
    try:
        # One hash lookup per value: a JSON value (a plain str, never a subclass) equals
        # a string only if it is that string, and MISSING only itself. A list or dict
        # is unhashable, and sent the slower way.
        found = series.isin([*words, MISSING]).to_numpy()
    except TypeError:
        kind = kinds(series)
        strings = kind == 1
        found = kind == 4
        found[strings] = series[strings].isin(words).to_numpy()
    return pd.Series(found, index=series.index, dtype=bool)


def numbers(series: pd.Series[Any]) -> Numbers:
    """The facts about a column of numbers. Several rules ask about the same column
    (VA205-VA207 about each number): inside :func:`remembered`, they are computed once."""
    memo = _MEMO.get()
    if memo is None:
        return Numbers(series)
    values = series.to_numpy()
    key = (values.__array_interface__["data"][0], values.strides, len(values),
           values.dtype.str)
    known = memo.get(key)
    if known is None:
        known = memo[key] = Numbers(series)
    return known


class Numbers:
    """Per-row facts about a column that should hold JSON integers."""

    def __init__(self, series: pd.Series[Any]) -> None:
        kind = kinds(series)
        self.missing = kind == 4
        self.is_int = kind == 2
        self.is_float = kind == 3
        floats = as_floats(series, self.is_int | self.is_float)  # the ints keep their sign
        self.finite_float = self.is_float & np.isfinite(floats)
        # NaN and inf are neither whole nor negative
        floats[~(self.finite_float | self.is_int)] = 0
        self.whole_float = self.finite_float & (np.trunc(floats) == floats)  # mod: slower
        self.negative = floats < 0
        self.index = series.index

    def frame(self, values: np.ndarray[Any, Any]) -> pd.Series[bool]:
        return pd.Series(values, index=self.index, dtype=bool)
