"""What changed between two releases: videos, splits, templates, events, counts.

The comparison works on what each release *says*, read as tolerantly as the
checks read it: a video is a key of the events file, its splits and templates
are the lists that name it. A part that cannot be compared because one of its
files is unreadable in either release is skipped with a note rather than
reported as "everything changed".
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from vidaudit.jsonpos import escape_token
from vidaudit.profiles.releaseview import Entry, Listings, ReleaseView
from vidaudit.values import MISSING, is_video_id


def id_order(video_id: str) -> tuple[int, int, str]:
    """Numeric order for proper ids, then the others as text."""
    if is_video_id(video_id) and len(video_id) < 19:
        return (0, int(video_id), "")
    return (1, 0, video_id)


@dataclass(frozen=True)
class Move:
    """A video listed under other splits (or templates) than before."""

    video_id: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    entered: tuple[Entry, ...]
    """The new listings in a group the video was not in before."""


@dataclass(frozen=True)
class EventEdit:
    old_index: int
    new_index: int
    fields: tuple[tuple[str, Any, Any], ...]
    """(field, old value, new value) for each field that differs."""


@dataclass(frozen=True)
class EventChange:
    video_id: str
    old_count: int
    new_count: int
    added: tuple[int, ...]
    """Indexes in the new list."""
    removed: tuple[int, ...]
    """Indexes in the old list."""
    edited: tuple[EventEdit, ...]
    file: str
    pointer: str
    """The first changed event in the new release (or its list)."""

    def summary(self) -> str:
        parts = [f"{len(items)} {verb}" for items, verb in
                 ((self.added, "added"), (self.removed, "removed"), (self.edited, "edited"))
                 if items]
        return f"{', '.join(parts)} ({self.old_count} → {self.new_count} events)"


@dataclass(frozen=True)
class Removal:
    video_id: str
    n_events: int
    splits: tuple[str, ...]
    templates: tuple[str, ...]
    file: str
    pointer: str
    """The video's key in the previous release's events file."""


@dataclass
class ReleaseDiff:
    old_label: str
    new_label: str
    added: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    split_moves: list[Move] = field(default_factory=list)
    template_moves: list[Move] = field(default_factory=list)
    event_changes: list[EventChange] = field(default_factory=list)
    split_counts: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    """split -> {"videos": (before, after), "events": (before, after)}."""
    template_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.split_moves or self.template_moves
                    or self.event_changes)


def compare(before: ReleaseView, after: ReleaseView, old_label: str, new_label: str
            ) -> ReleaseDiff:
    diff = ReleaseDiff(old_label, new_label)
    for side, label in ((before, old_label), (after, new_label)):
        if side.events is None:
            diff.notes.append(f"the events file of {label} is unreadable: videos and events "
                              "were not compared")
        if not side.splits_readable:
            diff.notes.append(f"a split file of {label} is unreadable: splits were not "
                              "compared")
        if not side.templates_readable:
            diff.notes.append(f"the template map of {label} is unreadable: templates were "
                              "not compared")
    if before.events is not None and after.events is not None:
        _videos(diff, before, after)
        _events(diff, before, after)
    if before.splits_readable and after.splits_readable:
        diff.split_moves = _moves(before.splits, after.splits)
    if before.templates_readable and after.templates_readable:
        diff.template_moves = _moves(before.templates, after.templates)
    _counts(diff, before, after)
    return diff


def _videos(diff: ReleaseDiff, before: ReleaseView, after: ReleaseView) -> None:
    assert before.events is not None and after.events is not None
    diff.added = sorted(set(after.events.ids) - set(before.events.ids), key=id_order)
    removed = sorted(set(before.events.ids) - set(after.events.ids), key=id_order)
    splits = before.splits.entries(removed) if before.splits_readable else {}
    templates = before.templates.entries(removed) if before.templates_readable else {}
    for video_id in removed:
        diff.removed.append(Removal(
            video_id, before.events.count(video_id),
            tuple(e.group for e in splits.get(video_id, [])),
            tuple(e.group for e in templates.get(video_id, [])),
            before.events_file, "/" + escape_token(video_id)))


def _moves(before: Listings, after: Listings) -> list[Move]:
    """The videos listed in both releases under other groups (compared as sets)."""
    moved = sorted(before.changed(after), key=id_order)
    old_entries, new_entries = before.entries(moved), after.entries(moved)
    moves = []
    for video_id in moved:
        old = tuple(e.group for e in old_entries[video_id])
        entered = tuple(e for e in new_entries[video_id] if e.group not in old)
        moves.append(Move(video_id, old, tuple(e.group for e in new_entries[video_id]),
                          entered))
    return moves


def _events(diff: ReleaseDiff, before: ReleaseView, after: ReleaseView) -> None:
    assert before.events is not None and after.events is not None
    for video_id in sorted(before.events.differing(after.events), key=id_order):
        old, new = before.events.items(video_id), after.events.items(video_id)
        try:
            if old == new:  # the common case, at C speed (10 == 10.0 here too)
                continue
        except RecursionError:  # nested deeper than == goes: compare canonical texts
            pass
        old_list = old if isinstance(old, list) else [old]
        new_list = new if isinstance(new, list) else [new]
        old_keys = [canonical(e) for e in old_list]
        new_keys = [canonical(e) for e in new_list]
        if old_keys == new_keys:
            continue
        added: list[int] = []
        removed: list[int] = []
        edited: list[EventEdit] = []
        matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            edited.extend(EventEdit(i1 + k, j1 + k, _field_changes(
                old_list[i1 + k], new_list[j1 + k], after.event_fields))
                          for k in range(pairs))
            removed.extend(range(i1 + pairs, i2))
            added.extend(range(j1 + pairs, j2))
        touched = sorted([*added, *(e.new_index for e in edited)])
        pointer = "/" + escape_token(video_id)
        if touched and isinstance(new, list):
            pointer += f"/{touched[0]}"
        diff.event_changes.append(EventChange(
            video_id, len(old_list), len(new_list), tuple(added), tuple(removed),
            tuple(edited), after.events_file, pointer))


def _field_changes(old: Any, new: Any, fields: tuple[str, ...]
                   ) -> tuple[tuple[str, Any, Any], ...]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return (("event", old, new),)
    names = [*fields, *sorted((set(old) | set(new)) - set(fields))]
    return tuple((name, old.get(name, MISSING), new.get(name, MISSING)) for name in names
                 if canonical(old.get(name, MISSING)) != canonical(new.get(name, MISSING)))


def canonical(value: Any) -> str:
    """A text equal for equal JSON values: ``10`` and ``10.0`` are the same number.

    Iterative: a value in a hostile file may be nested deeper than Python recursion goes.
    """
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            parts.append(item)
        elif isinstance(item, dict | list):
            if isinstance(item, dict):
                members = [(f"{json.dumps(str(k), ensure_ascii=True)}:", item[k])
                           for k in sorted(item, key=str)]
                opener, closer = "{", "}"
            else:
                members = [("", v) for v in item]
                opener, closer = "[", "]"
            pending: list[Any] = [_Text(opener)]
            for index, (key, member) in enumerate(members):
                pending += [_Text(("," if index else "") + key), member]
            stack.extend(reversed([*pending, _Text(closer)]))
        else:
            if type(item) is float and math.isfinite(item) and item.is_integer():
                item = int(item)
            parts.append(json.dumps(item, ensure_ascii=True, allow_nan=True,
                                    default=lambda v: f"<{type(v).__name__}>"))
    return "".join(parts)


class _Text(str):
    """Punctuation already written (a plain ``str`` on the stack is a JSON value)."""


def _counts(diff: ReleaseDiff, before: ReleaseView, after: ReleaseView) -> None:
    def split_items(side: ReleaseView) -> dict[str, int]:
        if side.events is None:
            return {}
        return side.splits.items_per_group(side.events)

    videos = before.splits.sizes(), after.splits.sizes()
    items = split_items(before), split_items(after)
    for split in after.split_names:
        diff.split_counts[split] = {
            "videos": (videos[0].get(split, 0), videos[1].get(split, 0)),
            "events": (items[0].get(split, 0), items[1].get(split, 0))}
    old_sizes, new_sizes = before.templates.sizes(), after.templates.sizes()
    diff.template_counts = {name: (old_sizes.get(name, 0), new_sizes.get(name, 0))
                            for name in sorted(old_sizes.keys() | new_sizes.keys())}
    diff.totals = {
        "videos": (len(before.events or ()), len(after.events or ())),
        "events": (before.events.total() if before.events else 0,
                   after.events.total() if after.events else 0),
    }
