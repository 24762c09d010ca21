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

from vidaudit.values import MISSING, is_video_id

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
    holds only strings of ASCII without NUL (NumPy's fixed-width strings drop trailing
    NULs); a value at a time otherwise."""
    values = series.tolist()
    if len(values) and set(map(type, values)) == {str}:
        joined = "".join(values)
        if joined.isascii() and "\x00" not in joined:
            codes = np.array(values, dtype=np.bytes_)
            valid = np.char.isdigit(codes) & (
                ~np.char.startswith(codes, b"0") | (np.char.str_len(codes) == 1))
            return pd.Series(valid, index=series.index, dtype=bool)
    return each(series, is_video_id)


def each(series: pd.Series[Any], test: Callable[[Any], bool]) -> pd.Series[bool]:
    return pd.Series([test(v) for v in series], index=series.index, dtype=bool)


def in_vocabulary(series: pd.Series[Any], allowed: Collection[str]) -> pd.Series[bool]:
    """True where the value is one of ``allowed`` (strings only) or absent."""
    kind = kinds(series)
    strings = kind == 1
    result = kind == 4
    result[strings] = series[strings].isin(list(allowed)).to_numpy()
    return pd.Series(result, index=series.index, dtype=bool)


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
        values = series.to_numpy()
        kind = kinds(series)
        self.missing = kind == 4
        self.is_int = kind == 2
        self.is_float = kind == 3
        floats = np.zeros(len(values))
        floats[self.is_float] = values[self.is_float].astype(float)
        self.finite_float = self.is_float & np.isfinite(floats)
        floats[~self.finite_float] = 0  # no "invalid value" warning from NaN/inf below
        self.whole_float = self.finite_float & (np.mod(floats, 1) == 0)
        negative = np.zeros(len(values), dtype=bool)
        negative[self.finite_float] = floats[self.finite_float] < 0
        if self.is_int.any():
            negative[self.is_int] = values[self.is_int] < 0
        self.negative = negative
        self.index = series.index

    def frame(self, values: np.ndarray[Any, Any]) -> pd.Series[bool]:
        return pd.Series(values, index=self.index, dtype=bool)
