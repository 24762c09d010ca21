"""What several reporters share: findings grouped by rule, and the rules worth listing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vidaudit.findingtable import FindingTable, field_values
from vidaudit.model import Finding, Severity
from vidaudit.rules.registry import RULES
from vidaudit.values import LONE_SURROGATE

if TYPE_CHECKING:
    from vidaudit.engine import Result

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def by_rule(findings: Sequence[Finding]) -> dict[str, Sequence[Finding]]:
    """Findings per code, in the order they come (the report's sort order). A table's
    groups are tables: a reporter that lists a thousand findings of a rule makes those
    thousand, not the rule's third of a million."""
    if isinstance(findings, FindingTable):
        return dict(findings.by_code())
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.code].append(finding)
    return dict(groups)


def worst(found: Sequence[Finding]) -> Severity:
    """The highest severity among findings (at least one)."""
    severity: Severity = max(field_values(found, "severity"))
    return severity


def reported_codes(result: Result) -> list[str]:
    """The rules that ran plus any rule that has findings, by code.

    A finding's rule normally ran; the union keeps a finding from vanishing from a
    per-rule format if a phase ever emits one for a rule not counted as run.
    """
    codes = set(result.rules_run) | set(field_values(result.findings, "code"))
    return sorted(code for code in codes if code in RULES)


def severity_of(code: str, found: Sequence[Finding], result: Result) -> Severity:
    """The severity a rule reports at in this run: its findings', else the configured one."""
    if found:
        return worst(found)
    return result.config.severity_of(code)


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot carry (control characters, lone surrogates) as ``\\xNN``.

    Dataset text is untrusted: an id or template name with a control character
    would otherwise make the whole XML document unreadable.
    """
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def utf8_safe(text: str) -> str:
    """Lone surrogates (JSON allows ``"\\ud800"``; UTF-8 cannot encode it) as U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)
