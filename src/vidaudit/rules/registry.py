"""The rule catalogue: one definition per rule, found by code, name or prefix.

A rule is either *emitted* by a shared phase (reading files, the JSON Schema
pass, media probing) or *checked* on a table. A table rule carries a vectorised
predicate (True where the row is fine) and a message template over the row's
columns; :mod:`vidaudit.contracts` turns the table rules into pandera contracts
and their failure cases back into findings. Adding a rule means one call to
:func:`rule` or :func:`table_rule` in the family's module and one fixture folder
under ``tests/fixtures/rules/<CODE>/``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity

if TYPE_CHECKING:
    import pandas as pd

# Predicates take the table (or one column) and the run's Config; typed loosely here so
# that the catalogue does not depend on the configuration module.
Predicate = Callable[["pd.Series[Any]", Any], "pd.Series[bool]"]
RowPredicate = Callable[["pd.DataFrame", Any], "pd.Series[bool]"]
Derive = Callable[["pd.DataFrame"], dict[str, Any]]

_CODE = re.compile(r"^VA[1-9]\d{2}$")
_NAME = re.compile(r"^[a-z]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    fix: str
    needs: str = ""
    """What the rule needs beyond the metadata:
    "" | "frames" | "previous" | "reference" | "baseline"."""
    profile: str | None = None
    """The profile that declared the rule; None for the rules every profile shares."""
    per_profile: bool = False
    """Findings come only from the table checks a profile binds (VA202 on its id columns):
    a profile that binds none does not run the rule. Otherwise a shared phase emits it
    (reading files, the schema pass), whatever checks a profile adds."""

    @property
    def family(self) -> str:
        return FAMILIES[self.code[2]]


@dataclass(frozen=True)
class TableCheck:
    """How a table rule is checked.

    ``columns`` empty: ``predicate`` takes the whole table and returns one bool
    per row, and the finding points at the row. Otherwise ``predicate`` takes one
    column at a time and the finding points at that member of the row
    (``{pointer}/{column}``), with ``{field}`` and ``{value}`` in the message.
    """

    rule: Rule
    tables: tuple[str, ...]
    predicate: Callable[..., Any]
    message: str
    columns: tuple[str, ...] = ()
    pointer_column: str = "pointer"
    group_columns: bool = False
    """Column rules: one finding per row naming all failing columns (``{fields}``,
    ``{values}``), pointing at the first, instead of one per value."""
    requires: tuple[str, ...] = ()
    """Files (by role) that must be usable for the rule to mean anything: without the
    template map, every video would be "in no template"."""
    profile: str | None = None
    """The profile whose tables this check reads; None: tables every profile may have
    (the frame source's ``manifest``)."""
    derive: Derive | None = None
    """Columns the rule computes from the table before it is checked (e.g. which earlier
    event a duplicate repeats), so that its logic lives with the rule."""


FAMILIES = {
    "1": "Files and parsing",
    "2": "Structure and values",
    "3": "Splits, templates and references",
    "4": "Frames",
    "5": "Plausibility",
    "6": "Release diff",
    "7": "SSv2 annotations",
    "8": "SA-V masklets",
    "9": "Baseline",
}

RULES: dict[str, Rule] = {}
CHECKS: dict[tuple[str | None, str], TableCheck] = {}
"""(profile, code) -> how that profile checks the rule on its tables."""


def rule(code: str, name: str, severity: Severity, summary: str, explanation: str,
         fix: str, needs: str = "", *, profile: str | None = None,
         per_profile: bool | None = None) -> Rule:
    """Declare a rule (its findings come from a shared phase or from :func:`check`).

    ``per_profile`` defaults to True for a profile's own rules (their table checks emit
    them); a profile whose own code emits a rule (per-video checks in workers) passes
    False, so that the rule counts as run."""
    if not _CODE.match(code) or not _NAME.match(name):
        raise ValueError(f"bad rule code or name: {code} {name}")
    if code in RULES:
        raise ValueError(f"rule {code} declared twice")
    if any(r.name == name for r in RULES.values()):
        raise ValueError(f"rule name {name} used twice")
    defined = Rule(code, name, severity, summary, textwrap.dedent(explanation).strip(),
                   textwrap.dedent(fix).strip(), needs, profile,
                   profile is not None if per_profile is None else per_profile)
    RULES[code] = defined
    return defined


def table_rule(code: str, name: str, severity: Severity, summary: str, explanation: str,
               fix: str, *, tables: str | tuple[str, ...], predicate: Callable[..., Any],
               message: str, columns: tuple[str, ...] = (), pointer_column: str = "pointer",
               requires: tuple[str, ...] = (), group_columns: bool = False,
               needs: str = "", profile: str | None = None,
               derive: Derive | None = None) -> Rule:
    """Declare a rule and how ``profile`` checks it on its tables (see :class:`TableCheck`)."""
    defined = rule(code, name, severity, summary, explanation, fix, needs, profile=profile)
    check(code, profile=profile, tables=tables, predicate=predicate, message=message,
          columns=columns, pointer_column=pointer_column, requires=requires,
          group_columns=group_columns, derive=derive)
    return defined


def check(code: str, *, profile: str | None, tables: str | tuple[str, ...],
          predicate: Callable[..., Any], message: str, columns: tuple[str, ...] = (),
          pointer_column: str = "pointer", requires: tuple[str, ...] = (),
          group_columns: bool = False, derive: Derive | None = None) -> TableCheck:
    """How ``profile`` checks an already declared rule on its own tables: a shared rule
    (VA202 invalid ids, VA301 split overlap, ...) keeps one code and one explanation
    while each format points it at its own tables and columns."""
    if (profile, code) in CHECKS:
        raise ValueError(f"rule {code} is checked twice for profile {profile}")
    bound = TableCheck(RULES[code], (tables,) if isinstance(tables, str) else tables,
                       predicate, message, columns, pointer_column, group_columns, requires,
                       profile, derive)
    CHECKS[(profile, code)] = bound
    return bound


def checks_for(profile: str) -> dict[str, TableCheck]:
    """Code -> table check, for the tables of ``profile`` (and the shared ones)."""
    found = {code: c for (owner, code), c in CHECKS.items() if owner is None}
    found.update({code: c for (owner, code), c in CHECKS.items() if owner == profile})
    return found


def get(code: str) -> Rule:
    return RULES[code]


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    return next((r for r in RULES.values() if r.name == key.lower()), None)


@dataclass(frozen=True)
class Selection:
    """Which codes are active: ``select`` and ``ignore`` hold codes or prefixes.

    The most specific match wins, so ``--select VA3 --ignore VA30 --select VA303``
    keeps VA303 and VA31x. On a tie, ignore wins.
    """

    select: tuple[str, ...] = ("VA",)
    ignore: tuple[str, ...] = ()
    _cache: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def __contains__(self, code: str) -> bool:
        cached = self._cache.get(code)
        if cached is None:
            best_select = max((len(p) for p in self.select if code.startswith(p)), default=-1)
            best_ignore = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
            cached = best_select > best_ignore
            self._cache[code] = cached
        return cached


def validate_prefixes(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Normalise user-given codes/prefixes/names; raise ValueError for unknown ones."""
    result: list[str] = []
    for raw in prefixes:
        item = raw.strip()
        if not item:
            continue
        by_name = next((r.code for r in RULES.values() if r.name == item.lower()), None)
        if by_name:
            result.append(by_name)
            continue
        prefix = item.upper()
        if prefix == "ALL":
            prefix = "VA"
        if not prefix.startswith("VA") or not any(c.startswith(prefix) for c in RULES):
            raise ValueError(f"unknown rule code or prefix {item!r} (see `vidaudit rules`)")
        result.append(prefix)
    return tuple(result)
