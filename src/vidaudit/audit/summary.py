"""What every audit output shares: the options the audit ran with and its verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vidaudit.findingtable import field_values
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    from vidaudit.audit.run import Audit


@dataclass(frozen=True)
class AuditOptions:
    metadata_dir: str
    previous: str
    output_dir: str
    manifest: str | None
    frames: str | None
    videos: str | None
    gx: bool
    started: float
    """time.time() at the start, for audit.json."""
    config_source: str | None
    select: list[str]
    ignore: list[str]
    fail_on: str


def verdict(audit: Audit) -> dict[str, Any]:
    result = audit.result
    by_rule = Counter(field_values(result.findings, "code"))
    return {
        "result": "fail" if result.failed else "pass",
        "exit_code": 1 if result.failed else 0,
        "fail_on": result.config.fail_on.label if result.config.fail_on else "never",
        "summary": result.summary(),
        "by_rule": {code: {"name": RULES[code].name, "count": n}
                    for code, n in sorted(by_rule.items())},
    }
