"""One run of the checks: read, validate, build tables, run contracts, locate.

The stages are plain functions so that the audit and the hooks can reuse them;
:func:`run_check` strings them together for ``vidaudit check``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from vidaudit import __version__
from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.model import Finding, Severity, fingerprint
from vidaudit.profiles import ssv2_contact_release as profile
from vidaudit.rules.registry import RULES, TABLE_CHECKS
from vidaudit.schemacheck import schema_findings
from vidaudit.sources import SourceFile


class FrameSource(Protocol):
    """Where frame counts and sizes come from (a manifest, frame folders, videos)."""

    def attach(self, dataset: Dataset, config: Config) -> list[Finding]:
        """Add the ``manifest`` table and its joins to the dataset; return probe findings."""
        ...


@dataclass
class Result:
    dataset: Dataset
    config: Config
    findings: list[Finding]
    rules_run: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return counts

    @property
    def failed(self) -> bool:
        threshold = self.config.fail_on
        return threshold is not None and any(f.severity >= threshold for f in self.findings)

    def inputs(self) -> list[dict[str, Any]]:
        extra: list[dict[str, Any]] = self.dataset.stats.get("extra_inputs", [])
        return [{"path": s.display, "sha256": s.sha256, "bytes": s.size}
                for s in self.dataset.sources.values()] + extra

    def summary(self) -> dict[str, int]:
        return {**self.counts, "videos": self.dataset.stats.get("videos", 0),
                "events": self.dataset.stats.get("events", 0)}

    @property
    def tool(self) -> dict[str, str]:
        return {"name": "vidaudit", "version": __version__}


def run_check(root: str, config: Config, frame_source: FrameSource | None = None,
              sources: dict[str, SourceFile] | None = None) -> Result:
    """Check the release in ``root`` (or the already read ``sources``, e.g. from git)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if sources is None:
        sources = profile.read_sources(root, config)
    findings = [f for source in sources.values() for f in source.findings]
    timings["read"] = time.perf_counter() - started

    mark = time.perf_counter()
    dataset = profile.build(root, sources)
    if frame_source is not None:
        findings.extend(frame_source.attach(dataset, config))
    timings["tables"] = time.perf_counter() - mark

    mark = time.perf_counter()
    for role, source in sources.items():
        if not dataset.well_formed.get(role, False):
            findings.extend(schema_findings(source, profile.SCHEMAS[role], config))
    timings["schemas"] = time.perf_counter() - mark

    mark = time.perf_counter()
    from vidaudit.contracts import run_contracts  # pandera: only where tables are checked

    findings.extend(run_contracts(dataset, config))
    timings["contracts"] = time.perf_counter() - mark

    mark = time.perf_counter()
    findings = finalize(findings, dataset.sources.values(), config)
    timings["locate"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return Result(dataset, config, findings, rules_run(dataset, config), timings)


def rules_run(dataset: Dataset, config: Config) -> list[str]:
    """Codes that were checked in this run (selected, and with what they need)."""
    selection = config.selection
    have = {"", "frames"} if "manifest" in dataset.tables else {""}
    ran = []
    for code, rule in RULES.items():
        if code not in selection or rule.needs not in have:
            continue
        check = TABLE_CHECKS.get(code)
        if check and (not any(t in dataset.tables for t in check.tables)
                      or not set(check.requires) <= dataset.usable):
            continue
        ran.append(code)
    return ran


def finalize(findings: Iterable[Finding], sources: Iterable[SourceFile],
             config: Config) -> list[Finding]:
    """Select, rate, locate, fingerprint and sort findings."""
    selection = config.selection
    by_file = {s.display: s for s in sources}
    names: dict[str, str] = {}
    kept = []
    for finding in findings:
        if finding.code not in selection:
            continue
        rule = RULES[finding.code]
        finding.name = rule.name
        if finding.code in config.severity:
            finding.severity = config.severity[finding.code]
        source = by_file.get(finding.file)
        if source is not None and finding.line is None:
            _locate(finding, source)
        if not finding.fingerprint:
            name = names.get(finding.file)
            if name is None:
                name = names[finding.file] = PurePath(finding.file).name
            finding.fingerprint = fingerprint(finding.code, name,
                                              finding.identity or finding.pointer)
        kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return kept


def _locate(finding: Finding, source: SourceFile) -> None:
    locator = source.locator
    if locator is None:
        return
    given = finding.extra.get("occurrence")  # VA103: which repeat of a key
    occurrence = given if isinstance(given, int) else None
    pointer, span = locator.nearest(finding.pointer, occurrence)
    finding.pointer = pointer
    at_key = finding.code == "VA103" or finding.extra.get("at_key")
    offset = span.key if at_key and span.key is not None else span.value
    finding.line, finding.column = locator.line_column(offset)
