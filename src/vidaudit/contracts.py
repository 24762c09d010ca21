"""pandera contracts assembled from the table rules, and their failures as findings.

For every table, the selected table rules become one ``DataFrameSchema``: a
column rule is a ``Check`` on each of its columns, a row rule a dataframe-wide
``Check``; every check is named by its rule code. One lazy validation says
which checks failed. pandera's table of failure cases costs about 5 µs per
failing value, and a real release has tens of thousands of them, so each check
keeps one failure case, and the failing rows of the checks that failed are
enumerated from the same vectorised predicate. Rows carry their file and JSON
Pointer, which become the findings' locations.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
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


def contract_for(table: str, checks: Iterable[TableCheck], config: Config,
                 failure_cases: int | None = None) -> pa.DataFrameSchema:
    """The pandera contract of one table; ``failure_cases`` caps the cases kept per check."""
    column_checks: dict[str, list[pa.Check]] = {}
    frame_checks: list[pa.Check] = []
    for check in checks:
        test = functools.partial(_call, check.predicate, config)
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


def _call(predicate: Any, config: Config, data: Any) -> Any:
    return predicate(data, config)


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
        failed = failed_checks(frame, contract_for(table, active, config, failure_cases=1))
        key_columns = dataset.key_pointers.get(table, set())
        for check in active:
            columns = failed.get(check.rule.code)
            if columns is None:
                continue
            rows, columns_of = _failing_rows(check, frame, columns, config)
            findings.extend(_findings(check, frame, rows, columns_of, config, context,
                                      check.pointer_column in key_columns,
                                      dataset.positions.get(table)))
    return findings


def failed_checks(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> dict[str, set[str]]:
    """Rule code -> the columns whose check failed ("" for a row check)."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases: pd.DataFrame = errors.failure_cases
        failed: dict[str, set[str]] = {}
        for code, column, context in zip(cases["check"], cases["column"],
                                         cases["schema_context"], strict=True):
            failed.setdefault(str(code), set()).add(
                "" if context == "DataFrameSchema" else str(column))
        return failed
    return {}


def _failing_rows(check: TableCheck, frame: pd.DataFrame, columns: set[str], config: Config
                  ) -> tuple[list[int], list[list[str]]]:
    """Rows (table positions, in order) where the check fails, and for column rules the
    failing columns of each row (in the rule's column order)."""
    if not check.columns:
        passed = np.asarray(check.predicate(frame, config), dtype=bool)
        rows = np.flatnonzero(~passed).tolist()
        return rows, [[] for _ in rows]
    failing = {column: ~np.asarray(check.predicate(frame[column], config), dtype=bool)
               for column in check.columns if column in columns}
    if not check.group_columns:
        pairs = sorted((row, n, column) for n, column in enumerate(check.columns)
                       if column in failing for row in np.flatnonzero(failing[column]).tolist())
        return [row for row, _, _ in pairs], [[column] for _, _, column in pairs]
    any_failing = np.zeros(len(frame), dtype=bool)
    for mask in failing.values():
        any_failing |= mask
    rows = np.flatnonzero(any_failing).tolist()
    ordered = [(column, failing[column]) for column in check.columns if column in failing]
    return rows, [[column for column, mask in ordered if mask[row]] for row in rows]


def _findings(check: TableCheck, frame: pd.DataFrame, rows: list[int],
              columns_of: list[list[str]], config: Config, context: dict[str, Any],
              at_key: bool, positions: Positions | None = None) -> list[Finding]:
    if not rows:
        return []
    rule = check.rule
    wanted = {"file", "pointer", "identity", "video_id", "line", "column",
              check.pointer_column,
              *check.columns, *_template_fields(check.message)}
    names = [n for n in frame.columns if n in wanted]
    subset = frame.iloc[rows]
    data = {name: subset[name].tolist() for name in names}
    severity = config.severity_of(rule.code)
    files, identities = data["file"], data["identity"]
    pointers, video_ids = data[check.pointer_column], data.get("video_id")
    by_field = check.pointer_column == "pointer"
    lines = data.get("line")  # rows of text sources (CSV manifests) carry their line
    columns = data.get("column")  # and rows located elsewhere their column too
    if positions is not None and lines is None:
        lines, columns = _located(positions, check.pointer_column, rows,
                                  [f[0] if f and by_field else "" for f in columns_of])
    result: list[Finding] = []
    for i, failing in enumerate(columns_of):
        view = _RowView(data, i, context, failing)
        pointer = pointers[i]
        identity = str(identities[i])
        if failing:
            if by_field:
                pointer = f"{pointer}/{failing[0]}"
            if not check.group_columns:
                identity = f"{identity}/{failing[0]}"
        video_id = video_ids[i] if video_ids is not None else None
        finding = Finding(code=rule.code, severity=severity,
                          message=check.message.format_map(view), file=str(files[i]),
                          pointer=pointer, identity=identity,
                          video_id=video_id if isinstance(video_id, str) else None,
                          extra={"at_key": True} if at_key else {})
        line = lines[i] if lines is not None else None
        if isinstance(line, int) and line > 0:
            column = columns[i] if columns is not None else None
            finding.line = line
            finding.column = column if isinstance(column, int) and column > 0 else 1
        result.append(finding)
    return result


def _located(positions: Positions, pointer_column: str, rows: list[int], members: list[str]
             ) -> tuple[list[Any] | None, list[Any] | None]:
    """Lines and columns of the failing rows where the table's positions know them
    (the rest stay None and are located from their pointers)."""
    lines: list[Any] = [None] * len(rows)
    columns: list[Any] = [None] * len(rows)
    for member in dict.fromkeys(members):
        picked = [n for n, m in enumerate(members) if m == member] \
            if len(set(members)) > 1 else list(range(len(rows)))
        found = positions.line_columns(pointer_column, member, [rows[n] for n in picked])
        if found is None:
            continue
        for n, line, column in zip(picked, *found, strict=True):
            lines[n], columns[n] = line, column
    return lines, columns


class _RowView(dict[str, Any]):
    """The fields a message template may use, read from one failing row on demand.

    Ids are shown as they are (short ones), whole floats as written (``10.0``),
    ``{field}``/``{value}`` name the first failing column, ``{fields}``/``{values}``
    all of them.
    """

    def __init__(self, data: dict[str, list[Any]], row: int, context: dict[str, Any],
                 failing: list[str]) -> None:
        super().__init__()
        self.data, self.row, self.context, self.failing = data, row, context, failing

    def __missing__(self, key: str) -> Any:
        failing = self.failing
        if key == "field":
            return failing[0]
        if key == "fields":
            return ", ".join(failing)
        if key == "value":
            return show(self.data[failing[0]][self.row])
        if key == "values":
            return ", ".join(show(self.data[c][self.row]) for c in failing)
        if key in self.context:
            return self.context[key]
        value = self.data[key][self.row]
        if key == "video_id":
            return value if isinstance(value, str) and len(value) <= 80 else show(value)
        if isinstance(value, float) and value.is_integer():
            return show(value)
        return value


@functools.cache
def _template_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)
