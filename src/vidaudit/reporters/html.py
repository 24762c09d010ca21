"""The HTML report: one self-contained, offline file a person reads.

Jinja2 renders the page with autoescaping on; the CSS and the one script are
inlined, charts are inline SVG drawn from :mod:`.charts`, thumbnails are data
URIs. A Content-Security-Policy forbids every network request and lets only our
own script (by its hash) run, so even text that slipped past escaping could not
execute. Findings travel as JSON in a non-executed ``<script type=application/json>``
block, and the script puts them in the page with ``textContent`` only.

Large runs stay small: at most :data:`ROWS_PER_RULE` findings per rule are
embedded (the page says how many more the JSON report holds), and the tables
are paginated in the browser.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.findingtable import field_values
from vidaudit.graphics import thumbnails
from vidaudit.model import Finding, Severity
from vidaudit.reporters.common import by_rule, reported_codes, utf8_safe, worst
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    import jinja2

    from vidaudit.engine import Result
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.reporters import RenderOptions

ROWS_PER_RULE = 1000


@dataclass
class RuleView:
    code: str
    name: str
    severity: str
    count: int
    summary: str
    explanation: str
    fix: str
    family: str
    embedded: int
    videos: int
    files: int
    thumbnails: list[thumbnails.Thumbnail] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - self.embedded


def render(result: Result, options: RenderOptions) -> str:
    template = _environment().get_template("report.html.j2")
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")
    page = template.render(csp=csp, style=_markup(_asset("report.css")),
                           script=_markup(script), **_view(result, options))
    return utf8_safe(page)


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("vidaudit.reporters", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["n"] = lambda value: f"{value:,}"
    env.filters["pct"] = lambda part, whole: f"{100 * part / whole:.1f}%" if whole else "\u2013"
    env.filters["f1"] = lambda value: f"{value:.1f}"
    return env


@functools.cache
def _asset(name: str) -> str:
    return (resources.files("vidaudit.reporters") / "templates" / name).read_text("utf-8")


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)  # our own static assets, never data


def _view(result: Result, options: RenderOptions) -> dict[str, Any]:
    from vidaudit.profiles import available

    dataset = result.dataset
    groups = by_rule(result.findings)
    frame_dir = Path(options.frame_dir) if options.frame_dir else None
    profile = available().get(dataset.profile)
    section = profile.report_section(dataset, groups, frame_dir) if profile else None

    rules = [_rule_view(code, groups[code], result) for code in groups]
    rules.sort(key=lambda r: (-Severity.parse(r.severity), r.code))
    for view in rules:
        view.thumbnails = section.thumbnails.get(view.code, []) if section else []
    passed = [(code, RULES[code].name) for code in reported_codes(result)
              if code not in groups]
    config = result.config
    return {
        "root": dataset.root,
        "profile": dataset.profile,
        "tool": result.tool,
        "failed": result.failed,
        "fail_on": config.fail_on.label if config.fail_on else "never",
        "counts": result.counts,
        "at_threshold": sum(n for severity, n in result.tally().items()
                            if config.fail_on is not None and severity >= config.fail_on),
        "suppressed": result.suppressed,
        "rules": rules,
        "largest": max((r.count for r in rules), default=1),
        "passed": passed,
        "rules_run": len(result.rules_run),
        "section": section,
        "section_html": _section_html(section) if section else "",
        "inputs": result.inputs(),
        "notes": dataset.notes,
        "timings": result.timings,
        "settings": _settings(result),
        "data_json": _script_json(_table_data(rules, groups)),
        "rows_per_rule": ROWS_PER_RULE,
        "skipped": [(code, RULES[code].name, why) for code, why in
                    sorted(result.rules_skipped.items())],
    }


def _section_html(section: ReportSection) -> Any:
    """A profile's section, rendered by the report's environment (autoescaped, the same
    macros and filters) from the template in the profile's package."""
    text = (resources.files(section.package) / "templates" / section.template).read_text(
        "utf-8")
    return _markup(_environment().from_string(text).render(**section.context))


def _rule_view(code: str, found: Sequence[Finding], result: Result) -> RuleView:
    rule = RULES[code]
    return RuleView(
        code=code, name=rule.name, severity=worst(found).label,
        count=len(found), summary=rule.summary, explanation=rule.explanation, fix=rule.fix,
        family=rule.family, embedded=min(len(found), ROWS_PER_RULE),
        videos=len(set(field_values(found, "video_id")) - {None}),
        files=len(set(field_values(found, "file")) - {None, ""}))


def _table_data(rules: list[RuleView], groups: dict[str, Sequence[Finding]]
                ) -> dict[str, Any]:
    """Findings as compact rows: [file index, line, column, pointer, video id, message]."""
    files: dict[str, int] = {}
    tables: dict[str, list[list[Any]]] = {}
    for view in rules:
        tables[view.code] = [
            [files.setdefault(f.file, len(files)), f.line, f.column, f.pointer, f.video_id,
             f.message] for f in groups[view.code][:ROWS_PER_RULE]]
    return {"files": list(files), "rules": tables}


def _script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment: ``<``, ``>`` and
    ``&`` as escapes (ASCII only, so U+2028 and lone surrogates are escaped too)."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _settings(result: Result) -> list[tuple[str, str]]:
    config = result.config
    settings = [("fail on", config.fail_on.label if config.fail_on else "never"),
                ("select", ", ".join(config.select)),
                ("ignore", ", ".join(config.ignore) or "\u2013")]
    if config.severity:
        settings.append(("severity", ", ".join(f"{c}={s.label}"
                                               for c, s in sorted(config.severity.items()))))
    if config.baseline:
        settings.append(("baseline", config.baseline))
    if config.source:
        settings.append(("configuration", config.source))
    return settings


