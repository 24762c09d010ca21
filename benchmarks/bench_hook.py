"""How long the pre-commit hooks take on the real SSv2 contact/release metadata.

Runs each hook's command exactly as .pre-commit-hooks.yaml declares it, as a whole
process (interpreter start, imports, checks, report), in a temporary folder laid out
like a dataset repository: ``metadata/`` holding copies of the five real files (a
dataset repository holds files; links to ../shared would lead out of it, and vidaudit
refuses those) and a ``frame_manifest.csv`` made on the fly from SSv2's rawframe lists
for the ids the release annotates (frame counts only; width and height left empty,
which the manifest format allows). Nothing is written next to the real data or into
the project.

    python benchmarks/bench_hook.py [--runs 7] [--metadata DIR] [--rawframes DIR]

Prints the median (and min/max) wall time of each hook over the runs, after one
warm-up run, and the median CPU time (which a busy machine inflates less); the
target for the `vidaudit` hook is a median of 1.5 s. Each run also writes a JSON
report (beside the console output the hook prints), checked against what the input
implies (benchmarks/_expect.py); a run that did not do that work makes the benchmark
exit 1, saying why.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _common import run_guarded
from _expect import Expected, NotDone, release, verify

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
METADATA = DATA / "ssv2-contact-release" / "metadata"
RAWFRAMES = DATA / "ssv2" / "rawframe-lists"
TARGET_SECONDS = 1.5
FILES = ("video_events_labels.json", "template_to_video_ids_map.json",
         "train_videos_ids_labeled.json", "validation_videos_ids_labeled.json",
         "test_videos_ids_labeled.json")


def hook_argv(hook_id: str) -> list[str]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == hook_id)
    argv = [*shlex.split(hook["entry"]), *hook.get("args", [])]
    # pre-commit runs the entry from the hook's environment; here, from this interpreter's
    executable = Path(sys.executable).parent / argv[0]
    if not executable.exists():
        found = shutil.which(argv[0])
        if found is None:
            sys.exit(f"{argv[0]} is not installed next to {sys.executable} nor on the PATH")
        executable = Path(found)
    return [str(executable), *argv[1:]]


def make_dataset(folder: Path, metadata: Path, rawframes: Path) -> int:
    """Copy the real files into folder/metadata and write a manifest; return its rows."""
    target = folder / "metadata"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(metadata / name, target / name)
    wanted = set(json.loads((metadata / FILES[0]).read_text()))
    counts: dict[str, str] = {}
    for split in ("train", "validation", "test"):
        for line in (rawframes / f"{split}.txt").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] in wanted:
                counts.setdefault(parts[0], parts[1])
    with (target / "frame_manifest.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["video_id", "frame_count", "width", "height"])
        for video_id in sorted(counts, key=int):
            writer.writerow([video_id, counts[video_id], "", ""])
    return len(counts)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_runs(argv: list[str], cwd: Path, runs: int, expected: Expected
              ) -> tuple[list[float], list[float], int, str]:
    """Wall and CPU (user + system) seconds of each run, the exit code and what the runs
    did. On a busy machine the wall time includes waiting for a core; the CPU time does
    not. Each run's JSON report is checked (NotDone when it was not what it must be)."""
    env = {**os.environ, "NO_COLOR": "1"}
    report = cwd / "report.json"
    argv = [*argv, "--format", "console", "--output", "-", "--format", "json",
            "--output", str(report)]
    subprocess.run(argv, cwd=cwd, capture_output=True, env=env)  # warm-up (disk cache, .pyc)
    times, cpu = [], []
    code, did = 0, ""
    for _ in range(runs):
        report.unlink(missing_ok=True)
        started, cpu_before = time.perf_counter(), _children_cpu()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - cpu_before)
        code = done.returncode
        text = report.read_text() if report.exists() else None
        try:
            did = verify(code, text, expected)
        except NotDone as failure:
            stderr = done.stderr.decode(errors="replace").strip()[-500:]
            raise NotDone(f"{shlex.join(argv)}: {failure}"
                          + (f" (stderr: {stderr})" if stderr else "")) from None
    return times, cpu, code, did


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--metadata", type=Path, default=METADATA)
    parser.add_argument("--rawframes", type=Path, default=RAWFRAMES)
    args = parser.parse_args()
    if not (args.metadata / FILES[0]).is_file() or not args.rawframes.is_dir():
        print(f"real data not found at {args.metadata} and {args.rawframes}", file=sys.stderr)
        return 2
    release(args.metadata, structure_only=True)  # NotDone, not a traceback, if unreadable
    with tempfile.TemporaryDirectory(prefix="vidaudit-bench-hook-") as tmp:
        folder = Path(tmp)
        rows = make_dataset(folder, args.metadata, args.rawframes)
        full = hook_argv("vidaudit")
        schema = [*hook_argv("vidaudit-schema"), *(f"metadata/{name}" for name in FILES)]
        manifest = folder / "metadata" / "frame_manifest.csv"
        expected = {"vidaudit": release(folder / "metadata", manifest),
                    "vidaudit-schema": release(folder / "metadata", structure_only=True)}
        print(f"metadata: copies of {args.metadata}; manifest: {rows:,} rows")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; seconds:")
        print(f"{'hook':<16} {'median':>7} {'min':>6} {'max':>6} {'cpu':>6}  exit  runs  command")
        over = False
        done = {}
        for name, argv in (("vidaudit", full), ("vidaudit-schema", schema)):
            times, cpu, code, done[name] = time_runs(argv, folder, args.runs, expected[name])
            median = statistics.median(times)
            shown = shlex.join([Path(argv[0]).name, *argv[1:]]) + "  (+ a JSON report)"
            print(f"{name:<16} {median:7.2f} {min(times):6.2f} {max(times):6.2f} "
                  f"{statistics.median(cpu):6.2f}  {code:>4}  {args.runs:>4}  {shown}")
            if name == "vidaudit":
                over = median > TARGET_SECONDS
        for name, did in done.items():
            print(f"{name}: every run read {did}")
        verdict = "over" if over else "within"
        print(f"`vidaudit` hook median is {verdict} the {TARGET_SECONDS} s target")
    return 0


if __name__ == "__main__":
    sys.exit(run_guarded(main))
