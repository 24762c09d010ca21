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

    from vidaudit.config import Config

Predicate = Callable[["pd.Series[Any]", "Config"], "pd.Series[bool]"]
RowPredicate = Callable[["pd.DataFrame", "Config"], "pd.Series[bool]"]

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


FAMILIES = {
    "1": "Files and parsing",
    "2": "Structure and values",
    "3": "Splits, templates and references",
    "4": "Frames",
    "5": "Plausibility",
    "6": "Release diff",
    "9": "Baseline",
}

RULES: dict[str, Rule] = {}
TABLE_CHECKS: dict[str, TableCheck] = {}


def rule(code: str, name: str, severity: Severity, summary: str, explanation: str,
         fix: str, needs: str = "") -> Rule:
    """Declare a rule whose findings a shared phase emits."""
    if not _CODE.match(code) or not _NAME.match(name):
        raise ValueError(f"bad rule code or name: {code} {name}")
    if code in RULES:
        raise ValueError(f"rule {code} declared twice")
    if any(r.name == name for r in RULES.values()):
        raise ValueError(f"rule name {name} used twice")
    defined = Rule(code, name, severity, summary, textwrap.dedent(explanation).strip(),
                   textwrap.dedent(fix).strip(), needs)
    RULES[code] = defined
    return defined


def table_rule(code: str, name: str, severity: Severity, summary: str, explanation: str,
               fix: str, *, tables: str | tuple[str, ...], predicate: Callable[..., Any],
               message: str, columns: tuple[str, ...] = (), pointer_column: str = "pointer",
               requires: tuple[str, ...] = (), group_columns: bool = False,
               needs: str = "") -> Rule:
    """Declare a rule checked on a table (see :class:`TableCheck`)."""
    defined = rule(code, name, severity, summary, explanation, fix, needs)
    TABLE_CHECKS[code] = TableCheck(
        defined, (tables,) if isinstance(tables, str) else tables, predicate, message,
        columns, pointer_column, group_columns, requires)
    return defined


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
