"""`vidaudit check` of the real metadata with SSv2's three rawframes lists as manifests,
beside the same check without them (issue 14, part 1).

Both commands run as whole processes, interleaved (the machine drifts), and every run
is verified: exit code 1 (the real metadata has 39 VA303 errors), the JSON report counts
10,130 videos and 24,222 events, and its findings by code are those expected for that
input (with the lists: VA401 for the annotated videos no list names, VA402 for events
past their list's frame count, counted here from the lists themselves). Target: with
the lists <= 1.15x without, as the median of the ratios of back-to-back pairs (the
machine drifts between rounds); the ratios of the medians, of the minima and of CPU
time are printed too.

    python benchmarks/bench_lists.py [--runs 7] [--small]

``--small`` uses the first 2,000 lines of each list and 1 run: a few seconds, to see
that the script works.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from _common import REAL_METADATA, REPO, load, tool

LISTS = REPO.parent / "shared" / "data" / "ssv2" / "rawframe-lists"
NAMES = ("train.txt", "validation.txt", "test.txt")
TARGET = 1.15


def expected_frame_findings(lists: list[Path], events: dict[str, list]) -> Counter[str]:
    """VA401/VA402 counts computed from the files, independently of vidaudit."""
    counts: dict[str, int] = {}
    for path in lists:
        for line in path.read_text().splitlines():
            video_id, frames, *_ = line.split()
            counts.setdefault(video_id, int(frames))
    found: Counter[str] = Counter()
    for video_id, listed in events.items():
        if not listed:
            continue
        if video_id not in counts:
            found["VA401"] += 1
            continue
        found["VA402"] += sum(1 for e in listed if e["frameNumber"] >= counts[video_id])
    return found


def run(command: list[str | Path]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system, s) and exit code of one run."""
    import os
    import subprocess
    import time

    started = time.perf_counter()
    process = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def verify(report_path: Path, code: int, expected: Counter[str], what: str) -> str:
    """What the run did, or SystemExit saying why it did not do the work."""
    if code != 1:
        raise SystemExit(f"{what}: exit code {code}, expected 1 (findings at error level)")
    report = json.loads(report_path.read_text())
    summary = report["summary"]
    if (summary["videos"], summary["events"]) != (10130, 24222):
        raise SystemExit(f"{what}: counted {summary['videos']} videos and "
                         f"{summary['events']} events, expected 10130 and 24222")
    by_code = Counter(f["code"] for f in report["findings"])
    frame_codes = Counter({c: n for c, n in by_code.items() if c.startswith("VA4")})
    if frame_codes != expected or by_code["VA303"] != 39:
        raise SystemExit(f"{what}: findings {dict(by_code)}, expected VA303=39 and "
                         f"{dict(expected) or 'no VA4xx'}")
    shown = ", ".join(f"{c} {n}" for c, n in sorted(by_code.items()))
    return f"{summary['videos']} videos, {summary['events']} events; {shown}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", action="store_true",
                        help="the first 2,000 lines of each list, 1 run")
    parser.add_argument("--metadata", type=Path, default=REAL_METADATA)
    args = parser.parse_args()
    if not (args.metadata / "video_events_labels.json").exists() or not LISTS.is_dir():
        print(f"no metadata at {args.metadata} or no lists at {LISTS}", file=sys.stderr)
        return 2
    runs = 1 if args.small else args.runs
    print(load())
    events = json.loads((args.metadata / "video_events_labels.json").read_text())
    with tempfile.TemporaryDirectory() as scratch:
        lists = [LISTS / name for name in NAMES]
        if args.small:
            cut = []
            for path in lists:
                copy = Path(scratch) / path.name
                copy.write_text("".join(path.read_text().splitlines(True)[:2000]))
                cut.append(copy)
            lists = cut
        lines = sum(len(p.read_bytes().splitlines()) for p in lists)
        report = Path(scratch) / "report.json"
        base = [tool("vidaudit"), "check", args.metadata, "--format", "json", "--output",
                report]
        commands = {
            "without lists (--no-manifest)": ([*base, "--no-manifest"], Counter()),
            f"with the 3 lists ({lines:,} lines)": (
                [*base, *(a for p in lists for a in ("--manifest", p))],
                expected_frame_findings(lists, events)),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        did: dict[str, str] = {}
        for _ in range(runs):
            for name, (command, expected) in commands.items():
                report.unlink(missing_ok=True)
                elapsed, used, code = run(command)
                did[name] = verify(report, code, expected, name)
                times[name].append(elapsed)
                cpu[name].append(used)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"vidaudit check --format json of {args.metadata}, {runs} run{'s' if runs != 1 else ''} "
          "interleaved:")
    for name, median in medians.items():
        print(f"  {name:<36} median {median:6.3f} s  min {min(times[name]):6.3f} s  "
              f"CPU {statistics.median(cpu[name]):6.3f} s   did: {did[name]}")
    without, with_lists = medians.values()
    # Each round ran the two commands back to back: the ratio within a round cancels the
    # machine's drift, so the median of those ratios is the figure held to the target.
    first, second = times.values()
    paired = statistics.median(b / a for a, b in zip(first, second, strict=True))
    cpu_without, cpu_with = (statistics.median(c) for c in cpu.values())
    print(f"  with / without: {paired:.2f} (median of the {runs} back-to-back pairs; "
          f"target <= {TARGET})")
    print(f"                  {with_lists / without:.2f} of the medians, "
          f"{min(second) / min(first):.2f} of the minima, "
          f"{cpu_with / cpu_without:.2f} of the CPU medians")
    if paired > TARGET and not args.small:
        print(f"over the target of {TARGET}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
