"""The JSON report (DESIGN section 5): stable, sorted, byte-identical for identical input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from vidaudit.findingtable import field_values
from vidaudit.model import Finding, Severity
from vidaudit.values import escape_surrogates

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

REPORT_VERSION = 1
_SEPARATOR = ",\n  "
"""After each finding's line (the last one's gives way to the end of the report)."""
_encode_any = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
"""How a finding's dict is written (for a finding whose values are not of their
declared types: see :func:`_finding_lines`)."""


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "file": finding.file,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "video_id": finding.video_id,
        "fingerprint": finding.fingerprint,
    }


def report_head(result: Result) -> dict[str, Any]:
    """The report without its findings (they are encoded one by one, last)."""
    report: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "tool": result.tool,
        "profile": result.dataset.profile,
        "inputs": result.inputs(),
        "summary": result.summary(),
        "rules_run": result.rules_run,
        "rules_skipped": dict(sorted(result.rules_skipped.items())),
    }
    if result.dataset.notes:
        report["notes"] = result.dataset.notes
    if result.suppressed:
        report["summary"]["suppressed"] = result.suppressed
    return report


def render(result: Result, options: RenderOptions) -> str:
    """Readable and diff-friendly: the header indented, one finding per line.

    (The standard library's indenting encoder is pure Python and several times
    slower than writing the findings' lines here.)
    """
    return "".join(render_parts(result, options))


CHUNK = 10_000
"""Findings per part of :func:`render_parts`."""


def render_parts(result: Result, options: RenderOptions) -> Iterator[str]:
    """The report of :func:`render` in parts of :data:`CHUNK` findings: a full-size
    release has hundreds of thousands of findings, and a writer that writes each part as
    it comes never holds the whole text (at full size, ~200 MB less at the peak)."""
    head = escape_surrogates(json.dumps(report_head(result), indent=1, ensure_ascii=False))
    if not result.findings:
        yield head[:-2] + ',\n "findings": []\n}\n'
        return
    yield f'{head[:-2]},\n "findings": [\n  '
    parts = _parts(result.findings)
    part = next(parts)
    for following in parts:
        yield part
        part = following
    yield part[:-len(_SEPARATOR)] + "\n ]\n}\n"


def _parts(findings: Sequence[Finding]) -> Iterator[str]:
    """The findings' lines, :data:`CHUNK` findings a part."""
    columns = [field_values(findings, name) for name in REPORTED]
    for start in range(0, len(findings), CHUNK):
        yield "".join(_finding_lines(zip(*(column[start:start + CHUNK] for column in columns),
                                         strict=True)))


class _Surroundings(dict[tuple[str, str, Severity, str], tuple[str, str]]):
    """A line's text before its message and between its message and its pointer, per
    code, name, severity and file: a handful of values that all findings share, so
    each is encoded once rather than once per finding."""

    def __missing__(self, key: tuple[str, str, Severity, str]) -> tuple[str, str]:
        code, name, severity, file = key
        self[key] = (f'{{"code": {encode_basestring(code)}, "name": {encode_basestring(name)}, '
                     f'"severity": {encode_basestring(severity.label)}, "message": ',
                     f', "file": {encode_basestring(file)}, "pointer": ')
        return self[key]


REPORTED = ("code", "name", "severity", "message", "file", "pointer", "line", "column",
            "video_id", "fingerprint")
"""A finding's fields in the report, in the report's order."""


def _finding_lines(findings: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """Each finding as ``_encode_any(finding_dict(finding))`` writes it, then
    :data:`_SEPARATOR`, with lone surrogates escaped, but with neither a dict nor a
    run of the general encoder per finding.

    The line is one f-string: the parts that repeat come from :class:`_Surroundings`;
    the strings go through ``encode_basestring``, the very function ``json.dumps(...,
    ensure_ascii=False)`` encodes every str with (the C one when there is one); ints
    and None are written as it writes them. A value not of its declared type (a float
    or bool line, a non-str message: ``encode_basestring`` refuses it) sends its finding
    the general way, so the line is the same whatever a finding holds.
    """
    encode = encode_basestring
    surroundings = _Surroundings()
    for values in findings:
        code, name, severity, message, file, pointer, line, column, video_id, print_ = values
        try:
            before_message, before_pointer = surroundings[code, name, severity, file]
            if not ((type(line) is int or line is None)
                    and (type(column) is int or column is None)):
                raise TypeError("line and column are ints or None")
            text = (f'{before_message}{encode(message)}'
                    f'{before_pointer}{encode(pointer)}, '
                    f'"line": {"null" if line is None else line}, '
                    f'"column": {"null" if column is None else column}, '
                    f'"video_id": {"null" if video_id is None else encode(video_id)}, '
                    f'"fingerprint": {encode(print_)}}}{_SEPARATOR}')
        except TypeError:
            reported = dict(zip(REPORTED, values, strict=True))
            reported["severity"] = severity.label
            text = _encode_any(reported) + _SEPARATOR
        yield text if text.isascii() else escape_surrogates(text)
