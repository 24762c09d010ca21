"""One split list (train, validation or test) -> columns, and the per-row template
checks (VA703 slot count, VA704 label).

Real lists have ~170,000 rows of exactly the expected shape, so the common case is
taken column-wise (``itemgetter`` over the rows, type sets over the columns) and the
checks run on cached per-template format strings; rows of any other shape take the
tolerant row-by-row path, which keeps what each row has for the schema pass.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np

from vidaudit.profiles.ssv2 import templates as tpl
from vidaudit.values import MISSING

ROW_KEYS = ("id", "label", "template", "placeholders")
_ID = itemgetter("id")


@dataclass
class SplitColumns:
    video_id: list[Any]
    label: list[Any]
    template: list[Any]
    placeholders: list[Any]
    extra: list[str | None]
    """A test row's first member other than ``id`` (VA706), else None."""
    exact: bool
    """Every row is an object with exactly the expected members, of the expected types."""
    labelled: bool = True
    """False for the test split, whose rows have no label, template or placeholders."""


def read_split(split: str, items: list[Any]) -> SplitColumns:
    fast = _exact_test(items) if split == "test" else _exact_rows(items)
    return fast if fast is not None else _tolerant(split == "test", items)


def _exact_rows(items: list[Any]) -> SplitColumns | None:
    n = len(items)
    try:
        ids, labels, templates, fills = (list(map(itemgetter(key), items))
                                         for key in ROW_KEYS)
    except (KeyError, TypeError, IndexError):
        return None
    if sum(map(len, items)) != 4 * n:  # every row is a dict with the four keys: no more
        return None
    if n and not ({*map(type, ids), *map(type, labels), *map(type, templates)} == {str}
                  and set(map(type, fills)) == {list}
                  and set(map(type, chain.from_iterable(fills))) <= {str}):
        return None
    return SplitColumns(ids, labels, templates, fills, [None] * n, True)


def _exact_test(items: list[Any]) -> SplitColumns | None:
    n = len(items)
    try:
        ids = list(map(_ID, items))
    except (KeyError, TypeError, IndexError):
        return None
    if sum(map(len, items)) != n or (n and set(map(type, ids)) != {str}):
        return None
    missing = [MISSING] * n
    return SplitColumns(ids, missing, missing, missing, [None] * n, True, labelled=False)


def _tolerant(test: bool, items: list[Any]) -> SplitColumns:
    columns = SplitColumns([], [], [], [], [], False, labelled=not test)
    for item in items:
        if type(item) is not dict:
            item = {}
        get = item.get
        columns.video_id.append(get("id", MISSING))
        if test:
            others = [k for k in item if k != "id"]
            columns.extra.append(others[0] if others else None)
            for column in (columns.label, columns.template, columns.placeholders):
                column.append(MISSING)
            continue
        columns.label.append(get("label", MISSING))
        columns.template.append(get("template", MISSING))
        columns.placeholders.append(get("placeholders", MISSING))
        columns.extra.append(None)
    return columns


@dataclass
class SlotChecks:
    slots_bad: list[int]
    """Row positions whose placeholders do not fill the template's slots (VA703)."""
    label_bad: list[int]
    """Row positions whose label is not the filled template (VA704)."""


def check_slots(columns: SplitColumns) -> SlotChecks:
    """Rows without a usable template, label or placeholders pass (VA201 reports them)."""
    slots_bad: list[int] = []
    label_bad: list[int] = []
    if not columns.labelled:
        return SlotChecks(slots_bad, label_bad)
    if columns.exact:
        return _exact_slots(columns)
    for i, (text, template, fills) in enumerate(zip(columns.label, columns.template,
                                                    columns.placeholders, strict=True)):
        if type(template) is not str or not tpl.is_text_list(fills):
            continue
        count, form = _form(template)
        if count != len(fills):
            slots_bad.append(i)
        elif type(text) is str and not tpl.same_text(form.format(*fills), text):
            label_bad.append(i)
    return SlotChecks(slots_bad, label_bad)


def _exact_slots(columns: SplitColumns) -> SlotChecks:
    """The same checks on rows known to be well-typed, list at a time: all labels are
    compared at once, case-folded, and only on a difference row by row."""
    templates, fills, labels = columns.template, columns.placeholders, columns.label
    forms = {template: _form(template) for template in set(templates)}
    wanted = [forms[t][0] for t in templates]
    given = list(map(len, fills))
    slots_bad = [] if wanted == given else \
        [i for i, (w, g) in enumerate(zip(wanted, given, strict=True)) if w != g]
    skip = set(slots_bad)
    expected = [forms[t][1].format(*f) if i not in skip else labels[i]
                for i, (t, f) in enumerate(zip(templates, fills, strict=True))] if skip else \
        [forms[t][1].format(*f) for t, f in zip(templates, fills, strict=True)]
    joined = "\n".join(labels)
    if joined.count("\n") == len(labels) - 1 and \
            "\n".join(expected).casefold() == joined.casefold():
        return SlotChecks(slots_bad, [])  # no newline inside a label: row for row equal
    label_bad = [i for i, (e, text) in enumerate(zip(expected, labels, strict=True))
                 if not tpl.same_text(e, text)]
    return SlotChecks(slots_bad, label_bad)


@functools.lru_cache(maxsize=4096)
def _form(template: str) -> tuple[int, str]:
    """The template's slot count, and a str.format string with ``{}`` for its slots."""
    literal = [part.replace("{", "{{").replace("}", "}}") for part in tpl.parts(template)]
    return len(literal) - 1, "{}".join(literal)


def flags(n: int, bad: list[int]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    ok = np.ones(n, dtype=bool)
    ok[bad] = False
    return ok
