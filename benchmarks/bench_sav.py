"""`vidaudit check` on 100 SA-V train videos (manual + auto), beside the least any
checker must do: a plain Python loop that json-loads every file and takes the
pycocotools area of every RLE (one ``area`` call per annotated frame).

The folder (made in a temporary directory, never committed) holds 100 copies of the real
pair in ../shared/data/sav (each with its own video id; 483 frames, 5 + 9 masklets), or,
without the real data, of a generated pair of the same shape. Both run as whole
processes, interleaved, --runs times each. Each vidaudit run is verified (exit code 0,
profile sav, every video and file counted, no finding); each baseline run must print
the number of files and RLEs the folder holds. Target: vidaudit's median wall time at
most 1.5x the baseline's. Exits 1 when a run did not do its work or the target is
missed (--small: 6 small videos, only the verification).

    python benchmarks/bench_sav.py [--runs 3] [--small]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from _common import REPO, Run, load, report_problem, run_measured

REAL = REPO.parent / "shared" / "data" / "sav"
RATIO = 1.5
BASELINE = """
import json, os, sys
from pycocotools import mask
folder = sys.argv[1]
files = rles = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith(".json"):
        continue
    with open(os.path.join(folder, name), "rb") as handle:
        data = json.load(handle)
    files += 1
    for frame in data["masklet"]:
        if frame:
            mask.area(frame)
            rles += len(frame)
print(files, rles)
"""


def pair() -> tuple[dict[str, object], dict[str, object]]:
    """The manual and auto files to copy: the real ones, else generated ones."""
    if (REAL / "sav_000001_manual.json").is_file():
        return (json.loads((REAL / "sav_000001_manual.json").read_text()),
                json.loads((REAL / "sav_000001_auto.json").read_text()))
    from vidaudit.synth import sav

    video = sav.train_video(1, "sav_000001", frame_count=483, manual_objects=5,
                            auto_objects=9)
    assert video.manual is not None and video.auto is not None
    return video.manual, video.auto


def make_folder(folder: Path, small: bool) -> tuple[int, int, str]:
    """The folder; returns (videos, RLEs, where the pair came from)."""
    folder.mkdir()
    if small:
        from vidaudit.synth import sav

        videos = 6
        made = sav.train_video(1, "sav_000001")
        assert made.manual is not None and made.auto is not None
        manual, auto, source = made.manual, made.auto, "generated (small)"
    else:
        videos = 100
        manual, auto = pair()
        source = "the real pair" if (REAL / "sav_000001_manual.json").is_file() \
            else "a generated pair"
    rles = 0
    for n in range(videos):
        video_id = f"sav_{n + 1:06d}"
        for kind, data in (("manual", manual), ("auto", auto)):
            copy = {**data, "video_id": video_id}
            (folder / f"{video_id}_{kind}.json").write_text(json.dumps(copy))
            rles += sum(len(frame) for frame in data["masklet"])
    return videos, rles, source


def verify(report_path: Path, videos: int) -> str | None:
    """Why the vidaudit run did not do its work, or None (both files of every video)."""
    return report_problem(report_path, "sav", {"videos": videos}, inputs=2 * videos)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true",
                        help="6 small videos: checks the benchmark itself, in seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidaudit-sav-") as temporary:
        root = Path(temporary)
        folder = root / "sav"
        videos, rles, source = make_folder(folder, args.small)
        report = root / "report.json"
        vidaudit = [sys.executable, "-m", "vidaudit", "check", str(folder), "--format",
                    "json", "--output", str(report)]
        baseline = [sys.executable, "-c", BASELINE, str(folder)]
        ours: list[Run] = []
        theirs: list[Run] = []
        for _ in range(args.runs):
            report.unlink(missing_ok=True)
            ours.append(run_measured(vidaudit, exit_codes=None))
            why = verify(report, videos) if ours[-1].code == 0 else \
                f"exit code {ours[-1].code}"
            if why:
                print(f"vidaudit check did not do its work: {why}", file=sys.stderr)
                return 1
            theirs.append(run_measured(baseline, exit_codes=None))
            expected = f"{2 * videos} {rles}"
            if theirs[-1].code != 0 or theirs[-1].stdout.strip() != expected:
                print(f"the baseline did not do its work: exit {theirs[-1].code}, printed "
                      f"{theirs[-1].stdout.strip()!r}, expected {expected!r}",
                      file=sys.stderr)
                return 1
        size = sum(p.stat().st_size for p in folder.iterdir())
    wall, their_wall = (statistics.median(r.wall for r in runs) for runs in (ours, theirs))
    cpu, their_cpu = (statistics.median(r.cpu for r in runs) for runs in (ours, theirs))
    print(f"SA-V train folder: {videos} videos ({source}), {2 * videos} files, {rles:,} RLEs, "
          f"{size / 1e6:.1f} MB; {load()}")
    print(f"  every run verified: vidaudit exit 0, {videos} videos and {2 * videos} files in "
          f"its report, no finding; the loop read {2 * videos} files and {rles:,} RLEs")
    print(f"  vidaudit check (all rules)          median {wall:6.2f} s wall, {cpu:5.2f} s CPU")
    print(f"  json.load + pycocotools area loop   median {their_wall:6.2f} s wall, "
          f"{their_cpu:5.2f} s CPU")
    print(f"  ratio: {wall / their_wall:.2f}x wall, {cpu / their_cpu:.2f}x CPU "
          f"(target: wall <= {RATIO}x)")
    if args.small:
        return 0
    if wall > RATIO * their_wall:
        print(f"target missed: wall time {wall / their_wall:.2f}x the baseline's, over "
              f"{RATIO}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
