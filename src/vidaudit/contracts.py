"""pandera contracts assembled from the table rules, and their failures as findings.

For every table, the selected table rules become one ``DataFrameSchema``: a
column rule is a ``Check`` on each of its columns, a row rule a dataframe-wide
``Check``; every check is named by its rule code. One lazy validation says
which checks failed. pandera's table of failure cases costs about 5 µs per
failing value, and a real release has tens of thousands of them, so pandera is
only told whether each check passed, and the failing rows of the checks that
failed are enumerated from the same vectorised predicate. Rows carry their file and JSON
Pointer, which become the findings' locations.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from vidaudit.config import Config
from vidaudit.dataset import Dataset, Positions
from vidaudit.findingtable import FindingBatch, object_column
from vidaudit.rules.registry import TableCheck
from vidaudit.values import show

Verdicts = dict[tuple[str, str], Any]
"""(rule code, column or "" for a row check) -> what the check's predicate returned."""


def contract_for(table: str, checks: Iterable[TableCheck], config: Config,
                 failure_cases: int | None = None, verdicts: Verdicts | None = None
                 ) -> pa.DataFrameSchema:
    """The pandera contract of one table; ``failure_cases`` caps the cases kept per check;
    ``verdicts``, when given, keeps each predicate's result (to list the failing rows
    without evaluating it again)."""
    column_checks: dict[str, list[pa.Check]] = {}
    frame_checks: list[pa.Check] = []
    for check in checks:
        test = functools.partial(_call, check, config, verdicts)
        # ignore_na=False: JSON null is a value to judge, not a gap to skip.
        if check.columns:
            for column in check.columns:
                column_checks.setdefault(column, []).append(pa.Check(
                    test, name=check.rule.code, ignore_na=False,
                    n_failure_cases=failure_cases))
        else:
            frame_checks.append(pa.Check(test, name=check.rule.code, ignore_na=False,
                                         n_failure_cases=failure_cases))
    columns = {name: pa.Column(checks=found, nullable=True, required=False)
               for name, found in column_checks.items()}
    return pa.DataFrameSchema(columns=columns, checks=frame_checks, name=table)


def _call(check: TableCheck, config: Config, verdicts: Verdicts | None, data: Any) -> Any:
    """The check's predicate on ``data``. When ``verdicts`` keeps its result, pandera is
    told only whether the check passed (what pandera would make of the result: its
    ``all()``): the failing rows are listed from the kept result, and pandera need not
    gather failure cases (a selection and a groupby over every failing value)."""
    verdict = check.predicate(data, config)
    if verdicts is None:
        return verdict
    verdicts[check.rule.code, str(data.name) if isinstance(data, pd.Series) else ""] = verdict
    return bool(verdict.all()) if isinstance(verdict, pd.Series) else verdict


def run_contracts(dataset: Dataset, config: Config, checks: dict[str, TableCheck],
                  context: dict[str, Any]) -> list[FindingBatch]:
    """Run a profile's table ``checks`` (code -> check) on the dataset's tables;
    ``context`` holds the extra names the messages may use."""
    selection = config.selection
    by_table: dict[str, list[TableCheck]] = {}
    for code, check in checks.items():
        if code not in selection or not dataset.provides(check.rule.needs):
            continue
        for table in check.tables:
            if table in dataset.tables:
                by_table.setdefault(table, []).append(check)
    skipped = [check for found in by_table.values() for check in found
               if not set(check.requires) <= dataset.usable]
    for check in dict.fromkeys(skipped):
        unusable = ", ".join(dataset.sources[r].display for r in check.requires
                             if r not in dataset.usable)
        dataset.notes.append(f"{check.rule.code} {check.rule.name} was not checked: "
                             f"it needs {unusable}, which could not be used")
    by_table = {table: [c for c in found if c not in skipped]
                for table, found in by_table.items()}
    findings: list[FindingBatch] = []
    for table, active in by_table.items():
        frame = dataset.tables[table]
        if frame.empty:
            continue
        for derive in dict.fromkeys(c.derive for c in active if c.derive is not None):
            for column, values in derive(frame).items():
                frame[column] = pd.Series(values, index=frame.index, dtype=object)
        verdicts: Verdicts = {}
        failed = failed_checks(frame, contract_for(table, active, config, failure_cases=1,
                                                   verdicts=verdicts))
        key_columns = dataset.key_pointers.get(table, set())
        for check in active:
            columns = failed.get(check.rule.code)
            if columns is None:
                continue
            failures = _failing_rows(check, frame, columns, config, verdicts)
            findings.extend(_findings(check, frame, failures, config, context,
                                      check.pointer_column in key_columns,
                                      dataset.positions.get(table)))
    return findings


