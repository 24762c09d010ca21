"""One run of the checks: read, validate, build tables, run contracts, locate.

The stages are plain functions so that the audit and the hooks can reuse them;
:func:`run_check` strings them together for ``vidaudit check``.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby
from pathlib import Path, PurePath
from typing import Any, Protocol

import numpy as np

from vidaudit import __version__
from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.findingtable import (
    COLUMNS,
    Array,
    FindingBatch,
    FindingTable,
    batch_columns,
    object_column,
)
from vidaudit.model import Finding, Severity, fingerprint, fingerprints
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
    findings: Sequence[Finding]
    """In the report's order; a :class:`FindingTable` as the engine makes them."""
    rules_run: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0
    rules_skipped: dict[str, str] = field(default_factory=dict)
    """Code -> why the rule did not run (an input it needs was not given)."""

    @property
    def counts(self) -> dict[str, int]:
        tally = self.tally()
        return {s.label: tally[s] for s in sorted(Severity, reverse=True)}

    def tally(self) -> Counter[Severity]:
        """How many findings of each severity."""
        findings = self.findings
        if isinstance(findings, FindingTable):
            return findings.severities()
        return Counter(f.severity for f in findings)

    @property
    def failed(self) -> bool:
        threshold = self.config.fail_on
        return threshold is not None and any(severity >= threshold and n
                                             for severity, n in self.tally().items())

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
    findings: list[Finding | FindingBatch] = [f for source in sources.values()
                                              for f in source.findings]
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
    finished = finalize(findings, dataset.sources.values(), config)
    timings["locate"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    ran, skipped = rules_run(dataset, config, profile)
    return Result(dataset, config, finished, ran, timings, rules_skipped=skipped)


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


def finalize(findings: Iterable[Finding | FindingBatch], sources: Iterable[SourceFile],
             config: Config) -> FindingTable:
    """Select, rate, locate, fingerprint and sort findings (objects and batches alike)."""
    by_file = {s.display: s for s in sources}
    rules = _RuleFacts(config)
    parts: list[tuple[dict[str, Iterable[Any]], int]] = []
    extras: dict[int, dict[str, object]] = {}
    total = 0
    for batched, items in groupby(findings, key=lambda item: isinstance(item, FindingBatch)):
        if batched:
            for batch in items:
                if isinstance(batch, FindingBatch) and rules.selected(batch.code) and len(batch):
                    parts.append((_finished_batch(batch, rules, by_file), len(batch)))
                    total += len(batch)
            continue
        kept = _finished([f for f in items if isinstance(f, Finding)], rules, by_file)
        extras.update((total + n, f.extra) for n, f in enumerate(kept) if f.extra)
        parts.append(({name: [getattr(f, name) for f in kept] for name in COLUMNS}, len(kept)))
        total += len(kept)
    if not total:
        return FindingTable.empty()
    return in_report_order(FindingTable(
        {name: object_column(chain.from_iterable(part[name] for part, _ in parts), total)
         for name in COLUMNS}, extras))


def in_report_order(table: FindingTable) -> FindingTable:
    """Finished findings (of one or several finalize runs, put together) sorted as the
    report lists them."""
    return table.take(_report_order(table.columns)) if len(table) else table


class _RuleFacts:
    """Per rule code, looked up once per code rather than once per finding: whether it is
    selected, its name, and the severity the configuration gives it (None: its own)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.known: dict[str, tuple[bool, str, Severity | None]] = {}

    def __call__(self, code: str) -> tuple[bool, str, Severity | None]:
        known = self.known.get(code)
        if known is None:
            known = self.known[code] = (code in self.config.selection, RULES[code].name,
                                        self.config.severity.get(code))
        return known

    def selected(self, code: str) -> bool:
        return self(code)[0]


def _finished(findings: list[Finding], rules: _RuleFacts, by_file: dict[str, SourceFile]
              ) -> list[Finding]:
    """The selected ones of ``findings``, named, rated, located and fingerprinted."""
    names: dict[str, str] = {}
    kept = []
    for finding in findings:
        selected, finding.name, severity = rules(finding.code)
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
            finding.fingerprint = fingerprint(finding.code, name,
                                              finding.identity or finding.pointer)
        kept.append(finding)
    return kept


def _finished_batch(batch: FindingBatch, rules: _RuleFacts, by_file: dict[str, SourceFile]
                    ) -> dict[str, Iterable[Any]]:
    """A batch's columns, rated, located and fingerprinted as :func:`_finished` does it
    one finding at a time."""
    _, name, severity = rules(batch.code)
    if severity is not None:
        batch.severity = severity
    lines, columns = batch.lines, batch.columns
    if any(line is None for line in lines):
        lines, columns = list(lines), list(columns)
        for n, line in enumerate(lines):
            source = by_file.get(batch.files[n]) if line is None else None
            found = _position(source, batch.pointers[n], None,
                              batch.at_key or batch.code == "VA103") if source else None
            if found is not None:
                batch.pointers[n], lines[n], columns[n] = found
    identities = [identity or pointer
                  for identity, pointer in zip(batch.identities, batch.pointers, strict=True)]
    files = set(batch.files)
    if len(files) == 1:  # as a rule
        prints = fingerprints(batch.code, PurePath(batch.files[0]).name, identities)
    else:
        names = {file: PurePath(file).name for file in files}
        prints = [fingerprint(batch.code, names[file], identity)
                  for file, identity in zip(batch.files, identities, strict=True)]
    return batch_columns(batch, name, prints, lines, columns)


def _report_order(columns: dict[str, Array]) -> Array:
    """Row order of the report: by file, line, column (absent: 0), code and pointer,
    ties kept in the order found (as a stable sort on those keys does)."""
    keys = [_ranks(columns["file"]), _zero_for_none(columns["line"]),
            _zero_for_none(columns["column"]), _ranks(columns["code"])]
    order = np.lexsort(keys[::-1])
    ordered = [key[order] for key in keys]
    tied = np.ones(len(order) - 1, dtype=bool)
    for key in ordered:
        tied &= key[1:] == key[:-1]
    if tied.any():  # same place and code: the pointer decides (a handful of rows)
        pointers = columns["pointer"]
        # tied[k]: row k of the order equals row k + 1; a run of them from k = first to
        # k = last - 1 is the rows first..last
        edges = np.diff(np.concatenate([[0], tied.astype(np.int8), [0]]))
        firsts, lasts = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            order[first:last + 1] = sorted(order[first:last + 1].tolist(),
                                           key=pointers.__getitem__)
    return order


def _ranks(values: Array) -> Array:
    """Each value's rank among the distinct values (a few files, a few codes)."""
    rank = {value: n for n, value in enumerate(sorted(set(values.tolist())))}
    return np.fromiter(map(rank.__getitem__, values.tolist()), dtype=np.int64,
                       count=len(values))


def _zero_for_none(values: Array) -> Array:
    known = values != None  # noqa: E711 (elementwise, on an object array)
    zeros = np.zeros(len(values), dtype=np.int64)
    zeros[known] = values[known].astype(np.int64)
    return zeros


def _locate(finding: Finding, source: SourceFile) -> None:
    given = finding.extra.get("occurrence")  # VA103: which repeat of a key
    at_key = finding.code == "VA103" or bool(finding.extra.get("at_key"))
    found = _position(source, finding.pointer, given if isinstance(given, int) else None,
                      at_key)
    if found is not None:
        finding.pointer, finding.line, finding.column = found


def _position(source: SourceFile, pointer: str, occurrence: int | None, at_key: bool
              ) -> tuple[str, int, int] | None:
    """The pointer as located in the file (the nearest that exists), and the line and
    column of its value (or of its key); None for a file without a locator."""
    locator = source.locator
    if locator is None:
        return None
    located, span = locator.nearest(pointer, occurrence)
    offset = span.key if at_key and span.key is not None else span.value
    line, column = locator.line_column(offset)
    return located, line, column
