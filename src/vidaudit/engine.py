"""One run of the checks: read, validate, build tables, run contracts, locate.

The stages are plain functions so that the audit and the hooks can reuse them;
:func:`run_check` strings them together for ``vidaudit check``.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Protocol

from vidaudit import __version__
from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.model import Finding, Severity, fingerprint
from vidaudit.profiles.base import Profile, Reference
from vidaudit.rules.registry import RULES, checks_for
from vidaudit.schemacheck import schema_findings
from vidaudit.sources import SourceFile

SHARED_RULES = ("VA1", "VA201", "VA9")
"""Rules of every profile: reading files, the JSON Schema pass, the baseline."""
NEEDS = {"frames": "a frame source (--manifest, --frames or --videos)",
         "previous": "a previous release (vidaudit audit --previous)",
         "reference": "SSv2's own annotation (--reference)"}
"""What each kind of input is, for 'not run' reasons; a profile's own needs (SA-V's
train videos) are worded in full where the rule declares them."""


class FrameSource(Protocol):
    """Where frame counts and sizes come from (a manifest, frame folders, videos)."""

    def attach(self, dataset: Dataset, config: Config, profile: Profile) -> list[Finding]:
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
    rules_skipped: dict[str, str] = field(default_factory=dict)
    """Code -> why the rule did not run (an input it needs was not given)."""

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(f.severity for f in self.findings)
        return {s.label: tally[s] for s in sorted(Severity, reverse=True)}

    @property
    def failed(self) -> bool:
        threshold = self.config.fail_on
        return threshold is not None and any(f.severity >= threshold for f in self.findings)

    def inputs(self) -> list[dict[str, Any]]:
        extra: list[dict[str, Any]] = self.dataset.stats.get("extra_inputs", [])
        return [{"path": s.display, "sha256": s.sha256, "bytes": s.size}
                for s in self.dataset.sources.values()] + extra

    def summary(self) -> dict[str, int]:
        stats = self.dataset.stats
        return {**self.counts, "videos": stats.get("videos", 0),
                "events": stats.get("events", 0),
                **{key: stats.get(key, 0) for key in self.dataset.count_keys}}

    @property
    def tool(self) -> dict[str, str]:
        return {"name": "vidaudit", "version": __version__}


def run_check(root: str, config: Config, frame_source: FrameSource | None = None,
              sources: dict[str, SourceFile] | None = None, *,
              profile: Profile | None = None, reference: Reference | None = None) -> Result:
    """Check the release in ``root`` (or the already read ``sources``, e.g. from git) with
    ``profile`` (default: the configured one, or the one that recognises ``root``)."""
    started = time.perf_counter()
    if profile is None:
        from vidaudit.profiles import resolve

        profile = resolve(Path(root), config)
    with _no_cyclic_gc():
        return _run(root, config, frame_source, sources, profile, reference, started)


def _run(root: str, config: Config, frame_source: FrameSource | None,
         sources: dict[str, SourceFile] | None, profile: Profile,
         reference: Reference | None, started: float) -> Result:
    timings: dict[str, float] = {}
    if sources is None:
        sources = profile.read_sources(root, config)
    findings = [f for source in sources.values() for f in source.findings]
    timings["read"] = time.perf_counter() - started

    mark = time.perf_counter()
    dataset = profile.build(root, sources, config)
    dataset.count_keys = tuple(key for key, _ in profile.counts
                               if key not in ("videos", "events"))
    absent = profile.absent(sources)
    if absent:
        dataset.notes.append(f"optional file(s) not present, not checked: {', '.join(absent)}")
    if frame_source is not None:
        findings.extend(frame_source.attach(dataset, config, profile))
    if reference is not None:
        findings.extend(profile.attach_reference(dataset, reference))
        dataset.inputs.add("reference")
    timings["tables"] = time.perf_counter() - mark

    mark = time.perf_counter()
    for role, source in sources.items():
        schema = profile.schema(role, config)
        if schema is not None and not dataset.well_formed.get(role, False):
            for finding in schema_findings(source, schema):
                finding.video_id = profile.video_at(source, finding.pointer)
                findings.append(finding)
    timings["schemas"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if dataset.tables:  # pandera (half a second to import) only where tables are checked
        from vidaudit.contracts import run_contracts
        from vidaudit.series import remembered

        with remembered():  # the tables do not change while they are checked
            findings.extend(run_contracts(dataset, config, checks_for(profile.name),
                                          profile.message_context(config)))
    timings["contracts"] = time.perf_counter() - mark

    mark = time.perf_counter()
    findings = finalize(findings, dataset.sources.values(), config)
    timings["locate"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    ran, skipped = rules_run(dataset, config, profile)
    return Result(dataset, config, findings, ran, timings, rules_skipped=skipped)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A check allocates millions of objects that stay alive and form no cycles (parsed
    values, table cells, findings); the cyclic collector would rescan them again and
    again (a 27 MB file: 0.8 s of CPU instead of 0.17 s to parse; at full size a second
    in the checks). Reference counting still frees everything else; the few cycles
    pandas makes wait for the collector until the check is over.

    On leaving, everything allocated meanwhile is still in the youngest generation,
    whose first collection would scan millions of objects once more (~0.2 s at full
    size); freezing and unfreezing moves them to the oldest generation unscanned."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def profile_rules(profile: Profile) -> list[str]:
    """The codes a profile runs, in code order: its prefixes, less the rules checked on
    tables that neither this profile nor every profile has (VA402 needs frame numbers)."""
    prefixes = (*SHARED_RULES, *profile.rule_prefixes)
    bound = checks_for(profile.name)
    return [code for code in sorted(RULES) if code.startswith(prefixes)
            and RULES[code].profile in (None, profile.name)
            and (code in bound or not RULES[code].per_profile)]


def rules_run(dataset: Dataset, config: Config, profile: Profile
              ) -> tuple[list[str], dict[str, str]]:
    """Codes that were checked in this run (selected, and with what they need), and the
    selected ones that were not, with the reason."""
    selection = config.selection
    checks = checks_for(profile.name)
    ran: list[str] = []
    skipped: dict[str, str] = {}
    for code in profile_rules(profile):
        rule = RULES[code]
        if code not in selection or rule.needs == "baseline":
            continue
        if not dataset.provides(rule.needs):
            skipped[code] = f"needs {NEEDS.get(rule.needs, rule.needs)}"
            continue
        check = checks.get(code)
        if check and not any(t in dataset.tables for t in check.tables):
            continue
        if check and not set(check.requires) <= dataset.usable:
            continue
        ran.append(code)
    return ran, skipped


def finalize(findings: Iterable[Finding], sources: Iterable[SourceFile],
             config: Config) -> list[Finding]:
    """Select, rate, locate, fingerprint and sort findings."""
    selection = config.selection
    by_file = {s.display: s for s in sources}
    names: dict[str, str] = {}
    rules: dict[str, tuple[bool, str, Severity | None]] = {}
    kept = []
    for finding in findings:
        code = finding.code
        known = rules.get(code)
        if known is None:  # once per code, not once per finding
            known = rules[code] = (code in selection, RULES[code].name,
                                   config.severity.get(code))
        selected, finding.name, severity = known
        if not selected:
            continue
        if severity is not None:
            finding.severity = severity
        if finding.line is None:
            source = by_file.get(finding.file)
            if source is not None:
                _locate(finding, source)
        if not finding.fingerprint:
            name = names.get(finding.file)
            if name is None:
                name = names[finding.file] = PurePath(finding.file).name
            finding.fingerprint = fingerprint(code, name, finding.identity or finding.pointer)
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
