"""Reading SSv2's large JSON lists faster, to exactly what ``read_json_source`` gives.

``read_json_source`` parses with an ``object_pairs_hook`` (to catch repeated keys) and
scans the text for huge exponents: on the 170,000-row train list that doubles the
parse. A list of flat objects needs neither: it is parsed by the C decoder alone and
kept only when nothing can have been lost.

- Non-finite numbers: ``parse_constant``/``parse_float`` hooks (called only for
  NaN/Infinity and floats, which SSv2's lists do not have) refuse them.
- Repeated keys: when the text has as many ``{`` as the list has objects, there are no
  nested objects, so all keys are the rows'. Every key is a string whose closing quote
  is followed by optional whitespace and a colon, so counting those places bounds the
  keys written from above; when the bound equals the keys parsed, none was repeated.

Anything else (a small file, a BOM, bad UTF-8, invalid JSON, another shape, any doubt)
goes to ``read_json_source``, which reports it exactly.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

from vidaudit.safeio import Refused, read_regular
from vidaudit.sources import SourceFile, has_byte_order_mark, read_json_source

LARGE = 1024 * 1024
_SPACED_COLON = re.compile(r'"[ \t\r\n]+:')


class _Doubt(Exception):
    pass


def read_json(role: str, path: Path, display: str, max_bytes: int,
              root: Path | None = None) -> SourceFile:
    try:
        return _fast(role, path, display, max_bytes, root)
    except (_Doubt, Refused, OSError, ValueError, RecursionError):
        return read_json_source(role, path, display, max_bytes, root)


def _fast(role: str, path: Path, display: str, max_bytes: int,
          root: Path | None) -> SourceFile:
    if not path.is_file() or path.stat().st_size < LARGE:
        raise _Doubt
    raw = read_regular(path, max_bytes, root)
    if has_byte_order_mark(raw):
        raise _Doubt
    text = raw.decode("utf-8")
    data = json.loads(text, parse_constant=_refuse, parse_float=_finite)
    if not _keys_unrepeated(text, data):
        raise _Doubt
    return SourceFile(role=role, path=path, display=display, data=data, text=text,
                      sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))


def _keys_unrepeated(text: str, data: Any) -> bool:
    if type(data) is not list or (data and set(map(type, data)) != {dict}):
        return False
    if text.count("{") != len(data):
        return False
    bound = text.count('":') + len(_SPACED_COLON.findall(text))
    return bound == sum(map(len, data))


def _refuse(name: str) -> float:
    raise _Doubt


def _finite(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise _Doubt
    return value
