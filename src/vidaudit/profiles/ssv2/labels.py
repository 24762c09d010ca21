"""``something-something-v2-labels.json``: class name -> class index (a string).

Every way the file is not exactly that (an object whose values are the strings ``"0"``
to ``"N-1"``, each once, with no name repeated) becomes one row of the
``label_problems`` table, which VA701 reports. The class list the other rules need
(VA702 looks classes up by name) is usable unless the file is not an object of class
names at all: not an object, empty, or the index -> name shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from vidaudit.jsonpos import escape_token
from vidaudit.sources import DuplicateKeyDict, SourceFile
from vidaudit.values import ID_PATTERN, json_type, show, with_article


@dataclass
class Labels:
    problems: pd.DataFrame
    names: frozenset[str] = frozenset()
    """The class names, when the file is usable (an object of names, even if some index
    is wrong: a row's class is known by name); empty otherwise."""
    usable: bool = False
    well_formed: bool = False
    count: int = 0


def flatten_labels(source: SourceFile) -> Labels:
    found = _Problems(source.display)
    data = source.data
    if not source.parsed:
        return Labels(found.frame())
    if not isinstance(data, dict):
        found.add("", "shape", f"the file is {with_article(json_type(data))}, not "
                  "an object mapping each class name to its index as a string")
        return Labels(found.frame())
    well_formed = all(type(v) is str for v in data.values())
    if not data:
        found.add("", "empty", "the file has no classes")
    elif _index_to_name(data):
        first = next(iter(data.items()))
        found.add("", "shape", f"the file maps class index to class name ({show(first[0])}: "
                  f"{show(first[1])}), the reverse of SSv2's labels.json, which maps each "
                  "class name to its index as a string (\"Approaching something with your "
                  "camera\": \"0\")")
        return Labels(found.frame(), well_formed=well_formed, count=len(data))
    _entries(data, found)
    return Labels(found.frame(), frozenset(data), usable=bool(data), well_formed=well_formed,
                  count=len(data))


def _index_to_name(data: dict[str, Any]) -> bool:
    return all(ID_PATTERN.fullmatch(k) for k in data) and all(
        type(v) is str and not ID_PATTERN.fullmatch(v) for v in data.values())


def _entries(data: dict[str, Any], found: _Problems) -> None:
    count = len(data)
    holder: dict[int, str] = {}
    for name, value in data.items():
        pointer = "/" + escape_token(name)
        what = f"class {show(name, 80)}"
        if type(value) is not str:
            found.add(pointer, f"index/{name}", f"{what} has index {show(value)}, not a "
                      "string such as \"0\"")
        elif not ID_PATTERN.fullmatch(value):
            found.add(pointer, f"index/{name}", f"{what} has index {show(value)}, not a "
                      "decimal number without leading zeros")
        elif len(value) > 6 or int(value) >= count:
            found.add(pointer, f"index/{name}", f"{what} has index {show(value)}, out of "
                      f"range: {count} classes have the indices \"0\" to \"{count - 1}\"")
        elif int(value) in holder:
            found.add(pointer, f"index/{name}", f"{what} has index {show(value)}, which "
                      f"{show(holder[int(value)], 80)} has too")
        else:
            holder[int(value)] = name
    if isinstance(data, DuplicateKeyDict):
        for name in dict.fromkeys(data.repeated):
            found.add("/" + escape_token(name), f"repeat/{name}",
                      f"class name {show(name, 80)} appears more than once; a JSON parser "
                      "keeps only its last index")
    unused = [str(i) for i in range(count) if i not in holder]
    if unused:
        listed = ", ".join(f'"{i}"' for i in unused[:10]) + (", ..." if len(unused) > 10
                                                              else "")
        found.add("", "unused", f"no class has the index {listed}: {count} classes have the "
                  f"indices \"0\" to \"{count - 1}\", each once")


class _Problems:
    def __init__(self, display: str) -> None:
        self.display = display
        self.rows: list[tuple[str, str, str]] = []

    def add(self, pointer: str, identity: str, message: str) -> None:
        self.rows.append((pointer, identity, message))

    def frame(self) -> pd.DataFrame:
        pointers, identities, problems = (list(c) for c in zip(*self.rows, strict=True)) \
            if self.rows else ([], [], [])
        return pd.DataFrame({
            "pointer": pd.Series(pointers, dtype=object),
            "identity": pd.Series(identities, dtype=object),
            "problem": pd.Series(problems, dtype=object),
            "file": pd.Series([self.display] * len(pointers), dtype=object),
            "ok": pd.Series([False] * len(pointers), dtype=bool)})
