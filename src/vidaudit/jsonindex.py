"""A vectorised position index of JSON text.

One pass of NumPy over the text finds where every value starts, where its key
starts (object members) and which container holds it, so the children of any
container are a slice of one array. A JSON Pointer then resolves with a few
dictionary lookups per token: the parsed document says at which position a key
sits in its object. On the 2 MB events file the index costs tens of
milliseconds, where locating values one at a time by scanning costs ~30 µs each.

Only valid when the parsed document holds every member of the text in order,
which is false when an object repeats a key (the parser keeps the last value):
callers use the scanning :class:`vidaudit.jsonpos.Locator` for such files.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


class VectorIndex:
    """Offsets of every value and key of a document, by document-order rank."""

    def __init__(self, data: Any, starts: Array, keys: Array, child_slices: Array,
                 children: Array) -> None:
        self.data = data
        # array.array, not NumPy arrays: indexing them gives Python ints as fast as
        # lists do (several times faster than NumPy scalars), at 8 bytes a value where a
        # list costs ~40 (a 50 MB events file has millions of values).
        self.starts: Sequence[int] = _compact(starts)
        self.keys: Sequence[int] = _compact(keys)
        self._child_slices: Sequence[int] = _compact(child_slices)
        self._children: Sequence[int] = _compact(children)
        self._nodes: dict[str, tuple[Any, int]] = {"": (data, 0)}
        self._positions: dict[int, dict[str, int]] = {}

    @classmethod
    def build(cls, text: str, data: Any) -> VectorIndex | None:
        found = _scan(_code_points(text))
        if found is None:
            return None
        starts, keys, parents = found
        order = np.argsort(parents[1:], kind="stable") + 1
        children = order
        child_slices = np.searchsorted(parents[order], np.arange(len(starts) + 1))
        return cls(data, starts, keys, child_slices, children)

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """(value offset, key offset or -1) of the value at ``pointer``, or None."""
        rank = self._rank(pointer)
        if rank is None:
            return None
        return self.starts[rank], self.keys[rank]

    def _rank(self, pointer: str) -> int | None:
        known = self._nodes.get(pointer)
        if known is not None:
            return known[1]
        # Walk down from the deepest container already resolved (most findings share
        # their parents with earlier ones, or at least the root).
        cut = len(pointer)
        while True:
            cut = pointer.rfind("/", 0, cut)
            if cut < 0:
                return None  # not a JSON Pointer (no leading "/")
            resolved = self._nodes.get(pointer[:cut])
            if resolved is not None:
                break
        node, rank = resolved
        slices, children, nodes = self._child_slices, self._children, self._nodes
        end = len(pointer)
        while cut < end:
            following = pointer.find("/", cut + 1)
            if following < 0:
                following = end
            raw = pointer[cut + 1:following]
            token = raw.replace("~1", "/").replace("~0", "~") if "~" in raw else raw
            position: int | None
            if isinstance(node, dict):
                if len(node) <= 8:
                    position = next((n for n, key in enumerate(node) if key == token), None)
                else:
                    positions = self._positions.get(id(node))
                    if positions is None:
                        positions = {key: n for n, key in enumerate(node)}
                        self._positions[id(node)] = positions
                    position = positions.get(token)
                child = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                position = int(token)
                child = node[position]
            else:
                return None
            first = slices[rank]
            if position is None or position >= slices[rank + 1] - first:
                return None
            rank = children[first + position]
            node = child
            cut = following
            if isinstance(child, dict | list):
                nodes[pointer[:cut]] = (child, rank)
        return rank


def _compact(values: Array) -> Sequence[int]:
    return array("q", np.ascontiguousarray(values, dtype=np.int64).tobytes())


def _code_points(text: str) -> Array:
    """One array element per character, so offsets count characters as str does."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _any_of(codes: Array, characters: str) -> Array:
    mask: Array = codes == ord(characters[0])
    for character in characters[1:]:
        mask |= codes == ord(character)
    return mask


