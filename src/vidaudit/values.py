"""Helpers for values that come from untrusted JSON."""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any, Final

ID_PATTERN: Final = re.compile(r"(?:0|[1-9][0-9]*)")
"""A video id: decimal digits, no leading zeros (ASCII only: str.isdigit() accepts '²')."""


class _Missing:
    """The value of a member the object does not have (JSON null is None)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<missing>"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def show(value: Any, limit: int = 60) -> str:
    """A short, single-line JSON rendering of a value for a message."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        return repr(value)
    if kind is int:
        bound = _bound(limit)
        return str(value) if -bound < value < bound else "(a huge integer)"
    try:
        text = json.dumps(value, ensure_ascii=True, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


@functools.cache
def _bound(digits: int) -> int:
    return 10**digits  # type: ignore[no-any-return]


def is_video_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def numeric_order(video_id: str) -> tuple[int, str]:
    """Sort key putting valid ids in numeric order without int(): an id may have more
    digits than Python converts (4,300), and no leading zeros means longer is larger."""
    return (len(video_id), video_id) if is_video_id(video_id) else (-1, video_id)


def is_number(value: Any) -> bool:
    """A JSON number (bool is not one, though Python says it is an int)."""
    return type(value) is int or type(value) is float


def as_floats(column: Any, numeric: Any = None) -> Any:
    """A column's JSON numbers as a float64 array, anything else (bools, strings,
    missing) as NaN; an integer beyond every float is infinite, of its sign (it is
    beyond every frame count and size). ``column``: a pandas Series; ``numeric``, when
    known, the boolean mask of its ints and floats."""
    import numpy as np

    values = column.to_numpy(dtype=object)
    if numeric is None:
        types = list(map(type, values.tolist()))  # exact: a bool is not a number
        if set(types) <= _NUMBER_TYPES:  # the usual column: no mask to make
            numeric = np.ones(len(values), dtype=bool)
        else:
            numeric = np.fromiter(map(_NUMBER_TYPES.__contains__, types), dtype=bool,
                                  count=len(values))
    floats = np.full(len(values), np.nan)
    try:
        if numeric.all():  # the usual column: no copy of a part of it
            floats = values.astype(float)  # float() of each, in C
        else:
            floats[numeric] = values[numeric].astype(float)
    except OverflowError:
        floats[numeric] = [_float(v) for v in values[numeric].tolist()]
    return floats


_NUMBER_TYPES = frozenset({int, float})


def _float(value: float) -> float:
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def is_finite_number(value: Any) -> bool:
    return type(value) is int or (type(value) is float and math.isfinite(value))


def is_integral(value: Any) -> bool:
    return type(value) is int or (type(value) is float and value.is_integer())


_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
               float: "number", type(None): "null"}


def json_type(value: Any) -> str:
    """A parsed JSON value's type as JSON Schema names it (``integer`` for ints, ``number``
    for floats); the Python type's name for anything a JSON parser does not make."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def with_article(word: str) -> str:
    """``an object``, ``a string``."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: a valid JSON escape (``\\ud800``) that UTF-8 cannot encode."""


def escape_surrogates(text: str) -> str:
    """JSON text with each lone surrogate (from a valid ``\\ud800`` escape in the data, say
    in a key that a pointer names) back as its escape: such a character cannot be
    written as UTF-8, and escaped the text stays valid JSON that means the same."""
    if text.isascii():
        return text
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
