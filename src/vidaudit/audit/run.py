"""One audit: check the new release, compare it with the previous one, validate with GX.

The stages reuse the engine's (:func:`vidaudit.engine.run_check`,
:func:`vidaudit.engine.finalize`); the VA6xx findings of the diff are located
like every other finding and merged into the same result, so every reporter
shows them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.audit.progress import Steps
from vidaudit.config import Config
from vidaudit.engine import FrameSource, Result, finalize, in_report_order, run_check
from vidaudit.errors import UsageError
from vidaudit.findingtable import FindingTable
from vidaudit.profiles.base import Profile, Reference
from vidaudit.release.diff import ReleaseDiff, compare
from vidaudit.release.findings import diff_findings
from vidaudit.release.load import Release, load_pair
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    from vidaudit.audit.gx.run import GxOutcome


@dataclass
class Audit:
    result: Result
    """The new release's check, with the VA6xx findings merged in."""
    new: Release
    old: Release
    diff: ReleaseDiff
    steps: Steps
    gx: GxOutcome | None = None
    notes: list[str] = field(default_factory=list)

    def inputs(self) -> list[dict[str, Any]]:
        rows = [{**row, "release": "current"} for row in self.new.inputs()]
        rows += [{**row, "release": "previous"} for row in self.old.inputs()]
        known = {row["path"] for row in rows}
        rows += [{**row, "release": "current"} for row in
                 self.result.dataset.stats.get("extra_inputs", []) if row["path"] not in known]
        return rows


def audit(new: str, previous: str, config: Config, frame_source: FrameSource | None,
          steps: Steps, *, profile: Profile | None = None,
          reference: Reference | None = None) -> Audit:
    if profile is None:
        from vidaudit.release.load import detect_profile

        profile = detect_profile(new, config)
    with steps.step("load", "Reading both releases"):
        current, old = load_pair(new, previous, config, profile)
    with steps.step("check", f"Checking {current.label}"):
        result = run_check(current.root, config, frame_source, sources=current.sources,
                           profile=profile, reference=reference)
    current.use(result.dataset)
    with steps.step("diff", f"Comparing with {old.label}"):
        before, after = profile.release_view(old.dataset), profile.release_view(result.dataset)
        if before is None or after is None:
            raise UsageError(f"profile {profile.name} has no release diff")
        diff = compare(before, after, old.label, current.label)
        extra = diff_findings(diff, config)
        sources = [*current.sources.values(), *old.sources.values()]
        result.findings = in_report_order(FindingTable.concat(
            [FindingTable.of(result.findings), finalize(extra, sources, config)]))
        compared = [code for code in result.rules_skipped if RULES[code].needs == "previous"]
        result.rules_run = sorted([*result.rules_run, *compared])
        for code in compared:
            del result.rules_skipped[code]
        result.dataset.stats.setdefault("extra_inputs", []).extend(
            {"path": row["path"], "sha256": row["sha256"], "bytes": row["bytes"]}
            for row in old.inputs())
        result.dataset.notes.extend(f"release diff: {note}" for note in diff.notes)
    if config.baseline:
        with steps.step("baseline", "Applying the baseline"):
            _apply_baseline(result, Path(config.baseline))
    return Audit(result, current, old, diff, steps)


def _apply_baseline(result: Result, path: Path) -> None:
    """As `check --baseline` does, after the VA6xx findings joined the others."""
    from vidaudit.baseline import apply_baseline

    apply_baseline(result, path)
    try:
        data = path.read_bytes()
    except OSError:
        return
    result.dataset.stats.setdefault("extra_inputs", []).append(
        {"path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
