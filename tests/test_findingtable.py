"""Findings as columns: a batch finishes exactly as the same findings one by one would.

The engine finishes (selects, rates, locates, fingerprints, sorts) both findings made
one at a time and :class:`FindingBatch` es of a table rule; the report must not tell
which way a finding came. Here the same findings go through :func:`finalize` once as
objects and once split into batches, and every field of every finding must agree.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import astuple
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from vidaudit.config import Config
from vidaudit.contracts import run_contracts
from vidaudit.dataset import Dataset
from vidaudit.engine import finalize
from vidaudit.findingtable import FindingBatch, FindingTable
from vidaudit.model import Finding, Severity, fingerprint
from vidaudit.profiles import available
from vidaudit.rules.registry import RULES, TableCheck
from vidaudit.sources import read_json_source

CODES = ("VA205", "VA206", "VA207")


@pytest.fixture(autouse=True)
def _rules() -> None:
    available()  # the table rules are registered by the profiles that have them


def _source(tmp_path: Path, name: str, videos: int) -> tuple[Path, dict[str, list[dict]]]:
    data = {str(v): [{"frameNumber": v % 7, "pointX": float(v), "pointY": v * 2}
                     for _ in range(1 + v % 3)] for v in range(1, videos + 1)}
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1))
    return path, data


def _findings(paths: dict[str, dict[str, list[dict]]], seed: int) -> list[Finding]:
    """Findings at random members, some located already, some to be located, some on
    the same place (ties that the pointer orders), in an arbitrary order."""
    rng = random.Random(seed)
    made = []
    for display, data in paths.items():
        for video, events in data.items():
            for index in range(len(events)):
                for member in rng.sample(["frameNumber", "pointX", "pointY"], k=2):
                    pointer = f"/{video}/{index}/{member}"
                    line = rng.choice([None, None, rng.randint(1, 50), 1])
                    tie = line == 1  # line 1, column 1, VA206: ordered by pointer
                    made.append(Finding("VA206" if tie else rng.choice(CODES), Severity.WARNING,
                                        f"odd {member} in {video}", display, pointer,
                                        line, None if line is None else 1 if tie
                                        else rng.randint(1, 9),
                                        video, f"{video}/{index}"
                                        if rng.random() < 0.8 else ""))
    rng.shuffle(made)
    return made


def _batches(findings: list[Finding], size: int) -> list[Finding | FindingBatch]:
    """The same findings, runs of ``size`` (one code each) as batches, others as objects."""
    items: list[Finding | FindingBatch] = []
    for start in range(0, len(findings), size):
        run = findings[start:start + size]
        if len({f.code for f in run}) != 1 or start % (3 * size) == 0:
            items.extend(run)
            continue
        items.append(FindingBatch(run[0].code, run[0].severity, [f.message for f in run],
                                  [f.file for f in run], [f.pointer for f in run],
                                  [f.line for f in run], [f.column for f in run],
                                  [f.video_id for f in run], [f.identity for f in run]))
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batches_finish_as_the_same_findings_one_by_one(tmp_path: Path, seed: int) -> None:
    first, data_a = _source(tmp_path, "a.json", 40)
    second, data_b = _source(tmp_path, "b.json", 25)
    sources = [read_json_source("events", first, str(first)),
               read_json_source("events", second, str(second))]
    findings = _findings({str(first): data_a, str(second): data_b}, seed)
    config = Config(severity={"VA207": Severity.ERROR}, ignore=["VA205"])

    one_by_one = finalize(copy.deepcopy(findings), sources, config)
    batched = finalize(_batches(copy.deepcopy(findings), 4), sources, config)

    assert isinstance(batched, FindingTable)
    assert [astuple(f) for f in batched] == [astuple(f) for f in one_by_one]
    kept = [f for f in findings if f.code != "VA205"]
    assert len(batched) == len(kept) > 100
    # the order is the report's, the ties (same place and code) ordered by pointer
    keys = [f.sort_key() for f in batched]
    assert keys == sorted(keys)
    assert any(a[:4] == b[:4] for a, b in pairwise(keys))
    # located from the file, rated by the configuration, fingerprinted by identity
    for finding in batched:
        assert finding.line is not None and finding.column is not None
        assert finding.severity is (Severity.ERROR if finding.code == "VA207"
                                    else Severity.WARNING)
        assert finding.fingerprint == fingerprint(finding.code, Path(finding.file).name,
                                                  finding.identity or finding.pointer)
    # a finding without a line is located at its value in the file
    unlocated = {(f.file, f.pointer) for f in findings if f.line is None}
    texts = {str(first): first.read_text().splitlines(),
             str(second): second.read_text().splitlines()}
    data = {str(first): data_a, str(second): data_b}
    checked = 0
    for finding in batched:
        if (finding.file, finding.pointer) in unlocated:
            _, video, index, member = finding.pointer.split("/")
            value = json.dumps(data[finding.file][video][int(index)][member])
            assert texts[finding.file][finding.line - 1][finding.column - 1:].startswith(value)
            checked += 1
    assert checked > 50


def test_a_table_is_a_sequence_of_findings(tmp_path: Path) -> None:
    path, data = _source(tmp_path, "a.json", 5)
    source = read_json_source("events", path, str(path))
    odd = Finding("VA103", Severity.ERROR, "repeated key", str(path), "/1",
                  extra={"occurrence": 1})
    batch = FindingBatch("VA206", Severity.WARNING, ["m2", "m1"], [str(path)] * 2,
                         ["/2/0/pointX", "/1/0/pointX"], [None, None], [None, None],
                         ["2", "1"], ["2/0", "1/0"])
    table = finalize([batch, odd], [source], Config())

    assert len(table) == 3
    assert [f.message for f in table] == [table[n].message for n in range(3)]
    assert table[-1] == table[2] and table[0:2] == [table[0], table[1]]
    with pytest.raises(IndexError):
        table[3]
    repeated = next(f for f in table if f.code == "VA103")
    assert repeated.extra == {"occurrence": 1}
    assert table.severities() == {Severity.ERROR: 1, Severity.WARNING: 2}
    lines = path.read_text().splitlines()
    for finding in table:
        if finding.code == "VA206":
            at = lines[finding.line - 1][finding.column - 1:]
            assert at.startswith(str(data[finding.video_id][0]["pointX"]))
    assert len(finalize([], [source], Config())) == 0


def test_messages_of_row_and_column_rules_name_their_failing_columns() -> None:
    """``{fields}``/``{values}``: the failing columns of each row (in the rule's order),
    none for a row rule, which judges the row as a whole."""
    frame = pd.DataFrame({"file": ["f.json"] * 3, "pointer": ["/0", "/1", "/2"],
                          "identity": ["0", "1", "2"], "a": [1, 2.0, 3.0],
                          "b": [1.0, 2, 3.0]}, dtype=object)
    dataset = Dataset(root="", profile="test", sources={}, tables={"t": frame})
    whole = lambda s, c: ~s.map(lambda v: isinstance(v, float)).astype(bool)  # noqa: E731
    checks = {
        "VA206": TableCheck(RULES["VA206"], ("t",), whole, "{fields} as floats ({values})",
                            columns=("a", "b"), group_columns=True),
        "VA207": TableCheck(RULES["VA207"], ("t",), lambda t, c: t["a"] == 1,
                            "row: [{values}] [{fields}]"),
    }
    found = finalize(run_contracts(dataset, Config(), checks, {}), [], Config())

    assert [(f.code, f.pointer, f.message) for f in found] == [
        ("VA206", "/0/b", "b as floats (1.0)"),  # no file to locate in: by code, pointer
        ("VA206", "/1/a", "a as floats (2.0)"),
        ("VA206", "/2/a", "a, b as floats (3.0, 3.0)"),
        ("VA207", "/1", "row: [] []"),
        ("VA207", "/2", "row: [] []"),
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_table_groups_by_rule_as_its_findings_one_by_one(tmp_path: Path, seed: int) -> None:
    """The reporters group a run's findings by rule; a table's groups are tables (no
    finding made until one is read), with the same findings in the same order, the
    rules in the order their first findings come, and their extras kept."""
    from vidaudit.reporters.common import by_rule, worst

    first, data = _source(tmp_path, "a.json", 40)
    source = read_json_source("events", first, str(first))
    findings = _findings({str(first): data}, seed)
    findings[7].extra = {"occurrence": 2}
    table = finalize(_batches(copy.deepcopy(findings), 4), [source],
                     Config(severity={"VA207": Severity.ERROR}))
    objects = list(table)

    groups = by_rule(table)
    expected = by_rule(objects)
    assert all(isinstance(group, FindingTable) for group in groups.values())
    assert list(groups) == list(expected) == list(dict.fromkeys(f.code for f in objects))
    assert len(groups) == len(CODES)
    for code, group in groups.items():
        assert [astuple(f) for f in group] == [astuple(f) for f in expected[code]]
        assert worst(group) == max(f.severity for f in expected[code])
    assert sum(len(group[5:9]) for group in groups.values()) == 4 * len(CODES)
    assert any(f.extra for group in groups.values() for f in group)
    assert by_rule(FindingTable.empty()) == {}
