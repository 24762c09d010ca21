"""The vectorised column tests of vidaudit.series agree with their one-value-at-a-time
definitions on any column of JSON values (and the MISSING marker)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vidaudit.series import Numbers, in_vocabulary, video_ids
from vidaudit.values import MISSING, is_video_id

ODD = [0, 1, -1, 10, 10**400, -(10**400), 2**1023, True, False, None, MISSING, 0.0, -0.0,
       1.5, -2.5, 10.0, -10.0, 1e300, -1e300, math.nan, math.inf, -math.inf, "0", "00", "01",
       "12", "", "1\n2", "\n", "²", "١٢", "\ud800", "12\x00", "\x00", "9" * 5000, "+1", "-1",
       " 1", "contact", "release", "Contact", [], [1], {}, {"a": 1}]

values = st.one_of(st.sampled_from(ODD), st.integers(), st.floats(),
                   st.text(alphabet="0123456789\n é", max_size=6))
columns = st.lists(values, max_size=30)
id_columns = st.lists(st.text(alphabet="0123456789\n a²", max_size=5), max_size=30)


def _series(column: list[Any]) -> pd.Series[Any]:
    return pd.Series(column, dtype=object, index=pd.RangeIndex(7, 7 + len(column)))


def _check(found: Any, expected: list[bool]) -> None:
    assert np.asarray(found, dtype=bool).tolist() == expected


@settings(max_examples=300)
@given(st.one_of(columns, id_columns))
def test_video_ids(column: list[Any]) -> None:
    series = _series(column)
    found = video_ids(series)
    assert found.index.equals(series.index)
    _check(found, [is_video_id(v) for v in column])


@settings(max_examples=300)
@given(columns, st.sampled_from([(), ("contact", "release"), ("Contact", "", "12")]))
def test_in_vocabulary(column: list[Any], allowed: tuple[str, ...]) -> None:
    series = _series(column)
    found = in_vocabulary(series, allowed)
    assert found.index.equals(series.index)
    _check(found, [v is MISSING or (type(v) is str and v in allowed) for v in column])


def _finite_float(v: Any) -> bool:
    return type(v) is float and math.isfinite(v)


@settings(max_examples=300)
@given(st.one_of(columns, st.lists(st.one_of(st.integers(), st.floats()), max_size=30)))
def test_numbers(column: list[Any]) -> None:
    facts = Numbers(_series(column))
    _check(facts.missing, [v is MISSING for v in column])
    _check(facts.is_int, [type(v) is int for v in column])
    _check(facts.is_float, [type(v) is float for v in column])
    _check(facts.finite_float, [_finite_float(v) for v in column])
    _check(facts.whole_float, [_finite_float(v) and v.is_integer() for v in column])
    _check(facts.negative, [(type(v) is int or _finite_float(v)) and v < 0 for v in column])
