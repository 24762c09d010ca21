"""Reading the events file straight into columns, with every value's position.

At SSv2's full size the events file holds half a million events. Parsing it into
dicts, walking them in Python and locating each finding's value afterwards cost most
of a check; here it is decoded by msgspec into typed structs (which also proves its
structure: a dict of lists of objects with exactly the five members, strings and
numbers where they belong), the structs become columns, and the positions of the
members come from one NumPy pass over the bytes.

The result is used only when nothing can differ from the general path
(:func:`vidaudit.sources.read_json_source` and the flattener):

- msgspec rejects NaN/Infinity, numbers that overflow, integers of more than ~4,300
  digits, invalid UTF-8 and lone surrogates; the general path reports those.
- Repeated keys, which msgspec (like ``json.loads``) silently resolves: every video's
  value is a list, so the file has at least one ``[`` per member of the top-level
  object, and every member of an event has a colon, so it has at least one ``:`` per
  video and five per event. When the counts equal exactly those bounds, no key was
  repeated, and no string holds a ``:`` or ``[`` (every colon is a member's).
- Positions are those of characters: they are computed for ASCII files only (others
  are located the general way, lazily, when a finding needs it).

Any doubt sends the file to the general path, which reports it exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from vidaudit.jsonpos import Span, unescape_token
from vidaudit.safeio import Refused, read_regular
from vidaudit.sources import DeferredSource, SourceFile, has_byte_order_mark, read_json_source

Array = np.ndarray[Any, Any]
EVENT_FIELDS = ("action", "agent", "frameNumber", "pointX", "pointY")
# The last character of each member name, as written (a JSON escape ends in a hex digit,
# never in one of these): which field a colon belongs to.
_LAST_CHARACTER = {ord(name[-1]): n for n, name in enumerate(EVENT_FIELDS)}
_FIELD = np.full(256, -1, dtype=np.int8)
_FIELD[list(_LAST_CHARACTER)] = list(_LAST_CHARACTER.values())
_NAME_LENGTHS = np.array([len(name) for name in EVENT_FIELDS], dtype=np.int64)
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[ord(c) for c in " \t\n\r"]] = True


class _Event(msgspec.Struct, forbid_unknown_fields=True):
    action: str
    agent: str
    frameNumber: int | float  # the file's own member names
    pointX: int | float
    pointY: int | float


_DECODER = msgspec.json.Decoder(dict[str, list[_Event]])


class _Doubt(Exception):
    pass


@dataclass
class EventColumns:
    """The events file as columns: one entry per video (file order), one per event."""

    video_ids: list[str]
    counts: Array
    """The number of events of each video (int64)."""
    values: dict[str, Array]
    """Field -> its value in every event (object arrays: ints and floats as written)."""
    offsets: dict[str, Array] | None
    """Character offsets (None for a non-ASCII file): ``key``/``list``/``list_end`` per
    video (its key's opening quote, its list's ``[``, one past its ``]``), ``event`` per
    event (its ``{``) and, per field, where each event's value starts."""

    def __post_init__(self) -> None:
        self._videos: dict[str, int] | None = None  # video id -> its position (by span)
        self._first_events: Array = np.empty(0, dtype=np.int64)

    def span(self, pointer: str) -> Span | None:
        """Where the value at ``pointer`` starts, for a video (``/<id>``: also its key),
        an event (``/<id>/<n>``) or an event's member (``/<id>/<n>/<field>``: its value;
        the member's key is not recorded, and no finding in such a file is at one); None
        for any other pointer, or without offsets (the file's index answers then)."""
        offsets = self.offsets
        tokens = pointer.split("/")
        if offsets is None or tokens[0] or not 2 <= len(tokens) <= 4:
            return None
        if self._videos is None:
            self._videos = {video_id: n for n, video_id in enumerate(self.video_ids)}
            self._first_events = np.cumsum(self.counts) - self.counts
        video = self._videos.get(unescape_token(tokens[1]))
        if video is None:
            return None
        if len(tokens) == 2:
            return Span(int(offsets["key"][video]), int(offsets["list"][video]),
                        int(offsets["list_end"][video]))
        index = tokens[2]
        if not (index.isascii() and index.isdigit()) or int(index) >= self.counts[video]:
            return None
        row = int(self._first_events[video]) + int(index)
        if len(tokens) == 3:
            return Span(None, int(offsets["event"][row]))
        field = unescape_token(tokens[3])
        return Span(None, int(offsets[field][row])) if field in EVENT_FIELDS else None


def read_events(role: str, path: Path, display: str, max_bytes: int,
                root: Path | None = None) -> SourceFile:
    """The events file as columns when it is certainly clean, else as any JSON file."""
    try:
        return _read(role, path, display, max_bytes, root)
    except (_Doubt, Refused, OSError, ValueError, msgspec.MsgspecError, RecursionError):
        return read_json_source(role, path, display, max_bytes, root)


def _read(role: str, path: Path, display: str, max_bytes: int,
          root: Path | None) -> SourceFile:
    if not path.is_file():
        raise _Doubt
    raw = read_regular(path, max_bytes, root)
    if has_byte_order_mark(raw):
        raise _Doubt  # a byte-order mark: VA105
    decoded = _DECODER.decode(raw)
    video_ids = list(decoded)
    events = list(chain.from_iterable(decoded.values()))
    del decoded
    scan = _Scan.of(raw)
    counts = scan.counts(len(video_ids), len(events))
    values = {name: np.fromiter(map(attrgetter(name), events), dtype=object, count=len(events))
              for name in EVENT_FIELDS}
    del events
    text = raw.decode("utf-8")
    columns = EventColumns(video_ids, counts, values,
                           _offsets(raw, scan) if raw.isascii() else None)
    return DeferredSource(role=role, path=path, display=display, text=text,
                          sha256=scan.sha256, size=len(raw), columns=columns, shape=dict,
                          spans=columns.span if columns.offsets is not None else None)


@dataclass
class _Scan:
    """What the bytes alone tell, in NumPy passes: their digest, where the colons are and
    where the value after each starts, which values are lists (bytes or characters: ``:``,
    ``[`` and whitespace are never part of a multi-byte character).

    When every colon is a member's (see above), each video's colon comes before the five
    of each of its events, and only a video's value starts with ``[``."""

    sha256: str
    codes: Array
    brackets: int
    """How many ``[`` the file has."""
    colons: Array
    values: Array
    video_rows: Array
    """Which of the colons are before a list (the videos')."""

    @classmethod
    def of(cls, raw: bytes) -> _Scan:
        sha256 = hashlib.sha256(raw).hexdigest()
        codes = np.frombuffer(raw, dtype=np.uint8)
        colons = np.flatnonzero(codes == ord(":"))
        values = _skip_space(codes, colons + 1, 1)
        video_rows = np.flatnonzero(codes[values] == ord("["))
        return cls(sha256, codes, int(np.count_nonzero(codes == ord("["))), colons, values,
                   video_rows)

    def counts(self, n_videos: int, n_events: int) -> Array:
        """How many events each video has (its event colons / 5), after proving that every
        colon and ``[`` is a member's and a list's; else :class:`_Doubt`."""
        if self.brackets != n_videos or len(self.colons) != n_videos + 5 * n_events:
            raise _Doubt  # a repeated key, or a string holding ':' or '['
        counts = (np.diff(self.video_rows, append=len(self.colons)) - 1) // 5
        if len(self.video_rows) != n_videos or int(counts.sum()) != n_events:
            raise _Doubt  # cannot happen after the decoding and the counts of ':' and '['
        return counts


def _offsets(raw: bytes, scan: _Scan) -> dict[str, Array] | None:
    """Where every key, list, event and value starts (see :class:`EventColumns`), or None
    when the members are not laid out as expected (then findings are located lazily)."""
    if b"\\" in raw:
        return None  # an escape in a key would shift where its opening quote is
    is_event = np.ones(len(scan.colons), dtype=bool)
    is_event[scan.video_rows] = False
    codes = scan.codes
    found = _member_offsets(codes, scan.colons[is_event], scan.values[is_event])
    if found is None:
        return None
    video_colons = scan.colons[scan.video_rows]
    found["key"] = _opening_quotes(codes, _skip_space(codes, video_colons - 1, -1))
    found["list"] = scan.values[scan.video_rows]
    ends = _list_ends(codes, found["key"])
    if ends is None:
        return None
    found["list_end"] = ends
    return found


def _list_ends(codes: Array, keys: Array) -> Array | None:
    """One past each video's closing ``]``: before the next video's key (whitespace and a
    comma between) or, for the last, before the file's closing ``}``; None if a list does
    not end so (cannot happen in a file that decoded)."""
    if not len(keys):
        return keys.copy()
    end_of_object = _skip_space(codes, np.array([len(codes) - 1]), -1)
    after = np.concatenate([_skip_space(codes, keys[1:] - 1, -1), end_of_object])
    separators = np.full(len(keys), ord(","), dtype=np.uint8)
    separators[-1] = ord("}")
    if not (codes[after] == separators).all():
        return None
    closing = _skip_space(codes, after - 1, -1)
    if not (codes[closing] == ord("]")).all():
        return None
    return closing + 1


def _member_offsets(codes: Array, colons: Array, values: Array) -> dict[str, Array] | None:
    """Per event (five colons and values each, in order): where its ``{`` and each field's
    value start, or None if the members are not each of the five once."""
    n_events = len(colons) // 5
    key_ends = _skip_space(codes, colons - 1, -1).reshape(n_events, 5)
    fields = _FIELD[codes[key_ends - 1]]
    by_event = values.reshape(n_events, 5)
    found: dict[str, Array]
    if n_events and (fields == fields[0]).all():  # one member order throughout (usual)
        order = fields[0].tolist()
        if sorted(order) != list(range(5)):
            return None  # not each of the five once (cannot happen after the decoding)
        found = {EVENT_FIELDS[n]: by_event[:, position].copy()
                 for position, n in enumerate(order)}
    else:
        ordering = np.argsort(fields, axis=1)  # each event's members in field order
        if not (np.take_along_axis(fields, ordering, axis=1) == np.arange(5)).all():
            return None
        by_field = np.take_along_axis(by_event, ordering, axis=1)
        found = {name: by_field[:, n].copy() for n, name in enumerate(EVENT_FIELDS)}
        del by_field
    first_key = key_ends[:, 0] - _NAME_LENGTHS[fields[:, 0]] - 1
    found["event"] = _skip_space(codes, first_key - 1, -1)
    if not ((codes[found["event"]] == ord("{")).all() and (codes[first_key] == ord('"')).all()):
        return None
    return found


def _opening_quotes(codes: Array, closing: Array) -> Array:
    """The opening quote of each string that ends at ``closing`` (a text without escapes:
    the quote before). Only the bytes next to the closing quotes are read, which costs
    less than asking every key's length."""
    found = closing - 1
    pending = np.flatnonzero(codes[found] != ord('"'))
    while len(pending):
        found[pending] -= 1
        pending = pending[codes[found[pending]] != ord('"')]
    return found


def _skip_space(codes: Array, at: Array, step: int) -> Array:
    """From each position, the first non-whitespace character (forwards or backwards)."""
    found = at.copy()
    pending = np.flatnonzero(_SPACE[codes[found]])
    while len(pending):
        found[pending] += step
        pending = pending[_SPACE[codes[found[pending]]]]
    return found
