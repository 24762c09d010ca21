"""Reading a masklet file fast, to exactly what ``read_json_source`` gives.

``read_json_source`` parses with an ``object_pairs_hook`` (to catch repeated keys) and,
when the text matches a huge-exponent pattern (RLE strings often do: ``e123``), walks
the whole document again; on a real auto file that is 20 ms instead of 3. A masklet
file that has the expected shape needs neither:

- non-finite numbers (``NaN``, ``Infinity``, ``1e999``): the shape test accepts only
  finite numbers, and numbers appear nowhere else;
- repeated keys: every key written is a string whose closing quote is followed by
  optional whitespace and a colon (RLE strings hold no quote), so counting those places
  bounds the keys written from above; when the bound equals the keys parsed (20 at the
  top, two per RLE, as :func:`.shape.well_formed` guarantees), none was repeated.

Anything else (a BOM, bad UTF-8, invalid JSON, another shape, any doubt) goes to
``read_json_source``, which reports it exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from vidaudit.profiles.sav.shape import KEYS, well_formed
from vidaudit.safeio import Refused, read_regular
from vidaudit.sources import SourceFile, has_byte_order_mark, read_json_source

_SPACED_COLON = re.compile(r'"[ \t\r\n]+:')


class _Doubt(Exception):
    pass


def read_masklets(role: str, path: Path, display: str, max_bytes: int,
                  root: Path | None = None) -> tuple[SourceFile, bool]:
    """The file, and whether it is well formed (so the schema pass can be skipped)."""
    try:
        return _fast(role, path, display, max_bytes, root), True
    except (_Doubt, Refused, OSError, ValueError, RecursionError):
        source = read_json_source(role, path, display, max_bytes, root)
        fine = source.parsed and not source.findings and well_formed(source.data)
        return source, fine


def _fast(role: str, path: Path, display: str, max_bytes: int,
          root: Path | None) -> SourceFile:
    raw = read_regular(path, max_bytes, root)
    if has_byte_order_mark(raw):
        raise _Doubt
    text = raw.decode("utf-8")
    data = json.loads(text)  # NaN or Infinity would fail well_formed's finite numbers
    if not well_formed(data):
        raise _Doubt
    rles = sum(len(frame) for frame in data["masklet"])
    bound = text.count('":') + len(_SPACED_COLON.findall(text))
    if bound != len(KEYS) + 2 * rles:
        raise _Doubt
    return SourceFile(role=role, path=path, display=display, data=data, text=text,
                      sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))

