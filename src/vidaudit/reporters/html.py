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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.model import Finding, Severity
from vidaudit.reporters import charts, thumbnails
from vidaudit.reporters.common import by_rule, reported_codes, utf8_safe
from vidaudit.reporters.glance import GROUPS, NO_SPLIT, Glance, glance
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

ROWS_PER_RULE = 1000
THUMBS_PER_RULE = 12
SAMPLE_TEMPLATES = 30
TOP_TEMPLATES = 25
POINT_RULES = ("VA403", "VA502")
SPLIT_COLORS = {"train": "#4c78a8", "validation": "#f58518", "test": "#54a24b",
                NO_SPLIT: "#e45756"}


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
    dataset = result.dataset
    groups = by_rule(result.findings)
    frame_dir = Path(options.frame_dir) if options.frame_dir else None
    events = dataset.tables.get("events")
    at_a_glance = glance(dataset) if events is not None else None

    rules = [_rule_view(code, groups[code], result) for code in groups]
    rules.sort(key=lambda r: (-Severity.parse(r.severity), r.code))
    if events is not None:
        rows_by_pointer = {p: i for i, p in enumerate(events["pointer"])}
        for view in rules:
            if view.code in POINT_RULES:
                view.thumbnails = _finding_thumbnails(groups[view.code], events,
                                                      rows_by_pointer, frame_dir)
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
        "at_threshold": sum(1 for f in result.findings
                            if config.fail_on is not None and f.severity >= config.fail_on),
        "suppressed": result.suppressed,
        "rules": rules,
        "largest": max((r.count for r in rules), default=1),
        "passed": passed,
        "rules_run": len(result.rules_run),
        "glance": at_a_glance,
        "charts": _charts(at_a_glance) if at_a_glance else None,
        "samples": _samples(dataset.tables, frame_dir) if events is not None else [],
        "frame_images": frame_dir is not None,
        "inputs": result.inputs(),
        "notes": dataset.notes,
        "timings": result.timings,
        "settings": _settings(result),
        "data_json": _script_json(_table_data(rules, groups)),
        "rows_per_rule": ROWS_PER_RULE,
        "split_colors": SPLIT_COLORS,
    }


def _rule_view(code: str, found: list[Finding], result: Result) -> RuleView:
    rule = RULES[code]
    return RuleView(
        code=code, name=rule.name, severity=max(f.severity for f in found).label,
        count=len(found), summary=rule.summary, explanation=rule.explanation, fix=rule.fix,
        family=rule.family, embedded=min(len(found), ROWS_PER_RULE),
        videos=len({f.video_id for f in found if f.video_id is not None}),
        files=len({f.file for f in found if f.file}))


def _table_data(rules: list[RuleView], groups: dict[str, list[Finding]]) -> dict[str, Any]:
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


def _charts(seen: Glance) -> dict[str, Any]:
    series = [(group, SPLIT_COLORS[group]) for group in GROUPS]
    rows = [(row.template, [row.events_by_split[g] for g in GROUPS])
            for row in seen.template_rows]
    largest = max((row.events for row in seen.template_rows), default=0)
    positions = seen.positions
    if positions.relative:
        position = charts.histogram(
            positions.counts, positions.edges, x_label="position in the clip "
            "(frameNumber / frame_count)", y_label="events", tick_format="{:.0%}",
            extra=("after end", positions.beyond, "#e45756"))
    else:
        overflow = (f"≥ {positions.edges[-1]:g}", positions.beyond, "#9198a1")
        position = charts.histogram(positions.counts, positions.edges, x_label="frameNumber",
                                    y_label="events",
                                    extra=overflow if positions.beyond else None)
    per_video = seen.videos_by_events
    names = [str(i) for i in range(len(per_video) - 1)] + [f"{len(per_video) - 1}+"]
    return {
        "templates": charts.stacked_bars(rows[:TOP_TEMPLATES], series, largest=largest),
        "templates_rest": charts.stacked_bars(rows[TOP_TEMPLATES:], series, largest=largest)
        if len(rows) > TOP_TEMPLATES else None,
        "positions": position,
        "per_video": charts.histogram(per_video, list(range(len(per_video) + 1)),
                                      x_label="events per video", y_label="videos",
                                      categories=names, highlight={0: "#e45756"}, height=170),
        "heat": charts.heat_map(seen.points.grid),
        "pair_max": max(seen.action_agent.values(), default=0),
    }


def _row(events: pd.DataFrame, index: int) -> dict[str, Any]:
    columns = [c for c in ("video_id", "event_index", "action", "agent", "frameNumber",
                           "pointX", "pointY", "width", "height", "frame_count")
               if c in events.columns]
    return {c: events[c].iat[index] for c in columns}


def _event_caption(event: dict[str, Any]) -> str:
    from vidaudit.values import show

    return (f"frame {show(event.get('frameNumber'))} · point ({show(event.get('pointX'))}, "
            f"{show(event.get('pointY'))}) · {show(event.get('action'))} by "
            f"{show(event.get('agent'))}").replace('"', "")


def _finding_thumbnails(found: list[Finding], events: pd.DataFrame,
                        rows_by_pointer: dict[str, int],
                        frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    made: list[thumbnails.Thumbnail] = []
    seen: set[int] = set()
    for finding in found:
        if len(made) >= THUMBS_PER_RULE:
            break
        index = rows_by_pointer.get(finding.pointer)
        if index is None:
            index = rows_by_pointer.get(finding.pointer.rsplit("/", 1)[0])
        if index is None or index in seen:
            continue
        seen.add(index)
        event = _row(events, index)
        thumb = thumbnails.thumbnail(event, frame_dir, f"video {event['video_id']}, "
                                     f"event {event['event_index']}", finding.message)
        if thumb is not None:
            made.append(thumb)
    return made


def _samples(tables: dict[str, pd.DataFrame],
             frame_dir: Path | None) -> list[thumbnails.Thumbnail]:
    """One event per template (the first event of the first listed video that has one)."""
    events = tables["events"]
    first_event: dict[Any, int] = {}
    for index, video_id in enumerate(events["video_id"]):
        first_event.setdefault(video_id, index)
    chosen: dict[str, int] = {}
    for template, key in zip(tables["template_entries"]["template"],
                             tables["template_entries"]["key"], strict=True):
        if template not in chosen and key in first_event:
            chosen[template] = first_event[key]
    made = []
    for template, index in list(chosen.items())[:SAMPLE_TEMPLATES]:
        event = _row(events, index)
        thumb = thumbnails.thumbnail(event, frame_dir, str(template),
                                     f"video {event['video_id']} · {_event_caption(event)}")
        if thumb is not None:
            made.append(thumb)
    return made
