"""The public result of a check: :class:`Report` and its frozen :class:`Finding` s.

A :class:`Report` wraps the engine's result and renders it through the same
reporters as the command line, so ``Report.to_json()`` is byte for byte the JSON
report of ``vidaudit check --format json``. pandas is imported only by
:meth:`Report.to_frame`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import os

    import pandas as pd

    from vidaudit.engine import Result
    from vidaudit.release.diff import ReleaseDiff
    from vidaudit.reporters import RenderOptions

SeverityLabel = Literal["error", "warning", "info"]
SEVERITIES: tuple[SeverityLabel, ...] = ("info", "warning", "error")
"""Severity labels, least serious first (the order of the ``severity`` category)."""
COLUMNS = ("code", "name", "severity", "message", "file", "pointer", "line", "column",
           "video_id", "fingerprint")
"""The columns of :meth:`Report.to_frame`: the findings' fields in the JSON report."""
FORMATS = ("console", "json", "junit", "sarif", "github", "html")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place, as the JSON report describes it.

    ``file`` is the path as given; ``pointer`` an RFC 6901 JSON Pointer into it;
    ``line`` and ``column`` are 1-based (None when the problem has no position);
    ``fingerprint`` names the problem, not its position (baselines match on it).
    """

    code: str
    name: str
    severity: SeverityLabel
    message: str
    file: str
    pointer: str
    line: int | None
    column: int | None
    video_id: str | None
    fingerprint: str

    @property
    def location(self) -> str:
        """``file:line:col`` as editors and terminals understand it."""
        if not self.file:
            return "(dataset)"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


class Report:
    """The outcome of one check (``vidaudit.check``): findings, verdict and every report
    format. A broken dataset is a report with findings, never an exception."""

    def __init__(self, result: Result, *, protected: tuple[Path, ...] = (),
                 frame_dir: str | None = None) -> None:
        self._result = result
        self._protected = protected
        self._frame_dir = frame_dir

    # -- the verdict -------------------------------------------------------------

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, sorted by file, line, column and code (the report's order)."""
        from vidaudit.findingtable import field_values

        field = partial(field_values, self._result.findings)
        labels = {severity: severity.label for severity in set(field("severity"))}
        return tuple(map(Finding, field("code"), field("name"),
                         map(labels.__getitem__, field("severity")), field("message"),
                         field("file"), field("pointer"), field("line"), field("column"),
                         field("video_id"), field("fingerprint")))

    @property
    def failed(self) -> bool:
        """True when a finding is at or above ``fail-on`` (default: error)."""
        return self._result.failed

    @property
    def exit_code(self) -> int:
        """The exit code of ``vidaudit check``: 1 when :attr:`failed`, else 0."""
        return 1 if self.failed else 0

    @property
    def fail_on(self) -> SeverityLabel | None:
        """The lowest severity that fails the check; None: never fails."""
        threshold = self._result.config.fail_on
        label: SeverityLabel | None = threshold.label if threshold else None  # type: ignore[assignment]
        return label

    @property
    def counts(self) -> dict[str, int]:
        """Findings by severity: ``{"error": n, "warning": n, "info": n}``."""
        return self._result.counts

    @property
    def summary(self) -> dict[str, int]:
        """The JSON report's ``summary``: counts by severity and what was checked."""
        summary = self._result.summary()
        if self._result.suppressed:
            summary["suppressed"] = self._result.suppressed
        return summary

    @property
    def profile(self) -> str:
        """The dataset profile that was checked (``ssv2-contact-release``, ...)."""
        return self._result.dataset.profile

    @property
    def inputs(self) -> tuple[dict[str, Any], ...]:
        """The files read: ``{"path", "sha256", "bytes"}`` each."""
        return tuple(self._result.inputs())

    @property
    def rules_run(self) -> tuple[str, ...]:
        """Codes of the rules that were checked."""
        return tuple(self._result.rules_run)

    @property
    def rules_skipped(self) -> dict[str, str]:
        """Code -> why the selected rule did not run (an input it needs was not given)."""
        return dict(sorted(self._result.rules_skipped.items()))

    @property
    def protected(self) -> tuple[Path, ...]:
        """The dataset's folders and files, which :meth:`write` will not write into."""
        return self._protected

    @property
    def notes(self) -> tuple[str, ...]:
        """What the run noted about the dataset (optional files absent, ...)."""
        return tuple(self._result.dataset.notes)

    def by_rule(self) -> dict[str, tuple[Finding, ...]]:
        """Code -> its findings, for every rule that ran or found something."""
        groups: dict[str, list[Finding]] = {code: [] for code in self._result.rules_run}
        for finding in self.findings:
            groups.setdefault(finding.code, []).append(finding)
        return {code: tuple(groups[code]) for code in sorted(groups)}

    # -- outputs -----------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """One row per finding, with the JSON report's columns. ``code`` is categorical
        over the rules that ran, ``severity`` an ordered categorical (info < warning <
        error), ``line``/``column`` nullable integers."""
        import pandas as pd

        from vidaudit.findingtable import field_values

        field = partial(field_values, self._result.findings)
        codes = sorted({*self._result.rules_run, *field("code")})
        frame = pd.DataFrame({
            "code": pd.Categorical(field("code"), categories=codes),
            "name": pd.Series(field("name"), dtype=object),
            "severity": pd.Categorical([s.label for s in field("severity")],
                                       categories=list(SEVERITIES), ordered=True),
            "message": pd.Series(field("message"), dtype=object),
            "file": pd.Series(field("file"), dtype=object),
            "pointer": pd.Series(field("pointer"), dtype=object),
            "line": pd.array(field("line"), dtype="Int64"),
            "column": pd.array(field("column"), dtype="Int64"),
            "video_id": pd.Series(field("video_id"), dtype=object),
            "fingerprint": pd.Series(field("fingerprint"), dtype=object),
        }, columns=list(COLUMNS))
        return frame

    def render(self, format: str, *, color: bool = False, output: str | None = None) -> str:
        """The report in ``format`` (one of :data:`FORMATS`) as text; ``output`` is where
        it will be written (HTML links its thumbnails relative to it)."""
        from vidaudit.reporters import render_parts

        return "".join(render_parts(format, self._result, self._options(format, color, output)))

    def _options(self, format: str, color: bool, output: str | None) -> RenderOptions:
        from vidaudit.errors import UsageError
        from vidaudit.reporters import RenderOptions

        if format not in FORMATS:
            raise UsageError(f"unknown report format {format!r} (choose from "
                             f"{', '.join(FORMATS)})")
        return RenderOptions(color=color, output=output, frame_dir=self._frame_dir)

    def to_json(self) -> str:
        """The JSON report (``report_version`` 1), as ``vidaudit check --format json``."""
        return self.render("json")

    def write(self, format: str, path: str | os.PathLike[str], *,
              allow_write_in_dataset: bool = False) -> Path:
        """Write the report in ``format`` to ``path`` atomically; refuse a path inside the
        dataset's folders unless ``allow_write_in_dataset``. Returns the path."""
        from vidaudit.output import check_outside, write_atomic
        from vidaudit.reporters import render_parts

        target = Path(path)
        options = self._options(format, False, str(target))
        check_outside(target, self._protected, allow_write_in_dataset)
        write_atomic(target, render_parts(format, self._result, options))
        return target

    def __repr__(self) -> str:
        verdict = "FAIL" if self.failed else "PASS"
        counts = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return f"<vidaudit Report {self.profile} {verdict}: {counts}>"

    def _repr_html_(self) -> str:
        """A short summary for notebooks: the verdict and the counts by rule."""
        from vidaudit.rules.registry import RULES

        verdict = "FAIL" if self.failed else "PASS"
        colour = "#b00020" if self.failed else "#1b7f3b"
        counts = ", ".join(f"{n:,} {label}" for label, n in self.counts.items())
        from vidaudit.reporters.common import by_rule, worst

        rows = []
        for code, found in sorted(by_rule(self._result.findings).items()):
            rows.append(f"<tr><td>{html.escape(code)}</td><td>{html.escape(RULES[code].name)}"
                        f"</td><td>{worst(found).label}</td><td style='text-align:right'>"
                        f"{len(found):,}</td></tr>")
        table = ("<table><thead><tr><th>code</th><th>rule</th><th>severity</th>"
                 f"<th>findings</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
                 if rows else "")
        skipped = (f"<p>not run: {html.escape(', '.join(self.rules_skipped))}</p>"
                   if self.rules_skipped else "")
        return (f"<div><p><b style='color:{colour}'>{verdict}</b> "
                f"{html.escape(self.profile)}: {counts} "
                f"({len(self.rules_run)} rules run)</p>{table}{skipped}</div>")


@dataclass(frozen=True)
class AuditReport:
    """The outcome of ``vidaudit.audit``: the files written to :attr:`output_dir` (as
    ``vidaudit audit`` writes them), the check of the new release with the release
    diff's VA6xx findings merged in (:attr:`report`), and the diff itself."""

    report: Report
    output_dir: Path
    files: Mapping[str, str]
    """Name (relative to ``output_dir``) -> sha256 of every file written."""
    verdict: Mapping[str, Any]
    """``audit.json``'s verdict: result, exit code, fail-on, summary, counts by rule."""
    diff: ReleaseDiff

    @property
    def failed(self) -> bool:
        return self.report.failed

    @property
    def exit_code(self) -> int:
        return self.report.exit_code

    def _repr_html_(self) -> str:
        index = html.escape(str(self.output_dir / "index.html"))
        return f"{self.report._repr_html_()}<p>audit written to <code>{index}</code></p>"
