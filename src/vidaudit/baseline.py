"""Baselines: findings accepted on purpose, so that a check fails only on new ones.

A baseline is a JSON file (``schemas/vidaudit_baseline.schema.json``) listing
findings by rule code and fingerprint. Matching is a multiset match on
``(code, fingerprint)``: each entry suppresses one finding. The fingerprint
hashes what a finding is about (the code, the file's name and the finding's
identity, e.g. ``26864/0/<field>``), never where it sits, so the baseline
survives edits elsewhere in the file and reformatting.

Entries only count for rules that ran (and, for the schema hook, for files that
were checked): deselecting a rule does not make its entries stale. An entry
whose ``expires`` date has passed stops suppressing (VA901); an entry that
matches nothing is reported as stale (VA902), pointing at the entry itself.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from vidaudit import __version__
from vidaudit.errors import ConfigError
from vidaudit.model import Finding, Severity
from vidaudit.sources import SourceFile, read_json_source

if TYPE_CHECKING:
    from vidaudit.engine import Result

BASELINE_VERSION = 1
SCHEMA_NAME = "vidaudit_baseline"
BASELINE_RULES = ("VA901", "VA902")


@dataclass(frozen=True)
class Entry:
    index: int
    """Position in the file's ``entries`` list (findings point at ``/entries/<index>``)."""
    code: str
    fingerprint: str
    message: str = ""
    file: str = ""
    reason: str | None = None
    expires: date | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.code, self.fingerprint

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass
class Baseline:
    source: SourceFile
    entries: list[Entry]


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{what} must be a date like 2026-12-31, not {text!r}") from None


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file; any problem is a one-line ConfigError."""
    source = read_json_source("baseline", path, str(path))
    broken = [f for f in source.findings if f.severity is Severity.ERROR]
    if broken:
        first = broken[0]
        where = f":{first.line}:{first.column or 1}" if first.line else ""
        raise ConfigError(f"baseline {path}{where}: {first.message}")
    _validate(source)
    entries = []
    for index, item in enumerate(source.data["entries"]):
        expires = item.get("expires")
        entries.append(Entry(
            index=index, code=item["code"], fingerprint=item["fingerprint"],
            message=item.get("message", ""), file=item.get("file", ""),
            reason=item.get("reason"),
            expires=parse_date(expires, f"baseline {path}: entries[{index}].expires")
            if expires is not None else None))
    return Baseline(source, entries)


def _validate(source: SourceFile) -> None:
    import jsonschema

    from vidaudit.schemacheck import is_valid, load_schema

    schema = load_schema(SCHEMA_NAME)
    if is_valid(schema, source.data):
        return
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(source.data))
    assert error is not None
    where = "/".join(str(p) for p in error.absolute_path) or "the top level"
    location = ""
    if source.locator is not None:
        pointer = "".join(f"/{p}" for p in error.absolute_path)
        _, span = source.locator.nearest(pointer)
        line, column = source.locator.line_column(span.value)
        location = f":{line}:{column}"
    message = error.message.replace("\n", " ")
    if len(message) > 160:
        message = message[:159] + "…"
    raise ConfigError(f"baseline {source.display}{location}: not a vidaudit baseline "
                      f"({message} at {where})")


# -- applying -----------------------------------------------------------------


def apply_baseline(result: Result, path: Path, *, today: date | None = None,
                   files: Collection[str] | None = None) -> None:
    """Drop the findings the baseline accepts; add VA901/VA902 for its expired and stale
    entries. ``files``: only entries about these files (by name) count (the schema hook)."""
    from vidaudit.engine import finalize

    baseline = load_baseline(path)
    today = today or date.today()
    ran = set(result.rules_run)
    names = None if files is None else {PurePath(f).name for f in files}
    pending: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in baseline.entries:
        if entry.code in ran and (names is None or PurePath(entry.file).name in names):
            pending[entry.key].append(entry)
    for queue in pending.values():  # spend entries that still suppress first
        queue.sort(key=lambda e: (e.expired(today), e.index))

    kept: list[Finding] = []
    expired: list[Entry] = []
    suppressed = 0
    for finding in result.findings:
        queue = pending.get((finding.code, finding.fingerprint), [])
        if not queue:
            kept.append(finding)
            continue
        entry = queue.pop(0)
        if entry.expired(today):
            expired.append(entry)
            kept.append(finding)
        else:
            suppressed += 1
    stale = sorted((e for queue in pending.values() for e in queue), key=lambda e: e.index)

    display = baseline.source.display
    own = [_entry_finding("VA901", entry, display,
                          f"baseline entry for {entry.code} expired on {entry.expires}; the "
                          f"finding is reported again: {_short(entry.message)}")
           for entry in expired]
    own += [_entry_finding("VA902", entry, display,
                           f"baseline entry for {entry.code} matches no finding any more: "
                           f"{_short(entry.message)}") for entry in stale]
    result.findings = sorted([*kept, *finalize(own, [baseline.source], result.config)],
                             key=Finding.sort_key)
    result.suppressed += suppressed
    selection = result.config.selection
    result.rules_run = [*result.rules_run,
                        *(c for c in BASELINE_RULES if c in selection and c not in ran)]
    source = baseline.source
    result.dataset.stats.setdefault("extra_inputs", []).append(
        {"path": source.display, "sha256": source.sha256, "bytes": source.size})


def _entry_finding(code: str, entry: Entry, display: str, message: str) -> Finding:
    from vidaudit.rules.registry import get

    # The identity is what the entry accepts, so that these findings can be baselined too
    # and keep their fingerprint when other entries are added or removed.
    return Finding(code=code, severity=get(code).severity, message=message, file=display,
                   pointer=f"/entries/{entry.index}",
                   identity=f"{entry.code}/{entry.fingerprint}")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- writing ------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    text: str
    entries: int
    carried: int
    """Entries whose reason/expires were kept from the previous baseline."""


def baseline_text(findings: Iterable[Finding], profile: str, *, previous: Baseline | None = None,
                  reason: str | None = None, expires: date | None = None) -> Written:
    """The baseline file for these findings, one entry per line (reviewable diffs).

    Entries are grouped by rule, in report order within a rule. ``reason`` and
    ``expires`` of a previous baseline's matching entries are kept; new entries
    get the ones given here.
    """
    carry: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in previous.entries if previous else []:
        if entry.reason is not None or entry.expires is not None:
            carry[entry.key].append(entry)
    ordered = sorted(enumerate(findings), key=lambda pair: (pair[1].code, pair[0]))
    lines = []
    carried = 0
    for _, finding in ordered:
        item: dict[str, Any] = {"code": finding.code, "name": finding.name,
                                "fingerprint": finding.fingerprint, "file": finding.file,
                                "pointer": finding.pointer, "line": finding.line,
                                "message": finding.message}
        queue = carry.get((finding.code, finding.fingerprint))
        if queue:
            old = queue.pop(0)
            carried += 1
            given_reason, given_expires = old.reason, old.expires
        else:
            given_reason, given_expires = reason, expires
        if given_reason is not None:
            item["reason"] = given_reason
        if given_expires is not None:
            item["expires"] = given_expires.isoformat()
        lines.append("  " + json.dumps(item, ensure_ascii=False))
    header = {"baseline_version": BASELINE_VERSION,
              "tool": {"name": "vidaudit", "version": __version__}, "profile": profile}
    head = json.dumps(header, ensure_ascii=False)[:-1]
    body = ",\n".join(lines)
    text = f"{head}, \"entries\": [\n{body}\n]}}\n" if lines else f"{head}, \"entries\": []}}\n"
    return Written(text, len(lines), carried)
