"""Positions of values inside JSON text, found lazily.

Parsing is done once by the standard library's C decoder. Positions are only
needed for findings, so a :class:`Locator` indexes a container's children the
first time a pointer goes through it, skipping each child with the same C
scanner. Locating every value of a 2 MB file this way costs a small multiple of
one parse; locating a handful costs almost nothing.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from vidaudit.jsonindex import VectorIndex

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Inside an object that holds only scalars, every string is either a key (then
# followed by a colon) or a value; matching whole strings keeps a colon inside a
# string value from being taken for a key. A bracket means the fast path is off.
_FLAT_MEMBER = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"([ \t\n\r]*:[ \t\n\r]*)?|[\[{]')
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # C version, untyped


def escape_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return [unescape_token(t) for t in pointer[1:].split("/")]


class Span(NamedTuple):
    """Where a member sits: the offset of its key (objects only), of its value,
    and just past its value (-1 when unknown)."""

    key: int | None
    value: int
    end: int = -1


class Locator:
    """Maps JSON Pointers to offsets, and offsets to 1-based line and column."""

    def __init__(self, text: str, data: Any = None, *, indexable: bool = False,
                 known: Callable[[str], Span | None] | None = None) -> None:
        """``indexable``: ``data`` is the parse of ``text`` and holds every member of it
        (no repeated keys), so the vectorised index can answer; otherwise scan.
        ``known``: the spans a reader already found, by pointer (None: not known, scan or
        ask the index as above)."""
        self.text = text
        self._known = known
        self._data = data
        self._indexable = indexable
        self._vector: VectorIndex | None = None
        # Values are only skipped, never used: parse_int=len never meets int()'s limit of
        # 4,300 digits (a longer integer would raise ValueError).
        decoder = json.JSONDecoder(parse_int=len)
        self._scan = json.scanner.make_scanner(decoder)  # type: ignore[arg-type]
        self._members: dict[int, dict[str, list[Span]] | list[Span]] = {}
        self._containers: dict[str, Span | None] = {}
        self._line_starts: list[int] | None = None

    # -- pointers -> offsets -------------------------------------------------
    def span(self, pointer: str, occurrence: int | None = None) -> Span | None:
        """The span of the value at ``pointer``; for a repeated key, its n-th occurrence
        (0-based), by default the last one: the value a JSON parser keeps, so the one
        every finding computed from the parsed data is about.

        Returns None when the pointer does not resolve (the caller then falls back
        to the nearest resolvable ancestor).
        """
        if not pointer:
            return Span(None, self._skip_ws(0))
        if self._known is not None and occurrence is None:
            known = self._known(pointer)
            if known is not None:
                return known
        if self._indexable and occurrence is None:
            if self._vector is None:
                self._vector = VectorIndex.build(self.text, self._data)
                self._indexable = self._vector is not None
            if self._vector is not None:
                found = self._vector.locate(pointer)
                if found is None:
                    return None
                return Span(None if found[1] < 0 else found[1], found[0])
        parent_pointer, _, raw_token = pointer.rpartition("/")
        parent = self._container(parent_pointer)
        if parent is None:
            return None
        return self._member(parent, unescape_token(raw_token), occurrence)

    def _container(self, pointer: str) -> Span | None:
        """The span at ``pointer`` (the values parsers keep), cached; resolved down from the
        deepest cached ancestor without recursion: a hostile file's pointers can be
        thousands of levels deep."""
        pending = []
        while pointer not in self._containers:
            if not pointer:
                self._containers[""] = Span(None, self._skip_ws(0))
                break
            pending.append(pointer)
            pointer = pointer.rpartition("/")[0]
        span = self._containers[pointer]
        for prefix in reversed(pending):
            if span is not None:
                span = self._member(span, unescape_token(prefix.rpartition("/")[2]), None)
            self._containers[prefix] = span
        return span

    def _member(self, parent: Span, token: str, occurrence: int | None) -> Span | None:
        members = self._index(parent)
        if isinstance(members, dict):
            spans = members.get(token)
            if not spans:
                return None
            return spans[-1 if occurrence is None else min(occurrence, len(spans) - 1)]
        if isinstance(members, list) and token.isascii() and token.isdigit() \
                and int(token) < len(members):
            return members[int(token)]
        return None

    def nearest(self, pointer: str, occurrence: int | None = None) -> tuple[str, Span]:
        """The deepest resolvable prefix of ``pointer`` and its span."""
        span = self.span(pointer, occurrence)
        if span is not None:
            return pointer, span
        tokens = split_pointer(pointer)
        while True:
            candidate = "".join("/" + escape_token(t) for t in tokens)
            span = self.span(candidate, occurrence)
            if span is not None:
                return candidate, span
            if not tokens:
                return "", Span(None, self._skip_ws(0))
            tokens.pop()

    def _skip_ws(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        return match.end() if match else offset

    def _index(self, span: Span) -> dict[str, list[Span]] | list[Span] | None:
        offset = span.value
        cached = self._members.get(offset)
        if cached is not None:
            return cached
        text = self.text
        opener = text[offset : offset + 1]
        members: dict[str, list[Span]] | list[Span] | None
        if opener == "{":
            members = self._index_flat_object(span) if span.end > 0 else None
            if members is None:
                members = self._index_object(offset)
        elif opener == "[":
            members = self._index_array(offset)
        else:
            return None
        self._members[offset] = members
        return members

    def _index_flat_object(self, span: Span) -> dict[str, list[Span]] | None:
        members: dict[str, list[Span]] = {}
        for match in _FLAT_MEMBER.finditer(self.text, span.value + 1, span.end - 1):
            raw = match.group(1)
            if raw is None:
                return None  # a nested container: take the general path
            if match.group(2) is None:
                continue  # a string value
            key = _scanstring(f'"{raw}"', 1)[0] if "\\" in raw else raw
            members.setdefault(key, []).append(Span(match.start(), match.end()))
        return members

    def _index_object(self, offset: int) -> dict[str, list[Span]]:
        text, scan, skip = self.text, self._scan, self._skip_ws
        members: dict[str, list[Span]] = {}
        pos = skip(offset + 1)
        if text.startswith("}", pos):
            return members
        while True:
            key_at = pos
            key, pos = _scanstring(text, pos + 1)
            pos = skip(skip(pos) + 1)  # the colon
            value_at = pos
            _, pos = scan(text, pos)
            members.setdefault(key, []).append(Span(key_at, value_at, pos))
            pos = skip(pos)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
                continue
            return members

    def _index_array(self, offset: int) -> list[Span]:
        text, scan, skip = self.text, self._scan, self._skip_ws
        members: list[Span] = []
        pos = skip(offset + 1)
        if text.startswith("]", pos):
            return members
        while True:
            value_at = pos
            _, pos = scan(text, pos)
            members.append(Span(None, value_at, pos))
            pos = skip(pos)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
                continue
            return members

    # -- offsets -> line/column -----------------------------------------------
    def line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def line_column_of(text: str, offset: int) -> tuple[int, int]:
    """Line and column of one offset, without building an index."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
