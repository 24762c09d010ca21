"""The JSON report (DESIGN section 5): stable, sorted, byte-identical for identical input."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from vidaudit.model import Finding

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

REPORT_VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    slower than the C one used here for each finding.) Each finding is encoded from a
    dict made for it alone, and the text is joined once: a full-size release has
    hundreds of thousands of findings, whose dicts all alive at once cost more memory
    than the report itself.
    """
    head = json.dumps(report_head(result), indent=1, ensure_ascii=False)
    if not result.findings:
        return _escape_surrogates(head[:-2] + ',\n "findings": []\n}\n')
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = [f'{head[:-2]},\n "findings": [\n  ']
    parts.extend(encode(finding_dict(finding)) + ",\n  " for finding in result.findings)
    parts[-1] = parts[-1][:-4] + "\n ]\n}\n"
    return _escape_surrogates("".join(parts))


def _escape_surrogates(text: str) -> str:
    """A lone surrogate (from a valid ``\\ud800`` escape in the data, say in a key that a
    pointer names) cannot be written as UTF-8: it goes back to its JSON escape, so the
    report stays valid JSON and the pointer still names that key."""
    if text.isascii():
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

