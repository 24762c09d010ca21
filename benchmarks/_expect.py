"""What a benchmarked run must have done, worked out without vidaudit.

A benchmark that times a run which read nothing (a refused link, a missing file, a
crash that exits 1) proves nothing. So every timed run's outcome is compared with
what the input implies, computed here with the standard library only (``json``,
``csv``): how many videos and events the release holds, which findings the rules
must give for the defects the real SSv2 contact/release release is known to have
(VA206, VA303, VA502, and VA401/VA402 against a manifest), and so the exit code.
Any other finding means the input is not what the benchmark was written for: the
benchmark then fails too, saying what differed.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROFILE = "ssv2-contact-release"
FILES = {"events": "video_events_labels.json", "templates": "template_to_video_ids_map.json",
         "train": "train_videos_ids_labeled.json",
         "validation": "validation_videos_ids_labeled.json",
         "test": "test_videos_ids_labeled.json"}
FIELDS = ("frameNumber", "pointX", "pointY")
ERRORS = {"VA303", "VA401", "VA402", "VA107"}
"""The codes this module predicts that are errors (and so make the exit code 1)."""


class NotDone(Exception):
    """A timed run did not do the work it was timed for (or the input is not usable)."""


@dataclass(frozen=True)
class Expected:
    """The outcome a run must have."""

    exit_code: int
    videos: int
    events: int
    findings: Counter[str] = field(default_factory=Counter)
    profile: str = PROFILE
    rules: frozenset[str] = frozenset()
    """Rules that must have run (VA401, VA402: the frame manifest was read)."""

    def describe(self) -> str:
        codes = ", ".join(f"{code} {n:,}" for code, n in sorted(self.findings.items()))
        return (f"{self.videos:,} videos, {self.events:,} events, "
                f"{'findings ' + codes if codes else 'no findings'}, "
                f"exit {self.exit_code} as expected")


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise NotDone(f"input {path} cannot be read as JSON: {error}") from None


def release(metadata: Path, manifest: Path | None = None,
            structure_only: bool = False) -> Expected:
    """The outcome of ``vidaudit check`` on ``metadata`` (with a frame manifest giving
    frame counts), or of ``vidaudit schema`` on its five files (``structure_only``)."""
    data = {role: _load(metadata / name) for role, name in FILES.items()}
    events = data["events"]
    if not isinstance(events, dict) or not all(isinstance(v, list) for v in events.values()):
        raise NotDone(f"{metadata / FILES['events']} is not an object of event lists")
    n_events = sum(len(v) for v in events.values())
    if structure_only:
        return Expected(0, len(events), n_events)
    found: Counter[str] = Counter()
    in_split = {str(i) for split in ("train", "validation", "test") for i in data[split]}
    found["VA303"] = sum(1 for video, evs in events.items() if evs and video not in in_split)
    for evs in events.values():
        for index, event in enumerate(evs):
            values = [event.get(name) for name in FIELDS]
            found["VA206"] += any(isinstance(v, float) and v.is_integer() for v in values)
            opposite = "release" if event.get("action") == "contact" else "contact"
            found["VA502"] += any(
                earlier.get("action") == opposite and earlier.get("agent") == event.get("agent")
                and earlier.get("frameNumber") == event.get("frameNumber")
                for earlier in evs[:index])
    if manifest is not None:
        counts = frame_counts(manifest)
        for video, evs in events.items():
            if video not in counts:
                found["VA401"] += 1
                continue
            found["VA402"] += sum(1 for e in evs if e.get("frameNumber", 0) >= counts[video])
    found = +found  # drop the zeros
    return Expected(1 if ERRORS & set(found) else 0, len(events), n_events, found,
                    rules=frozenset({"VA401", "VA402"} if manifest is not None else ()))


def frame_counts(manifest: Path) -> dict[str, int]:
    """video id -> frame count of a CSV frame manifest, read with the csv module."""
    with manifest.open(newline="", encoding="utf-8") as handle:
        return {row["video_id"]: int(row["frame_count"]) for row in csv.DictReader(handle)}


def verify(code: int, report_text: str | None, expected: Expected) -> str:
    """Compare a run's exit code and JSON report with ``expected``; the account of what
    it did, or :class:`NotDone` saying what differed."""
    problems = []
    if code != expected.exit_code:
        problems.append(f"exit {code}, expected {expected.exit_code}")
    try:
        report = json.loads(report_text or "")
    except ValueError:
        raise NotDone("; ".join([*problems, "no JSON report was written"])) from None
    summary = report.get("summary", {})
    got = Counter(f["code"] for f in report.get("findings", []))
    for what, value, wanted in (("videos", summary.get("videos"), expected.videos),
                                ("events", summary.get("events"), expected.events),
                                ("profile", report.get("profile"), expected.profile)):
        if value != wanted:
            problems.append(f"{what} {value!r}, expected {wanted!r}")
    not_run = sorted(expected.rules - set(report.get("rules_run", [])))
    if not_run:
        problems.append(f"rules {', '.join(not_run)} did not run")
    if got != expected.findings:
        diff = {c: (got[c], expected.findings[c]) for c in sorted(set(got) | set(expected.findings))
                if got[c] != expected.findings[c]}
        problems.append("findings differ (code: got, expected) "
                        + ", ".join(f"{c}: {g:,}, {w:,}" for c, (g, w) in diff.items()))
    if problems:
        raise NotDone("; ".join(problems))
    return expected.describe()


def manifest_rows(path: Path, videos: int, frames: int, width: int, height: int) -> str:
    """Check a manifest written by ``vidaudit manifest`` with the csv module: one row per
    video, each with the generated frame count and size."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise NotDone(f"no manifest was written ({error})") from None
    wrong = [r["video_id"] for r in rows
             if (r.get("frame_count"), r.get("width"), r.get("height"))
             != (str(frames), str(width), str(height))]
    if len(rows) != videos or wrong:
        raise NotDone(f"the manifest has {len(rows):,} rows (expected {videos:,}); "
                      f"{len(wrong):,} not {frames} frames of {width}x{height}: {wrong[:5]}")
    return f"{videos:,} rows of {frames} frames {width}x{height}"
