"""The JSON report's findings, written line by line, against ``json.dumps`` of each one.

The reporter writes each finding's line itself (for speed); these tests hold it to what
encoding the finding's dict with the standard library gives, for text that needs every
kind of escape and for values that are not of their declared types.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import pytest

from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.engine import Result
from vidaudit.model import Finding, Severity
from vidaudit.reporters import RenderOptions
from vidaudit.reporters.json_report import CHUNK, render, render_parts, report_head

CONTROL = "".join(map(chr, range(0x20))) + "\x7f"
AWKWARD = [
    'a "quoted" word, a back\\slash, \\" and \\\\" and a trailing backslash \\',
    f"every control character: {CONTROL}",
    "non-ASCII: café, 中文, \U0001f600, \u2028 \u2029 \ufeff \xa0",
    "lone surrogates: \ud800, \udfff, low then high \udc80\ud800, at the end \udbff",
    "",
    "plain",
]
LONG = ("a long message: " + "".join(AWKWARD)) * 2000


def _finding(index: int, text: str) -> Finding:
    """A finding with ``text`` in each free-text field, in turn with None line/column."""
    return Finding(
        code=("VA206", "VA303", "VA502")[index % 3],
        name=("float-encoded-integer", "video-not-in-split", 'name "with" \\ and é')[index % 3],
        severity=(Severity.WARNING, Severity.ERROR, Severity.INFO)[index % 3],
        message=f"message {index}: {text}",
        file=("metadata/video_events_labels.json", 'dir "q"\\é\ud800/x.json')[index % 2],
        pointer=f"/{text}/{index}",
        line=None if index % 4 == 0 else index,
        column=None if index % 5 == 0 else 10_000_000 + index,
        video_id=None if index % 6 == 0 else f"{index}{text}",
        fingerprint=f"{index:032x}",
    )


AWKWARD_FINDINGS = [_finding(i, text) for i, text in enumerate(AWKWARD * 5)] + [
    _finding(1000, LONG), _finding(1001, LONG[::-1])]


def _result(findings: list[Finding]) -> Result:
    dataset = Dataset(root="metadata", profile="ssv2-contact-release", sources={},
                      notes=["a note with \ud800 and é"])
    return Result(dataset, Config(), findings, ["VA206", "VA303", "VA502"])


def _as_dict(finding: Finding) -> dict[str, Any]:
    """The fields in the order the report gives them (DESIGN section 5)."""
    return {"code": finding.code, "name": finding.name, "severity": finding.severity.label,
            "message": finding.message, "file": finding.file, "pointer": finding.pointer,
            "line": finding.line, "column": finding.column, "video_id": finding.video_id,
            "fingerprint": finding.fingerprint}


def _expected(result: Result) -> str:
    """The report as encoding it with ``json.dumps`` gives it: the head indented, then
    one finding per line, lone surrogates written as their JSON escapes."""
    head = json.dumps(report_head(result), indent=1, ensure_ascii=False)
    lines = [json.dumps(_as_dict(f), ensure_ascii=False, separators=(", ", ": "))
             for f in result.findings]
    findings = "[\n  " + ",\n  ".join(lines) + "\n ]" if lines else "[]"
    text = f'{head[:-2]},\n "findings": {findings}\n}}\n'
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def test_awkward_text_is_written_as_json_dumps_writes_it() -> None:
    result = _result(AWKWARD_FINDINGS)
    text = render(result, RenderOptions())
    assert text == _expected(result)
    lines = text.split("\n")  # (JSON escapes a newline in a string, not U+2028)
    first = lines.index(' "findings": [') + 1
    found = lines[first:first + len(AWKWARD_FINDINGS)]
    assert all(line.startswith('  {"code": ') for line in found)
    assert lines[first + len(AWKWARD_FINDINGS):] == [" ]", "}", ""]


def test_the_report_reads_back_and_can_be_written_as_utf8() -> None:
    # Not the reversed long message: its high surrogate before a low one is written as
    # two escapes, which JSON defines as one character.
    findings = AWKWARD_FINDINGS[:-1]
    text = render(_result(findings), RenderOptions())
    text.encode("utf-8")  # no lone surrogate left unescaped
    assert json.loads(text)["findings"] == [_as_dict(f) for f in findings]


def test_a_report_without_findings() -> None:
    result = _result([])
    assert render(result, RenderOptions()) == _expected(result)


class Line(enum.IntEnum):
    FIRST = 1


class Shown(str):
    """A str that prints as something else: JSON writes its content."""

    def __str__(self) -> str:
        return "not the content"

    def __format__(self, spec: str) -> str:
        return "not the content"


@pytest.mark.parametrize("field, value", [
    ("line", True), ("column", False), ("line", 2.5), ("column", float("nan")),
    ("line", Line.FIRST), ("message", Shown('shown "content" \ud800')),
    ("video_id", Shown("v")), ("pointer", 7), ("message", None), ("fingerprint", 0),
    ("file", Shown("f.json")), ("code", Shown("VA206")),
])
def test_values_not_of_their_declared_type_are_written_as_json_dumps_writes_them(
        field: str, value: object) -> None:
    odd = _finding(7, AWKWARD[0])
    setattr(odd, field, value)
    result = _result([*AWKWARD_FINDINGS[:4], odd, *AWKWARD_FINDINGS[4:8]])
    assert render(result, RenderOptions()) == _expected(result)


@pytest.mark.parametrize("count", [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7])
def test_parts_make_the_report(count: int) -> None:
    """Written in parts (never the whole text at once), the report is the same bytes:
    around the part boundaries the last finding's separator still gives way to the end."""
    result = _result([_finding(i, AWKWARD[i % len(AWKWARD)]) for i in range(count)])
    parts = list(render_parts(result, RenderOptions()))
    assert len(parts) == 1 + -(-count // CHUNK)
    assert all(len(p) < len(parts[0]) + 2 * CHUNK * 2000 for p in parts)
    assert "".join(parts) == _expected(result)
    json.loads("".join(parts))