def _scan(codes: Array) -> tuple[Array, Array, Array] | None:
    """Value starts (sorted), their key starts (-1: none) and their parents' ranks."""
    # The per-character and per-separator arrays of the first pass are freed when it
    # returns, before the sort: the scan's peak (a 50 MB file: ~590 MB with them alive).
    found = _unsorted(codes)
    if found is None:
        return None
    starts, keys, parent_at = found
    del found
    order = np.argsort(starts, kind="stable")
    starts = starts[order]  # one at a time: each reordered copy replaces its original
    keys = keys[order]
    parent_at = parent_at[order]
    del order
    parents = np.searchsorted(starts, parent_at)
    parents[0] = -1
    return starts, keys, parents


def _unsorted(codes: Array) -> tuple[Array, Array, Array] | None:
    """Value starts, their key starts and their parents' starts, in no order."""
    space = _any_of(codes, " \t\n\r")
    first_token = int(np.argmin(space)) if len(codes) else 0
    if len(codes) == 0 or space[first_token]:
        return None
    # Quotes that open or close strings: not preceded by an odd run of backslashes.
    quotes = np.flatnonzero(codes == ord('"'))
    backslashes = np.flatnonzero(codes == ord("\\"))
    if len(backslashes):
        run_end = quotes - 1
        run = np.zeros(len(quotes), dtype=np.int64)
        active = np.isin(run_end, backslashes)
        while active.any():  # each pass steps one backslash further back
            run[active] += 1
            run_end[active] -= 1
            active &= (run_end >= 0) & np.isin(run_end, backslashes)
        escaped = run % 2 == 1
        quotes = quotes[~escaped]
    if len(quotes) % 2:
        return None
    # Structural characters outside strings, and the depth after each.
    # (Temporaries kept small: a 50 MB file has millions of structural characters, and
    # each int64 temporary of them costs tens of MB at the index's peak.)
    structural = np.flatnonzero(_any_of(codes, "{}[],:"))
    quotes_before = np.searchsorted(quotes, structural)
    quotes_before &= 1
    structural = structural[quotes_before == 0]
    del quotes_before
    chars = codes[structural]
    opens = (chars == ord("{")) | (chars == ord("["))
    closes = (chars == ord("}")) | (chars == ord("]"))
    depth = np.cumsum(opens.view(np.int8) - closes.view(np.int8), dtype=np.int64)
    if len(depth) and (depth.min() < 0 or depth[-1] != 0):
        return None

    # The container around a separator is the last opener at the separator's depth.
    width = len(codes) + 1
    opener_at = structural[opens]
    opener_keys = depth[opens] * width + opener_at
    sorting = np.argsort(opener_keys, kind="stable")
    opener_keys = opener_keys[sorting]

    def enclosing(mask: Array) -> Array:
        found = np.searchsorted(opener_keys, depth[mask] * width + structural[mask]) - 1
        return opener_at[sorting[found]]  # type: ignore[no-any-return]

    last = len(codes) - 1

    def next_token(after: Array) -> Array:
        """The first non-space character after each position (few steps: indentation)."""
        found: Array = np.minimum(after + 1, last)
        pending = space[found]
        while pending.any():
            found[pending] = np.minimum(found[pending] + 1, last)
            pending &= space[found] & (found < last)
        return found

    is_colon = chars == ord(":")
    is_comma = chars == ord(",")
    colon_parent = enclosing(is_colon)
    comma_parent = enclosing(is_comma)
    in_array = codes[comma_parent] == ord("[")
    array_opens = structural[chars == ord("[")]
    first_items = next_token(array_opens)
    non_empty = codes[first_items] != ord("]")
    colons = structural[is_colon]

    starts = np.concatenate([[first_token], next_token(colons),
                             next_token(structural[is_comma][in_array]),
                             first_items[non_empty]])
    keys = np.concatenate([[-1], quotes[np.searchsorted(quotes, colons) - 2],
                           np.full(int(in_array.sum() + non_empty.sum()), -1)])
    parent_at = np.concatenate([[-1], colon_parent, comma_parent[in_array],
                                array_opens[non_empty]])
    return starts, keys, parent_at
