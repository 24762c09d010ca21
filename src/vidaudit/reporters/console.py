"""Console output for people: grouped by rule, a few locations each, one verdict line."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from vidaudit.model import Severity
from vidaudit.reporters.common import by_rule, worst
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

SHOWN_PER_RULE = 5
STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _clean(text: str) -> str:
    """No control characters from the data may reach the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def render(result: Result, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=options.color, no_color=not options.color,
                      width=120, highlight=False, soft_wrap=True)
    groups = by_rule(result.findings)
    for code in sorted(groups, key=lambda c: (-worst(groups[c]), c)):
        found = groups[code]
        rule = RULES[code]
        severity = worst(found)
        header = Text.assemble((f"{code} {rule.name}", STYLES[severity]),
                               f"  {severity.label}  ", (f"{len(found):,}", "bold"),
                               f" finding{'s' if len(found) != 1 else ''}  ",
                               (rule.summary, "dim"))
        console.print(header)
        for finding in found[:SHOWN_PER_RULE]:
            console.print(f"  [bold]{escape(_clean(finding.location()))}[/]  "
                          f"{escape(_clean(finding.message))}")
        if len(found) > SHOWN_PER_RULE:
            console.print(f"  [dim]… and {len(found) - SHOWN_PER_RULE:,} more "
                          f"(--format json lists all; `vidaudit explain {code}`)[/]")
    for note in result.dataset.notes:
        console.print(f"[dim]note: {escape(_clean(note))}[/]")
    if result.rules_skipped:
        by_reason: dict[str, list[str]] = defaultdict(list)
        for code, why in result.rules_skipped.items():
            by_reason[why].append(code)
        for why, codes in by_reason.items():
            console.print(f"[dim]not run: {', '.join(codes)} ({why})[/]")
    console.print(_verdict(result))
    return buffer.getvalue()


def _verdict(result: Result) -> Text:
    counts = result.counts
    stats = result.dataset.stats
    parts = ", ".join(f"{n:,} {name}{'s' if n != 1 else ''}" for name, n in counts.items())
    counted = [f"{stats.get('videos', 0):,} videos"]
    counted += [f"{stats.get(key, 0):,} {key}" for key in ("events", *result.dataset.count_keys)
                if key in stats]
    scope = f"{', '.join(counted)}, {len(result.rules_run)} rules"
    suppressed = f"; {result.suppressed:,} suppressed by the baseline" if result.suppressed else ""
    if result.failed:
        return Text.assemble(("FAIL", "bold white on red"), f" {parts} ({scope}{suppressed})")
    return Text.assemble(("PASS", "bold white on green"), f" {parts} ({scope}{suppressed})")