def failed_checks(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> dict[str, set[str]]:
    """Rule code -> the columns whose check failed ("" for a row check)."""
    try:
        schema.validate(frame, lazy=True, inplace=True)  # no coercion: no copy needed
    except SchemaErrors as errors:
        cases: pd.DataFrame = errors.failure_cases
        failed: dict[str, set[str]] = {}
        for code, column, context in zip(cases["check"], cases["column"],
                                         cases["schema_context"], strict=True):
            failed.setdefault(str(code), set()).add(
                "" if context == "DataFrameSchema" else str(column))
        return failed
    return {}


@dataclass
class _Failures:
    """Where a check failed: the failing rows (table positions, in report order) and,
    per row, which of ``patterns`` names its failing columns (in the rule's column
    order; a row rule's single pattern names none). A few patterns serve any number
    of rows, so what depends on the columns is worked out once per pattern."""

    rows: np.ndarray[Any, Any]
    pattern: np.ndarray[Any, Any]
    patterns: list[tuple[str, ...]]

    def groups(self) -> Iterator[tuple[tuple[str, ...], np.ndarray[Any, Any]]]:
        """Each pattern and the positions (among the failures) of its rows."""
        if len(self.patterns) == 1:
            yield self.patterns[0], np.arange(len(self.rows))
            return
        for n, columns in enumerate(self.patterns):
            yield columns, np.flatnonzero(self.pattern == n)

    def per_row(self, per_pattern: list[Any]) -> list[Any]:
        """A value per pattern, spread over the rows."""
        spread: list[Any] = object_column(per_pattern, len(per_pattern))[self.pattern].tolist()
        return spread


def _failing_rows(check: TableCheck, frame: pd.DataFrame, columns: set[str], config: Config,
                  verdicts: Verdicts) -> _Failures:
    """The rows where the check fails and their failing columns; a rule that reports
    each column apart (not ``group_columns``) fails once per row and column."""
    code = check.rule.code

    def verdict(column: str) -> Any:
        known = verdicts.get((code, column))
        if known is not None:
            return known
        return check.predicate(frame[column] if column else frame, config)

    if not check.columns:
        rows = np.flatnonzero(~np.asarray(verdict(""), dtype=bool))
        return _Failures(rows, np.zeros(len(rows), dtype=np.int64), [()])
    ordered = [column for column in check.columns if column in columns]
    failing = [~np.asarray(verdict(column), dtype=bool) for column in ordered]
    if not check.group_columns:
        at = [np.flatnonzero(mask) for mask in failing]
        rows = np.concatenate(at)
        which = np.repeat(np.arange(len(ordered)), [len(found) for found in at])
        order = np.lexsort((which, rows))
        return _Failures(rows[order], which[order], [(column,) for column in ordered])
    bits = np.zeros(len(frame), dtype=np.int64)
    for bit, mask in enumerate(failing):
        bits |= mask.astype(np.int64) << bit
    rows = np.flatnonzero(bits)
    found, pattern = np.unique(bits[rows], return_inverse=True)
    return _Failures(rows, pattern.reshape(-1),
                     [tuple(c for bit, c in enumerate(ordered) if int(p) >> bit & 1)
                      for p in found.tolist()])


def _findings(check: TableCheck, frame: pd.DataFrame, failures: _Failures, config: Config,
              context: dict[str, Any], at_key: bool, positions: Positions | None = None
              ) -> list[FindingBatch]:
    """The failures as one batch of findings, column by column."""
    if not len(failures.rows):
        return []
    rule = check.rule
    wanted = {"file", "pointer", "identity", "video_id", "line", "column",
              check.pointer_column,
              *check.columns, *_template_fields(check.message)}
    data = {name: frame[name].iloc[failures.rows].tolist()
            for name in frame.columns if name in wanted}
    n = len(failures.rows)
    by_field = check.pointer_column == "pointer"
    members = [columns[0] if columns and by_field else "" for columns in failures.patterns]
    lines: Sequence[int | None]
    columns: Sequence[int | None]
    if positions is not None and "line" not in data:
        lines, columns = _located(positions, check.pointer_column, failures, members)
    else:  # rows of text sources have them
        lines, columns = _positions(data.get("line"), data.get("column"), n)
    pointers = _suffixed(data[check.pointer_column], failures, members)
    identities = _texts(data["identity"])
    if not check.group_columns:
        identities = _suffixed(identities, failures, [c[0] if c else "" for c in failures.patterns])
    video_ids = data.get("video_id", [None] * n)
    if set(map(type, video_ids)) != {str}:
        video_ids = [v if isinstance(v, str) else None for v in video_ids]
    return [FindingBatch(rule.code, config.severity_of(rule.code),
                         _messages(check.message, data, failures, context),
                         list(map(str, data["file"])), pointers, lines, columns, video_ids,
                         identities, at_key)]


def _positions(lines: list[Any] | None, columns: list[Any] | None, n: int
               ) -> tuple[Sequence[int | None], Sequence[int | None]]:
    """Lines and columns as findings hold them: positive ints, else None (a line without
    a column is at column 1). Positions from the reader are all that already, and are
    passed on without a test per row."""
    if lines is None:
        return [None] * n, [None] * n
    if columns is not None and all(set(map(type, found)) == {int} and min(found) > 0
                                   for found in (lines, columns)):
        return lines, columns
    lines = [v if isinstance(v, int) and v > 0 else None for v in lines]
    return lines, [None if line is None else c if isinstance(c, int) and c > 0 else 1
                   for line, c in zip(lines, columns or [None] * n, strict=True)]


def _texts(values: list[Any]) -> list[str]:
    """The values as ``str`` (an identity or pointer that is not one becomes its text, as
    an f-string would make it)."""
    return values if set(map(type, values)) <= {str} else [str(v) for v in values]


def _suffixed(values: list[Any], failures: _Failures, suffixes: list[str]) -> list[Any]:
    """Each row's value with ``/`` and its pattern's suffix (none where it is empty)."""
    if not any(suffixes):
        return values
    result = object_column(_texts(values), len(values))
    for (_, at), suffix in zip(failures.groups(), suffixes, strict=True):
        if suffix:
            result[at] = result[at] + f"/{suffix}"
    suffixed: list[Any] = result.tolist()
    return suffixed


def _located(positions: Positions, pointer_column: str, failures: _Failures,
             members: list[str]) -> tuple[Sequence[int | None], Sequence[int | None]]:
    """Lines and columns of the failing rows where the table's positions know them, as
    findings hold them (the rest stay None and are located from their pointers)."""
    lines = np.zeros(len(failures.rows), dtype=np.int64)
    columns = np.zeros(len(failures.rows), dtype=np.int64)
    for (_, at), member in zip(failures.groups(), members, strict=True):
        found = positions.line_columns(pointer_column, member, failures.rows[at])
        if found is not None:
            lines[at], columns[at] = found
    if lines.all():
        return lines.tolist(), columns.tolist()
    return [v or None for v in lines.tolist()], [v or None for v in columns.tolist()]


def _messages(template: str, data: dict[str, list[Any]], failures: _Failures,
              context: dict[str, Any]) -> list[str]:
    """The message of each failing row: its template's fields, read column by column.

    Ids are shown as they are (short ones), whole floats as written (``10.0``),
    ``{field}``/``{value}`` name the first failing column, ``{fields}``/``{values}``
    all of them; other names are the profile's ``context`` or the row's columns.
    """
    pattern, names = _pattern(template)
    fields = [_field(name, data, failures, context) for name in names]
    if not fields:
        return [pattern % ()] * len(failures.rows)
    return [pattern % values for values in zip(*fields, strict=True)]


def _field(name: str, data: dict[str, list[Any]], failures: _Failures,
           context: dict[str, Any]) -> list[Any]:
    """One field of a message template, for every failing row."""
    if name == "field":
        return failures.per_row([columns[0] for columns in failures.patterns])
    if name == "fields":
        return failures.per_row([", ".join(columns) for columns in failures.patterns])
    if name in ("value", "values"):
        return _values(data, failures, first_only=name == "value")
    if name in context:
        return [context[name]] * len(failures.rows)
    values = data[name]
    if name == "video_id":
        return [v if isinstance(v, str) and len(v) <= 80 else show(v) for v in values]
    # whole floats as written (10.0), ints via show (a 400-digit one is not spelt out)
    return [show(v) if type(v) is int or (isinstance(v, float) and v.is_integer()) else v
            for v in values]


def _values(data: dict[str, list[Any]], failures: _Failures, first_only: bool) -> list[str]:
    """Each row's failing values as shown, joined by ", " (or the first one only; none
    for a row rule, which names no column)."""
    groups = [(at, [_shown(_taken(data[column], at))
                    for column in (columns[:1] if first_only else columns)])
              for columns, at in failures.groups()]
    joined = [[", ".join(values) for values in zip(*picked, strict=True)]
              if len(picked) > 1 else picked[0] if picked else [""] * len(at)
              for at, picked in groups]
    if len(joined) == 1:
        return joined[0]
    result = object_column(repeat("", len(failures.rows)), len(failures.rows))
    for (at, _), texts in zip(groups, joined, strict=True):
        result[at] = texts
    spread: list[str] = result.tolist()
    return spread


def _taken(values: list[Any], at: np.ndarray[Any, Any]) -> list[Any]:
    """``values`` at the positions ``at`` (one C call, where itemgetter can make it)."""
    if len(at) == len(values):  # every row (``at`` is in order)
        return values
    positions = at.tolist()
    if len(positions) < 2:
        return [values[n] for n in positions]
    return list(itemgetter(*positions)(values))


def _shown(values: list[Any]) -> list[str]:
    """:func:`vidaudit.values.show` of each value. A column of finite floats (most of the
    values a message names) is shown without a test each, and each distinct float
    (told apart by its bits: 0.0 is not -0.0) is written once: a release repeats a few
    thousand coordinates and frame numbers across hundreds of thousands of rows."""
    if set(map(type, values)) == {float}:
        floats = np.array(values)
        if np.isfinite(floats).all():
            distinct, where = np.unique(floats.view(np.int64), return_inverse=True)
            texts = object_column(map(float.__repr__, distinct.view(np.float64).tolist()),
                                  len(distinct))
            shown: list[str] = texts[where.reshape(-1)].tolist()
            return shown
    return [repr(v) if type(v) is float and v - v == 0.0 else show(v) for v in values]


@functools.cache
def _pattern(template: str) -> tuple[str, tuple[str, ...]]:
    """A message template as a ``%`` pattern and the names of its fields, in order
    (formatting a tuple with ``%`` costs a fraction of ``format_map`` per row)."""
    parts: list[str] = []
    names: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal.replace("%", "%%"))
        if name is None:
            continue
        if not name or spec or conversion:
            raise ValueError(f"message template {template!r}: fields are plain {{name}}s")
        parts.append("%s")
        names.append(name)
    return "".join(parts), tuple(names)


@functools.cache
def _template_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)
