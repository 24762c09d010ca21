"""`vidaudit check` on the real SSv2 contact/release metadata.

Prints, for the whole process (median of --runs, interleaved):
- `vidaudit check --format json` vs `check-jsonschema` validating only
  video_events_labels.json against vidaudit's own events schema;
and inside one process: load + all checks (+ locating the findings), and the JSON
rendering. Targets (issue 2): whole process <= 1.5 s and faster than
check-jsonschema; load + checks <= 0.3 s; peak RSS <= 400 MB. Issue 14: the whole
process at most 0.6x check-jsonschema's (printed with its verdict).

Every run is checked against what the input implies (benchmarks/_expect.py: videos,
events, profile, findings by code, exit code); a run that did not do that work makes
the benchmark exit 1, saying why.

    python benchmarks/bench_check.py [--runs 7] [--metadata DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import REAL_METADATA, REPO, Timed, load, median_runs, run_guarded, tool
from _expect import Expected, NotDone, release, verify

TARGET_RATIO = 0.6


def in_process(metadata: Path, runs: int, expected: Expected) -> None:
    import vidaudit.cli  # noqa: F401  (the same garbage-collector settings as the command)
    from vidaudit.config import Config
    from vidaudit.engine import run_check
    from vidaudit.reporters import RenderOptions, json_report

    run_check(str(metadata), Config())  # warm caches (schemas, class list)
    phases: dict[str, list[float]] = {}
    for _ in range(runs):
        result = run_check(str(metadata), Config())
        started = time.perf_counter()
        rendered = json_report.render(result, RenderOptions())
        result.timings["render json"] = time.perf_counter() - started
        errors = json.loads(rendered)["summary"]["error"]
        did = verify(1 if errors else 0, rendered, expected)
        for phase, seconds in result.timings.items():
            phases.setdefault(phase, []).append(seconds)
    total = phases.pop("total")
    locate = phases["locate"]
    checks = [t - loc for t, loc in zip(total, locate, strict=True)]
    print(f"in process ({did}), medians of {runs}:")
    for phase, values in phases.items():
        print(f"  {phase:<12} {statistics.median(values):6.3f} s")
    print(f"  load + checks (read, tables, schemas, contracts): "
          f"{statistics.median(checks):.3f} s   (target <= 0.3 s)")
    print(f"  ... + locating findings:                           "
          f"{statistics.median(total):.3f} s")


def checked_report(report: Path, expected: Expected) -> Callable[[int], str]:
    """Check a run by the JSON report it wrote to ``report`` (removed for the next run)."""
    def check(code: int) -> str:
        text = report.read_text() if report.exists() else None
        report.unlink(missing_ok=True)
        return verify(code, text, expected)
    return check


def exit_zero(code: int) -> str:
    if code != 0:
        raise NotDone(f"exit {code}, expected 0 (the events file is valid against the schema)")
    return "exit 0 as expected"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--metadata", type=Path, default=REAL_METADATA)
    args = parser.parse_args()
    if not (args.metadata / "video_events_labels.json").exists():
        print(f"no metadata at {args.metadata}", file=sys.stderr)
        return 2
    expected = release(args.metadata)
    print(load())
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        commands = {
            "vidaudit check --format json": Timed(
                [tool("vidaudit"), "check", args.metadata, "--no-manifest", "--format", "json",
                 "--output", report], checked_report(report, expected)),
            "check-jsonschema (events file only)": Timed([
                tool("check-jsonschema"), "--schemafile",
                REPO / "schemas" / "video_events_labels.schema.json",
                args.metadata / "video_events_labels.json"], exit_zero),
        }
        figures = median_runs(commands, args.runs)
    print(f"whole process, {args.runs} runs interleaved:")
    for name, run in figures.items():
        print(f"  {name:<38} median {run.median:6.3f} s  min {run.fastest:6.3f} s  "
              f"peak RSS {run.rss:4d} MB  ({run.did})")
    ours = figures["vidaudit check --format json"].median
    theirs = figures["check-jsonschema (events file only)"].median
    ratio = ours / theirs
    print(f"  vidaudit / check-jsonschema: {ratio:.2f}   "
          "(targets: vidaudit <= 1.5 s, faster than check-jsonschema, RSS <= 400 MB; "
          f"issue 14: <= {TARGET_RATIO}x: {'within' if ratio <= TARGET_RATIO else 'OVER'} "
          "target)")
    in_process(args.metadata, args.runs, expected)
    return 0


if __name__ == "__main__":
    sys.exit(run_guarded(main))
