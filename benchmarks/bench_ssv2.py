"""`vidaudit check` on a full-size SSv2 annotation folder, beside check-jsonschema.

The folder (made in a temporary directory, never committed) holds SSv2's real labels,
validation, test and test answers from ../shared/data/ssv2/annotations, and a
train list generated from the real rawframes list (168,913 rows, ~26 MB; see
vidaudit.synth.ssv2.full_train): 220,847 videos. Both tools run as whole processes,
interleaved, --runs times each:

- `vidaudit check FOLDER --format json` (every rule of the ssv2 profile), and
- `check-jsonschema --schemafile ROWS train.json validation.json`, a plain row schema.

Each vidaudit run is verified: exit code 0, the report's profile is ssv2, every video
counted, no error finding; check-jsonschema must exit 0. Targets: vidaudit's median
wall time at most 0.25x check-jsonschema's; peak RSS of the vidaudit process at most
1 GB. Exits 1 when a run did not do its work or a target is missed (--small: only
the verification; the targets are for the full size).

    python benchmarks/bench_ssv2.py [--runs 3] [--small]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import REPO, Run, load, report_problem, run_measured, tool

from vidaudit.synth.ssv2 import NAMES, dumps_answers, dumps_rows, full_train

SSV2 = REPO.parent / "shared" / "data" / "ssv2"
ANNOTATIONS = SSV2 / "annotations"
TRAIN_LIST = SSV2 / "rawframe-lists" / "train.txt"
RATIO = 0.25
MAX_RSS_MB = 1024
PLAIN_ROW_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "label", "template", "placeholders"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "label": {"type": "string"},
                       "template": {"type": "string"},
                       "placeholders": {"type": "array", "items": {"type": "string"}}},
    },
}


def make_folder(folder: Path, small: bool) -> int:
    """The SSv2 folder; returns the number of distinct videos it lists."""
    folder.mkdir()
    shutil.copyfile(ANNOTATIONS / NAMES["labels"], folder / NAMES["labels"])
    train = folder / NAMES["train"]
    if not small:
        for role in ("validation", "test", "answers"):
            shutil.copyfile(ANNOTATIONS / NAMES[role], folder / NAMES[role])
        full_train(TRAIN_LIST, ANNOTATIONS / NAMES["labels"],
                   ANNOTATIONS / NAMES["validation"], train)
    else:
        short = folder / "train.txt"
        short.write_text("".join(TRAIN_LIST.read_text().splitlines(keepends=True)[:3000]))
        full_train(short, ANNOTATIONS / NAMES["labels"], ANNOTATIONS / NAMES["validation"],
                   train)
        short.unlink()
        validation = json.loads((ANNOTATIONS / NAMES["validation"]).read_text())[:500]
        test = json.loads((ANNOTATIONS / NAMES["test"]).read_text())[:500]
        wanted = {row["id"] for row in test}
        answers = [tuple(line.split(";", 1)) for line in
                   (ANNOTATIONS / NAMES["answers"]).read_text().splitlines()]
        (folder / NAMES["validation"]).write_text(dumps_rows(validation))
        (folder / NAMES["test"]).write_text(dumps_rows(test))
        (folder / NAMES["answers"]).write_text(dumps_answers(
            [(v, c) for v, c in answers if v in wanted]))
    return len({row["id"] for split in ("train", "validation", "test")
                for row in json.loads((folder / NAMES[split]).read_text())})


def verify(report_path: Path, videos: int) -> str | None:
    """Why the run did not do its work, or None (warnings are allowed)."""
    return report_problem(report_path, "ssv2", {"videos": videos}, worst="error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true",
                        help="a few thousand rows: checks the benchmark itself, in seconds")
    args = parser.parse_args()
    if not ANNOTATIONS.is_dir() or not TRAIN_LIST.is_file():
        print(f"{ANNOTATIONS} or {TRAIN_LIST} is absent", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="vidaudit-ssv2-") as temporary:
        root = Path(temporary)
        folder = root / "ssv2"
        videos = make_folder(folder, args.small)
        if not args.small and videos != 220_847:
            print(f"the full-size folder lists {videos:,} videos, not 220,847",
                  file=sys.stderr)
            return 1
        schema = root / "rows.schema.json"
        schema.write_text(json.dumps(PLAIN_ROW_SCHEMA))
        report = root / "report.json"
        vidaudit = [sys.executable, "-m", "vidaudit", "check", str(folder), "--format",
                    "json", "--output", str(report)]
        baseline = [tool("check-jsonschema"), "--schemafile", str(schema),
                    str(folder / NAMES["train"]), str(folder / NAMES["validation"])]
        ours: list[Run] = []
        theirs: list[Run] = []
        for _ in range(args.runs):
            report.unlink(missing_ok=True)
            ours.append(run_measured(vidaudit))
            why = verify(report, videos) if ours[-1].code == 0 else \
                f"exit code {ours[-1].code}"
            if why:
                print(f"vidaudit check did not do its work: {why}", file=sys.stderr)
                return 1
            theirs.append(run_measured(baseline))
            if theirs[-1].code != 0:
                print(f"check-jsonschema exited {theirs[-1].code}", file=sys.stderr)
                return 1
        size = sum(p.stat().st_size for p in folder.iterdir())
    wall, their_wall = (statistics.median(r.wall for r in runs) for runs in (ours, theirs))
    cpu, their_cpu = (statistics.median(r.cpu for r in runs) for runs in (ours, theirs))
    rss = max(r.rss_mb for r in ours)
    print(f"SSv2 folder: {videos:,} videos, {size / 1e6:.1f} MB in 5 files; {load()}")
    print(f"  vidaudit check (all rules)       median {wall:6.2f} s wall, {cpu:5.2f} s CPU, "
          f"peak RSS {rss:,} MB")
    print(f"  check-jsonschema (train + val)   median {their_wall:6.2f} s wall, "
          f"{their_cpu:5.2f} s CPU, peak RSS {max(r.rss_mb for r in theirs):,} MB")
    print(f"  ratio: {wall / their_wall:.2f}x wall, {cpu / their_cpu:.2f}x CPU "
          f"(target <= {RATIO}x); RSS target <= {MAX_RSS_MB:,} MB")
    if args.small:
        return 0
    missed = []
    if wall > RATIO * their_wall:
        missed.append(f"wall time {wall / their_wall:.2f}x check-jsonschema's, over {RATIO}x")
    if rss > MAX_RSS_MB:
        missed.append(f"peak RSS {rss:,} MB, over {MAX_RSS_MB:,} MB")
    for reason in missed:
        print(f"target missed: {reason}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
