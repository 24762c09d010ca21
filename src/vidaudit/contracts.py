"""pandera contracts assembled from the table rules, and their failures as findings.

For every table, the selected table rules become one ``DataFrameSchema``: a
column rule is a ``Check`` on each of its columns, a row rule a dataframe-wide
``Check``; every check is named by its rule code. Validation is lazy, so one
run collects all failure cases, which map back to rows (and so to files and
JSON Pointers) through the index.
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
from vidaudit.dataset import Dataset
from vidaudit.model import Finding
from vidaudit.rules.registry import TABLE_CHECKS, TableCheck
from vidaudit.values import show


def contract_for(table: str, checks: Iterable[TableCheck], config: Config
                 ) -> pa.DataFrameSchema:
    column_checks: dict[str, list[pa.Check]] = {}
    frame_checks: list[pa.Check] = []
    for check in checks:
        test = functools.partial(_call, check.predicate, config)
        # ignore_na=False: JSON null is a value to judge, not a gap to skip.
        if check.columns:
            for column in check.columns:
                column_checks.setdefault(column, []).append(
                    pa.Check(test, name=check.rule.code, ignore_na=False))
        else:
            frame_checks.append(pa.Check(test, name=check.rule.code, ignore_na=False))
    columns = {name: pa.Column(checks=found, nullable=True, required=False)
               for name, found in column_checks.items()}
    return pa.DataFrameSchema(columns=columns, checks=frame_checks, name=table)


def _call(predicate: Any, config: Config, data: Any) -> Any:
    return predicate(data, config)


def run_contracts(dataset: Dataset, config: Config) -> list[Finding]:
    selection = config.selection
    by_table: dict[str, list[TableCheck]] = {}
    for code, check in TABLE_CHECKS.items():
        if code not in selection:
            continue
        for table in check.tables:
            if table in dataset.tables:
                by_table.setdefault(table, []).append(check)
    skipped = [check for checks in by_table.values() for check in checks
               if not set(check.requires) <= dataset.usable]
    for check in dict.fromkeys(skipped):
        unusable = ", ".join(dataset.sources[r].display for r in check.requires
                             if r not in dataset.usable)
        dataset.notes.append(f"{check.rule.code} {check.rule.name} was not checked: "
                             f"it needs {unusable}, which could not be used")
    by_table = {table: [c for c in checks if c not in skipped]
                for table, checks in by_table.items()}
    findings: list[Finding] = []
    for table, checks in by_table.items():
        frame = dataset.tables[table]
        if frame.empty:
            continue
        failures = _failures(frame, contract_for(table, checks, config))
        if failures is None:
            continue
        key_columns = dataset.key_pointers.get(table, set())
        for check in checks:
            findings.extend(_findings(check, frame, failures, config,
                                      check.pointer_column in key_columns))
    return findings


def _failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame | None:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases: pd.DataFrame = errors.failure_cases
        return cases[cases["index"].notna()]
    return None


def _findings(check: TableCheck, frame: pd.DataFrame, failures: pd.DataFrame, config: Config,
              at_key: bool) -> list[Finding]:
    rule = check.rule
    mine = failures.loc[failures["check"] == rule.code, ["index", "column"]]
    if mine.empty:
        return []
    indices, columns_of = _failing_rows(check, mine)
    wanted = {"file", "pointer", "identity", "video_id", check.pointer_column,
              *check.columns, *_template_fields(check.message)}
    names = [n for n in frame.columns if n in wanted]
    subset = frame.loc[indices, names]
    data = {name: subset[name].tolist() for name in names}
    context: dict[str, Any] = {"actions": ", ".join(config.actions),
                               "agents": ", ".join(config.agents)}
    severity = config.severity_of(rule.code)
    extra = {"at_key": True} if at_key else {}
    used = set(_template_fields(check.message))
    result: list[Finding] = []
    for i, failing in enumerate(columns_of):
        row = {name: data[name][i] for name in names}
        fields = _Shown({**row, **context})
        pointer = row[check.pointer_column]
        identity = str(row["identity"])
        if failing:
            first = failing[0]
            fields["field"] = first
            fields["fields"] = ", ".join(failing)
            if "value" in used:
                fields["value"] = show(row[first])
            if "values" in used:
                fields["values"] = ", ".join(show(row[c]) for c in failing)
            if check.pointer_column == "pointer":
                pointer = f"{row['pointer']}/{first}"
            identity = f"{identity}/{first}" if not check.group_columns else identity
        video_id = row.get("video_id")
        result.append(Finding(code=rule.code, severity=severity,
                              message=check.message.format_map(fields),
                              file=str(row["file"]), pointer=pointer, identity=identity,
                              video_id=video_id if isinstance(video_id, str) else None,
                              extra=dict(extra)))
    return result


def _failing_rows(check: TableCheck, mine: pd.DataFrame) -> tuple[list[int], list[list[str]]]:
    """The failing rows in table order and, for column rules, their failing columns."""
    rows = mine["index"].to_numpy(dtype=np.int64)
    if not check.columns:
        unique = np.unique(rows).tolist()  # a row check's case repeats for every column
        return unique, [[] for _ in unique]
    width = len(check.columns)
    order = {column: n for n, column in enumerate(check.columns)}
    ranks = mine["column"].map(order).to_numpy(dtype=np.int64)
    pairs = np.unique(rows * width + ranks)  # sorted by row, then column order
    pair_rows, pair_columns = (pairs // width).tolist(), (pairs % width).tolist()
    if not check.group_columns:
        return pair_rows, [[check.columns[c]] for c in pair_columns]
    grouped: dict[int, list[str]] = {}
    for row, column in zip(pair_rows, pair_columns, strict=True):
        grouped.setdefault(row, []).append(check.columns[column])
    return list(grouped), list(grouped.values())


@functools.cache
def _template_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


class _Shown(dict[str, Any]):
    """Message fields: ids and names shown as they are, other values JSON-ish."""

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if key in {"video_id"}:
            return value if isinstance(value, str) and len(value) <= 80 else show(value)
        if isinstance(value, float) and value.is_integer():
            return show(value)
        return value
