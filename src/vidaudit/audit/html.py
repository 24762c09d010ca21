"""``index.html``: the audit report a release manager reads.

One self-contained page (no network, no script): the verdict, the findings by
rule, the release diff, the Great Expectations outcome with a link to its Data
Docs, the inputs with their checksums, and the timings. Jinja2 autoescaping
covers every string from the dataset.

The full findings report (the HTML reporter's page, ``--format html``) is written
beside this one as ``report.html`` and linked from here; this page lists only the
first findings of each rule.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.release.render import diff_dict
from vidaudit.reporters.common import by_rule, worst
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    import jinja2

    from vidaudit.audit.run import Audit
    from vidaudit.audit.summary import AuditOptions

SHOWN_PER_RULE = 20
SHOWN_PER_LIST = 200


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("vidaudit.audit", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    environment.filters["show"] = _show
    return environment


def render(audit: Audit, options: AuditOptions, report_html: str | None = None) -> str:
    from vidaudit.audit.summary import verdict

    groups = by_rule(audit.result.findings)
    rules = [{"code": code, "rule": RULES[code], "severity": worst(found),
              "count": len(found), "shown": found[:SHOWN_PER_RULE]}
             for code, found in sorted(groups.items(),
                                       key=lambda item: (-worst(item[1]), item[0]))]
    template = _environment().get_template("audit.html.j2")
    return template.render(
        audit=audit, options=options, verdict=verdict(audit), rules=rules,
        diff=diff_dict(audit.diff), shown=SHOWN_PER_LIST, Severity=Severity,
        gx=audit.gx.summary() if audit.gx is not None else None,
        inputs=audit.inputs(), timings=audit.steps.timings, report_html=report_html,
        notes=audit.result.dataset.notes, show=_show)


def _show(value: Any) -> str:
    from vidaudit.values import show

    return show(value, limit=120)
