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
from collections.abc import Iterable
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from vidaudit.config import Config
from vidaudit.dataset import Dataset, Positions
from vidaudit.model import Finding
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
                  context: dict[str, Any]) -> list[Finding]:
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
    findings: list[Finding] = []
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
            rows, columns_of = _failing_rows(check, frame, columns, config, verdicts)
            findings.extend(_findings(check, frame, rows, columns_of, config, context,
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


def _failing_rows(check: TableCheck, frame: pd.DataFrame, columns: set[str], config: Config,
                  verdicts: Verdicts) -> tuple[list[int], list[list[str]]]:
    """Rows (table positions, in order) where the check fails, and for column rules the
    failing columns of each row (in the rule's column order)."""
    code = check.rule.code

    def verdict(column: str) -> Any:
        known = verdicts.get((code, column))
        if known is not None:
            return known
        return check.predicate(frame[column] if column else frame, config)

    if not check.columns:
        passed = np.asarray(verdict(""), dtype=bool)
        rows = np.flatnonzero(~passed).tolist()
        return rows, [[] for _ in rows]
    failing = {column: ~np.asarray(verdict(column), dtype=bool)
               for column in check.columns if column in columns}
    if not check.group_columns:
        pairs = sorted((row, n, column) for n, column in enumerate(check.columns)
                       if column in failing for row in np.flatnonzero(failing[column]).tolist())
        return [row for row, _, _ in pairs], [[column] for _, _, column in pairs]
    any_failing = np.zeros(len(frame), dtype=bool)
    for mask in failing.values():
        any_failing |= mask
    at = np.flatnonzero(any_failing)
    ordered = [column for column in check.columns if column in failing]
    # Each row's failing columns as a bit pattern, then one (shared, read-only) list
    # per pattern: a handful of lists for any number of rows.
    patterns = np.zeros(len(at), dtype=np.int64)
    for bit, column in enumerate(ordered):
        patterns |= failing[column][at].astype(np.int64) << bit
    named = {int(p): [c for bit, c in enumerate(ordered) if int(p) >> bit & 1]
             for p in np.unique(patterns)}
    return at.tolist(), [named[p] for p in patterns.tolist()]


def _findings(check: TableCheck, frame: pd.DataFrame, rows: list[int],
              columns_of: list[list[str]], config: Config, context: dict[str, Any],
              at_key: bool, positions: Positions | None = None) -> list[Finding]:
    if not rows:
        return []
    rule = check.rule
    wanted = {"file", "pointer", "identity", "video_id", "line", "column",
              check.pointer_column,
              *check.columns, *_template_fields(check.message)}
    at = np.asarray(rows, dtype=np.int64)  # converted once, not once per column
    data = {name: frame[name].iloc[at].tolist()
            for name in frame.columns if name in wanted}
    severity = config.severity_of(rule.code)
    files, identities = data["file"], data["identity"]
    pointers, video_ids = data[check.pointer_column], data.get("video_id")
    by_field = check.pointer_column == "pointer"
    lines = data.get("line")  # rows of text sources (CSV manifests) carry their line
    columns = data.get("column")  # and rows located elsewhere their column too
    if positions is not None and lines is None:
        lines, columns = _located(positions, check.pointer_column, rows,
                                  [f[0] if f and by_field else "" for f in columns_of])
    messages = _messages(check.message, data, columns_of, context)
    n = len(rows)
    if by_field:
        pointers = [f"{p}/{f[0]}" if f else p for p, f in zip(pointers, columns_of, strict=True)]
    if check.group_columns:
        identities = [str(i) for i in identities]
    else:
        identities = [f"{i}/{f[0]}" if f else str(i)
                      for i, f in zip(identities, columns_of, strict=True)]
    videos = [v if isinstance(v, str) else None for v in video_ids] \
        if video_ids is not None else [None] * n
    lines = [v if isinstance(v, int) and v > 0 else None for v in lines] \
        if lines is not None else [None] * n
    columns = [None if line is None else c if isinstance(c, int) and c > 0 else 1
               for line, c in zip(lines, columns or [None] * n, strict=True)]
    # Positional (in the order of Finding's fields), through map: a finding costs its
    # __init__ and little else.
    return list(map(Finding, repeat(rule.code, n), repeat(severity, n), messages,
                    map(str, files), pointers, lines, columns, videos, identities,
                    repeat("", n), repeat("", n),
                    ({"at_key": True} for _ in range(n)) if at_key else ({} for _ in range(n))))


def _located(positions: Positions, pointer_column: str, rows: list[int], members: list[str]
             ) -> tuple[list[Any] | None, list[Any] | None]:
    """Lines and columns of the failing rows where the table's positions know them
    (the rest stay None and are located from their pointers)."""
    lines: list[Any] = [None] * len(rows)
    columns: list[Any] = [None] * len(rows)
    by_member: dict[str, list[int]] = {}
    for n, member in enumerate(members):
        by_member.setdefault(member, []).append(n)
    for member, picked in by_member.items():
        found = positions.line_columns(pointer_column, member, [rows[n] for n in picked])
        if found is None:
            continue
        for n, line, column in zip(picked, *found, strict=True):
            lines[n], columns[n] = line, column
    return lines, columns


def _messages(template: str, data: dict[str, list[Any]], columns_of: list[list[str]],
              context: dict[str, Any]) -> list[str]:
    """The message of each failing row: its template's fields, read column by column.

    Ids are shown as they are (short ones), whole floats as written (``10.0``),
    ``{field}``/``{value}`` name the first failing column, ``{fields}``/``{values}``
    all of them; other names are the profile's ``context`` or the row's columns.
    """
    pattern, names = _pattern(template)
    fields = [_field(name, data, columns_of, context) for name in names]
    if not fields:
        return [pattern % ()] * len(columns_of)
    return [pattern % values for values in zip(*fields, strict=True)]


def _field(name: str, data: dict[str, list[Any]], failing: list[list[str]],
           context: dict[str, Any]) -> list[Any]:
    """One field of a message template, for every failing row."""
    if name == "field":
        return [columns[0] for columns in failing]
    if name == "fields":
        return [", ".join(columns) for columns in failing]
    if name in ("value", "values"):
        shown = {column: _shown(data[column])
                 for column in dict.fromkeys(c for columns in failing for c in columns)}
        if name == "value":
            return [shown[columns[0]][row] for row, columns in enumerate(failing)]
        return [", ".join([shown[column][row] for column in columns])
                for row, columns in enumerate(failing)]
    if name in context:
        return [context[name]] * len(failing)
    values = data[name]
    if name == "video_id":
        return [v if isinstance(v, str) and len(v) <= 80 else show(v) for v in values]
    return [show(v) if isinstance(v, float) and v.is_integer() else v for v in values]


def _shown(values: list[Any]) -> list[str]:
    """:func:`vidaudit.values.show` of each value, finite floats (most of the values a
    message names) without a call each."""
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
