"""Benchmark `vidaudit manifest --frames` (DESIGN section 2, issue #3).

2,000 generated frame folders of 48 frames each (427x240 JPEGs), warm file cache.
Prints medians of several runs:

- throughput of `vidaudit manifest --frames DIR -o FILE` (cold: no previous manifest),
  as a separate process, start-up included (what a user waits for);
- the same against a straightforward reference (a script that reads each folder with
  os.listdir and decodes its first frame with cv2.imread), measured side by side;
- an unchanged re-run (the previous manifest's rows reused) against the cold run.

The frames are generated once into a cache folder (default: $TMPDIR/vidaudit-bench-frames)
and reused. Usage: python benchmarks/bench_manifest.py [--videos N] [--runs N] [--cache DIR]

Every run is checked: the command (or, in one process, ``main()``) must return 0 and
the manifest it wrote, read back with the csv module, must have one row per folder,
each of 48 frames of 427x240; the reference's output likewise. A run that did not do
that work makes the benchmark exit 1, saying why.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from _common import run_guarded
from _expect import NotDone, manifest_rows

FRAMES = 48
WIDTH, HEIGHT = 427, 240

REFERENCE = r"""
import csv, os, sys
import cv2
root, out = sys.argv[1], sys.argv[2]
rows = []
for video_id in sorted(os.listdir(root)):
    folder = os.path.join(root, video_id)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".jpg"))
    image = cv2.imread(os.path.join(folder, names[0]))
    rows.append((video_id, len(names), image.shape[1], image.shape[0]))
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["video_id", "frame_count", "width", "height"])
    writer.writerows(rows)
"""


def _make(args: tuple[Path, list[str]]) -> None:
    from vidaudit.synth.media import write_frames_directly
    from vidaudit.synth.metadata import VideoInfo

    root, video_ids = args
    for video_id in video_ids:
        info = VideoInfo(video_id, FRAMES, WIDTH, HEIGHT, "", "train")
        write_frames_directly(info, root / video_id)


def ensure_frames(cache: Path, videos: int) -> Path:
    root = cache / f"frames-{videos}x{FRAMES}-{WIDTH}x{HEIGHT}"
    done = cache / f"{root.name}.complete"
    if done.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    ids = [str(100_000 + 7 * i) for i in range(videos)]
    todo = [v for v in ids if len(list((root / v).glob("*.jpg"))) != FRAMES] \
        if any(root.iterdir()) else ids
    print(f"generating {len(todo):,} frame folders under {root} (once) ...", file=sys.stderr)
    batches = [(root, todo[i:i + 50]) for i in range(0, len(todo), 50)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_make, batches))
    done.write_text("")
    return root


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a command run as a separate process, which must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise NotDone(f"{' '.join(command[:4])} ... exited {done.returncode}: "
                      f"{done.stderr.decode(errors='replace').strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reference_in_process(root: Path) -> None:
    """The straightforward way: os.listdir each folder, cv2.imread its first frame."""
    import cv2

    for video_id in sorted(os.listdir(root)):
        folder = os.path.join(root, video_id)
        names = sorted(n for n in os.listdir(folder) if n.endswith(".jpg"))
        image = cv2.imread(os.path.join(folder, names[0]))
        if image is None or len(names) != FRAMES:
            raise NotDone(f"reference: {folder} does not hold {FRAMES} readable frames")


def clock(function: Any, *args: Any) -> tuple[float, float]:
    """(wall, CPU) seconds of a call in this process (its messages to stderr dropped);
    a call that returns something other than 0 or None did not do its work."""
    cpu = time.process_time()
    started = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        returned = function(*args)
    if returned not in (0, None):
        raise NotDone(f"{getattr(function, '__name__', function)}{args!r} returned {returned!r}")
    return time.perf_counter() - started, time.process_time() - cpu


def line(label: str, runs: list[tuple[float, float]], n: int) -> str:
    walls = [wall for wall, _ in runs]
    median = statistics.median(walls)
    cpu = statistics.median(c for _, c in runs)
    return (f"  {label:<30} {median:7.3f} s {n / median:8,.0f} videos/s   "
            f"[{min(walls):.3f} .. {max(walls):.3f}]   CPU {cpu:.3f} s "
            f"({n / cpu:,.0f} videos/CPU-s)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(),
                                                        "vidaudit-bench-frames"))
    args = parser.parse_args()
    root = ensure_frames(Path(args.cache), args.videos)
    n = args.videos
    python = sys.executable
    from vidaudit.cli import main as vidaudit

    results: dict[str, dict[str, list[tuple[float, float]]]] = {"process": {},
                                                                "in-process": {}}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "frame_manifest.csv"
        ours = ["manifest", "--frames", str(root), "-o", str(out)]
        ref_out = Path(scratch) / "ref.csv"
        reference = [python, "-c", REFERENCE, str(root), str(ref_out)]

        def written(path: Path) -> str:
            did = manifest_rows(path, n, FRAMES, WIDTH, HEIGHT)
            path.unlink()
            return did

        # Warm the file cache and every code path once.
        timed(reference)
        written(ref_out)
        timed([python, "-m", "vidaudit", *ours])
        did = written(out)
        reference_in_process(root)
        for _ in range(args.runs):  # interleaved, so that machine noise hits all alike
            for mode, run_ours, run_ref in (
                    ("process", lambda: timed([python, "-m", "vidaudit", *ours]),
                     lambda: timed(reference)),
                    ("in-process", lambda: clock(vidaudit, ours),
                     lambda: clock(reference_in_process, root))):
                figures = results[mode]
                figures.setdefault("cold", []).append(run_ours())
                manifest_rows(out, n, FRAMES, WIDTH, HEIGHT)  # kept: the re-run reuses it
                figures.setdefault("rerun", []).append(run_ours())
                did = written(out)
                figures.setdefault("reference", []).append(run_ref())
                if mode == "process":
                    written(ref_out)
    print(f"{n:,} frame folders x {FRAMES} frames of {WIDTH}x{HEIGHT}, warm file cache, "
          f"{os.cpu_count()} CPUs, medians of {args.runs} interleaved runs [min .. max]; "
          f"every run exited 0 and wrote {did}")
    for mode, title in (("process", "as commands (process start and imports included)"),
                        ("in-process", "in one process (the work only: no interpreter "
                                       "start, imports done)")):
        figures = results[mode]
        cold, rerun, ref = (statistics.median(w for w, _ in figures[k])
                            for k in ("cold", "rerun", "reference"))
        cpu_cold, cpu_rerun, cpu_ref = (statistics.median(c for _, c in figures[k])
                                        for k in ("cold", "rerun", "reference"))
        print(title)
        print(line("vidaudit manifest, cold", figures["cold"], n))
        print(line("reference (listdir + imread)", figures["reference"], n))
        print(line("vidaudit manifest, re-run", figures["rerun"], n))
        print(f"  cold vs reference: {ref / cold:.1f}x faster (target >= 3x); "
              f"re-run vs cold: {cold / rerun:.1f}x faster (target >= 10x); "
              f"cold throughput {n / cold:,.0f} videos/s (target >= 2,000)")
        print(f"  in CPU time: {cpu_ref / cpu_cold:.1f}x faster than the reference; re-run "
              f"{cpu_cold / cpu_rerun:.1f}x faster than cold")
    return 0


if __name__ == "__main__":
    sys.exit(run_guarded(main))
