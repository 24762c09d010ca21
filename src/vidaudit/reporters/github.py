"""GitHub Actions workflow commands: findings become annotations on the pull request.

``::error file=F,line=L,col=C,title=VA303 video-not-in-split::message``. Data
goes through the workflow-command escaping (``%``, CR and LF everywhere; ``:``
and ``,`` too inside properties), so no dataset text can end a command early or
start one of its own. GitHub shows only a handful of annotations per step, so
each rule prints at most :data:`SHOWN_PER_RULE` and one notice for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidaudit.model import Finding, Severity
from vidaudit.reporters.common import by_rule, utf8_safe, worst

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

SHOWN_PER_RULE = 100
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    given = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in properties.items() if value not in (None, ""))
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    return command(COMMANDS[finding.severity], finding.message, file=finding.file or None,
                   line=finding.line, col=finding.column if finding.line else None,
                   title=f"{finding.code} {finding.name}")


def render(result: Result, options: RenderOptions) -> str:
    lines: list[str] = []
    groups = by_rule(result.findings)
    for code in sorted(groups, key=lambda c: (-worst(groups[c]), c)):
        found = groups[code]
        lines.extend(annotation(f) for f in found[:SHOWN_PER_RULE])
        if len(found) > SHOWN_PER_RULE:
            lines.append(command(
                "notice", f"{len(found) - SHOWN_PER_RULE:,} more {code} findings are not "
                "annotated; the JSON report lists them all",
                title=f"{code} {found[0].name} ({len(found):,} findings)"))
    counts = ", ".join(f"{n:,} {label}{'s' if n != 1 else ''}"
                       for label, n in result.counts.items())
    lines.append(f"vidaudit: {'FAIL' if result.failed else 'PASS'} ({counts})")
    return utf8_safe("\n".join(lines) + "\n")
