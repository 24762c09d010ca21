"""What a profile hands the layers above it: its report section and its Great
Expectations expectations (its release as the diff compares it is in
:mod:`.releaseview`). Plain data, no behaviour beyond building it; the HTML reporter
and the audit consume it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidaudit.rules.registry import RULES


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


