"""Vectorised tests on columns of raw JSON values (object dtype).

The columns hold whatever the JSON held: ints, floats, strings, null, lists,
dicts, or the MISSING marker. These helpers answer per-row questions without a
Python-level lambda per value where pandas can do the work.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import numpy as np
import pandas as pd

from vidaudit.values import MISSING

_KINDS = {str: 1, int: 2, float: 3, type(MISSING): 4}


def kinds(series: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """Per value: 1 str, 2 int (not bool), 3 float, 4 MISSING, 0 anything else."""
    return series.map(type).map(_KINDS).fillna(0).to_numpy(dtype=np.int8)


def each(series: pd.Series[Any], test: Callable[[Any], bool]) -> pd.Series[bool]:
    return pd.Series([test(v) for v in series], index=series.index, dtype=bool)


def in_vocabulary(series: pd.Series[Any], allowed: Collection[str]) -> pd.Series[bool]:
    """True where the value is one of ``allowed`` (strings only) or absent."""
    kind = kinds(series)
    strings = kind == 1
    result = kind == 4
    result[strings] = series[strings].isin(list(allowed)).to_numpy()
    return pd.Series(result, index=series.index, dtype=bool)


class Numbers:
    """Per-row facts about a column that should hold JSON integers."""

    def __init__(self, series: pd.Series[Any]) -> None:
        kind = kinds(series)
        self.missing = kind == 4
        self.is_int = kind == 2
        self.is_float = kind == 3
        floats = np.zeros(len(series))
        floats[self.is_float] = series[self.is_float].to_numpy(dtype=float)
        self.finite_float = self.is_float & np.isfinite(floats)
        floats[~self.finite_float] = 0  # no "invalid value" warning from NaN/inf below
        self.whole_float = self.finite_float & (np.mod(floats, 1) == 0)
        negative = np.zeros(len(series), dtype=bool)
        negative[self.finite_float] = floats[self.finite_float] < 0
        if self.is_int.any():
            negative[self.is_int] = series[self.is_int].to_numpy() < 0
        self.negative = negative
        self.index = series.index

    def frame(self, values: np.ndarray[Any, Any]) -> pd.Series[bool]:
        return pd.Series(values, index=self.index, dtype=bool)
