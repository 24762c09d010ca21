"""What a profile hands the layers above it: its release as the diff compares it, its
report section, its Great Expectations expectations. Plain data, no behaviour beyond
building it; the release diff, the HTML reporter and the audit consume it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from vidaudit.rules.registry import RULES


class Entry(NamedTuple):
    """Where a video is listed: the file and JSON Pointer of its (first) entry."""

    group: str
    """The split or template."""
    file: str
    pointer: str



@dataclass
class ReleaseView:
    """One release's facts, in the shapes the comparison needs; a profile makes it from
    its tables (``Profile.release_view``). None marks a part whose file is unreadable."""

    events: dict[str, Any] | None
    """Video id -> its annotation items (a list), as the file holds them."""
    events_file: str
    splits: dict[str, list[Entry]] | None
    templates: dict[str, list[Entry]] | None
    split_videos: dict[str, set[str]]
    template_videos: dict[str, set[str]]
    split_names: tuple[str, ...]
    event_fields: tuple[str, ...] = ()
    """The fields of an item, in the order a changed item's fields are listed."""


def entries_of(table: Any, group: str) -> dict[str, list[Entry]]:
    """Video id -> its listings, first entry per group, in document order."""
    listed: dict[str, dict[str, Entry]] = defaultdict(dict)
    for key, name, file, pointer in zip(table["key"], table[group], table["file"],
                                        table["pointer"], strict=True):
        if key is not None and isinstance(name, str) and name not in listed[key]:
            listed[key][name] = Entry(name, file, pointer)
    return {key: list(groups.values()) for key, groups in listed.items()}


def groups_of(table: Any, group: str) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for key, name in zip(table["key"], table[group], strict=True):
        if key is not None and isinstance(name, str):
            members[name].add(key)
    return members



@dataclass
class ReportSection:
    """A profile's part of the HTML report: a Jinja2 template in the profile's package
    (``<package>/templates/<template>``, rendered with autoescaping and the report's
    macros), its variables, and thumbnails per rule code."""

    package: str
    template: str
    context: dict[str, Any]
    thumbnails: dict[str, list[Any]]
    cards: list[tuple[int, str]]
    """(number, label) cards for the summary."""


SEVERITIES = {"error": "critical", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class Expectation:
    table: str
    type: str
    kwargs: dict[str, Any]
    rule: str

    def document(self) -> dict[str, Any]:
        rule = RULES[self.rule]
        return {"type": self.type, "kwargs": self.kwargs,
                "severity": SEVERITIES[rule.severity.label],
                "meta": {"rule": self.rule, "name": rule.name, "severity": rule.severity.label,
                         "summary": rule.summary}}


def expectation(table: str, kind: str, rule: str, **kwargs: Any) -> Expectation:
    return Expectation(table, f"expect_{kind}", kwargs, rule)


