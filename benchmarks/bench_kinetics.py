"""`vidaudit check` on a synthetic Kinetics-TPS release of many small per-frame files,
beside a plain Python loop that only json-loads every file.

The release (made in a temporary directory, never committed; vidaudit.synth's
generator, both ``parts`` shapes) has --videos x --frames per-frame files (default
200 x 250 = 50,000). Both run as whole processes, interleaved, --runs times each:

- `vidaudit check ROOT --format json` (every rule of the kinetics-tps profile that
  needs no frames: one task per video in a process pool), and
- `python -c` walking the annotation folders and json-loading every file, in one
  process (what any checker must at least do).

Each run is verified: vidaudit exits 0 with profile kinetics-tps, no finding, and the
report counts every file; the loop prints how many files it loaded, which must be all
of them. Target: vidaudit's median wall time at most 1.5x the loop's. Exits 1 when a
run did not do its work or the target is missed (--small: only the verification).

    python benchmarks/bench_kinetics.py [--runs 3] [--small] [--videos N --frames M]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import Run, load, report_problem, run_measured

from vidaudit.synth.boxes_kinetics import generate, plan, write

RATIO = 1.5
LOOP = """
import json, os, sys
n = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        with open(os.path.join(folder, name), "rb") as stream:
            json.loads(stream.read())
        n += 1
print(n)
"""


def verify(report_path: Path, files: int) -> str | None:
    """Why the vidaudit run did not do its work, or None."""
    return report_problem(report_path, "kinetics-tps", {"files": files})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true",
                        help="10 videos x 20 frames: checks the benchmark itself, in seconds")
    parser.add_argument("--videos", type=int, default=200)
    parser.add_argument("--frames", type=int, default=250)
    args = parser.parse_args()
    videos, frames = (10, 20) if args.small else (args.videos, args.frames)
    with tempfile.TemporaryDirectory(prefix="vidaudit-kinetics-") as temporary:
        root = Path(temporary) / "Kinetics-TPS"
        started = time.perf_counter()
        write(generate(3, plan(3, videos, frames), frames_folder=None), root)
        annotations = root / "train_annotations"
        files = sum(len(names) for _, _, names in os.walk(annotations))
        size = sum(p.stat().st_size for p in annotations.glob("*/*/*.json"))
        made = time.perf_counter() - started
        if files != videos * frames:
            print(f"the release has {files:,} per-frame files, not {videos * frames:,}",
                  file=sys.stderr)
            return 1
        report = Path(temporary) / "report.json"
        ours_command = [sys.executable, "-m", "vidaudit", "check", str(root), "--format",
                        "json", "--output", str(report)]
        loop_command = [sys.executable, "-c", LOOP, str(annotations)]
        ours: list[Run] = []
        loops: list[Run] = []
        for _ in range(args.runs):
            report.unlink(missing_ok=True)
            ours.append(run_measured(ours_command))
            why = verify(report, files) if ours[-1].code == 0 else \
                f"exit code {ours[-1].code}"
            if why:
                print(f"vidaudit check did not do its work: {why}", file=sys.stderr)
                return 1
            loops.append(run_measured(loop_command))
            if loops[-1].code != 0 or loops[-1].stdout.strip() != str(files):
                print(f"the json.loads loop loaded {loops[-1].stdout.strip() or 'no'} files, "
                      f"not {files:,} (exit {loops[-1].code})", file=sys.stderr)
                return 1
    wall, loop_wall = (statistics.median(r.wall for r in runs) for runs in (ours, loops))
    cpu, loop_cpu = (statistics.median(r.cpu for r in runs) for runs in (ours, loops))
    print(f"Kinetics-TPS release: {videos:,} videos, {files:,} per-frame files, "
          f"{size / 1e6:.1f} MB (made in {made:.1f} s); {load()}")
    print(f"  vidaudit check (all rules)   median {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
          f"{files / wall:9,.0f} files/s")
    print(f"  json.loads loop (1 process)  median {loop_wall:6.2f} s wall, {loop_cpu:6.2f} s "
          f"CPU, {files / loop_wall:9,.0f} files/s")
    print(f"  every run verified: vidaudit exit 0, no finding, {files:,} files counted; "
          f"the loop loaded {files:,} files")
    print(f"  ratio: {wall / loop_wall:.2f}x wall, {cpu / loop_cpu:.2f}x CPU "
          f"(target <= {RATIO}x wall)")
    if args.small:
        return 0
    if wall > RATIO * loop_wall:
        print(f"target missed: wall time {wall / loop_wall:.2f}x the loop's, over {RATIO}x",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
