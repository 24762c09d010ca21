"""`vidaudit check` on the real SSv2 contact/release metadata.

Prints, for the whole process (median of --runs, interleaved):
- `vidaudit check --format json` vs `check-jsonschema` validating only
  video_events_labels.json against vidaudit's own events schema;
and inside one process: load + all checks (+ locating the findings), and the JSON
rendering. Targets (issue 2): whole process <= 1.5 s and faster than
check-jsonschema; load + checks <= 0.3 s; peak RSS <= 400 MB.

    python benchmarks/bench_check.py [--runs 7] [--metadata DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import REAL_METADATA, REPO, load, median_runs, tool


def in_process(metadata: Path, runs: int) -> None:
    import vidaudit.cli  # noqa: F401  (the same garbage-collector settings as the command)
    from vidaudit.config import Config
    from vidaudit.engine import run_check
    from vidaudit.reporters import RenderOptions, json_report

    run_check(str(metadata), Config())  # warm caches (schemas, class list)
    phases: dict[str, list[float]] = {}
    for _ in range(runs):
        result = run_check(str(metadata), Config())
        started = time.perf_counter()
        json_report.render(result, RenderOptions())
        result.timings["render json"] = time.perf_counter() - started
        for phase, seconds in result.timings.items():
            phases.setdefault(phase, []).append(seconds)
    total = phases.pop("total")
    locate = phases["locate"]
    checks = [t - loc for t, loc in zip(total, locate, strict=True)]
    print(f"in process ({len(result.findings):,} findings), medians of {runs}:")
    for phase, values in phases.items():
        print(f"  {phase:<12} {statistics.median(values):6.3f} s")
    print(f"  load + checks (read, tables, schemas, contracts): "
          f"{statistics.median(checks):.3f} s   (target <= 0.3 s)")
    print(f"  ... + locating findings:                           "
          f"{statistics.median(total):.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--metadata", type=Path, default=REAL_METADATA)
    args = parser.parse_args()
    if not (args.metadata / "video_events_labels.json").exists():
        print(f"no metadata at {args.metadata}", file=sys.stderr)
        return 2
    print(load())
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        commands = {
            "vidaudit check --format json": [tool("vidaudit"), "check", args.metadata,
                                             "--no-manifest", "--format", "json",
                                             "--output", report],
            "check-jsonschema (events file only)": [
                tool("check-jsonschema"), "--schemafile",
                REPO / "schemas" / "video_events_labels.schema.json",
                args.metadata / "video_events_labels.json"],
        }
        figures = median_runs(commands, args.runs)
    print(f"whole process, {args.runs} runs interleaved:")
    for name, (median, fastest, rss) in figures.items():
        print(f"  {name:<38} median {median:6.3f} s  min {fastest:6.3f} s  "
              f"peak RSS {rss:4d} MB")
    ours = figures["vidaudit check --format json"][0]
    theirs = figures["check-jsonschema (events file only)"][0]
    print(f"  vidaudit / check-jsonschema: {ours / theirs:.2f}   "
          "(targets: vidaudit <= 1.5 s, faster than check-jsonschema, RSS <= 400 MB)")
    in_process(args.metadata, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
