"""Every benchmark, once, on a tiny input (``--runs 1``): it must do its work and say so,
and a broken input must make it exit non-zero, saying why.

The tiny input is the bundled sample (``metadata/``) with two known defects added (a
video left out of every split: VA303; an integer written as ``5.0``: VA206), so the
benchmarks' expectations (benchmarks/_expect.py) are exercised with findings, not
only on a clean release.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, SHARED_DATA

BENCH = REPO / "benchmarks"
EVENTS = "video_events_labels.json"
pytestmark = pytest.mark.slow


def run_bench(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH / script), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The sample release with one video in no split (VA303) and one float (VA206)."""
    metadata = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", metadata)
    train = json.loads((metadata / "train_videos_ids_labeled.json").read_text())
    (metadata / "train_videos_ids_labeled.json").write_text(json.dumps(train[1:]))
    events = json.loads((metadata / EVENTS).read_text())
    first = next(iter(events))
    events[first][0]["pointX"] = float(events[first][0]["pointX"])
    (metadata / EVENTS).write_text(json.dumps(events))
    return metadata


@pytest.fixture
def rawframes(tiny: Path, tmp_path: Path) -> Path:
    """SSv2-style rawframe lists (``id count label``) for the tiny release's videos."""
    folder = tmp_path / "rawframes"
    folder.mkdir()
    with (tiny / "frame_manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for index, split in enumerate(("train", "validation", "test")):
        (folder / f"{split}.txt").write_text("".join(
            f"{row['video_id']} {row['frame_count']} 0\n" for row in rows[index::3]))
    return folder


def invocations(tiny: Path, rawframes: Path, cache: Path) -> dict[str, list[str | Path]]:
    return {
        "bench_check.py": ["--runs", "1", "--metadata", tiny],
        "bench_hook.py": ["--runs", "1", "--metadata", tiny, "--rawframes", rawframes],
        "bench_html.py": [tiny, "--runs", "1"],
        "bench_big_file.py": ["--mb", "2", "--runs", "1"],
        "bench_manifest.py": ["--videos", "6", "--runs", "1", "--cache", cache],
        "bench_ssv2.py": ["--runs", "1", "--small"],  # a few thousand real SSv2 rows
        "bench_sav.py": ["--runs", "1", "--small"],  # 6 generated SA-V videos
        "bench_kinetics.py": ["--runs", "1", "--small"],  # 200 generated per-frame files
        "bench_lists.py": ["--runs", "1", "--small"],  # real metadata, 6,000 list lines
        "bench_cluster.py": ["--runs", "1", "--small"],  # a LocalCluster on loopback
        "bench_full_size.py": ["--runs", "1", "--small"],  # 3,000 SSv2 ids, real lists
    }


SCRIPTS = sorted(p.name for p in BENCH.glob("bench_*.py"))
NEEDS_SHARED_DATA = {"bench_ssv2.py", "bench_lists.py", "bench_full_size.py"}


def test_every_benchmark_is_run_here() -> None:
    assert SCRIPTS
    assert set(SCRIPTS) <= set(invocations(Path(), Path(), Path())) == set(SAYS)


EXPECTED = "120 videos, 307 events, findings VA206 1, VA303 1, exit 1 as expected"
SAYS = {
    "bench_check.py": [EXPECTED, "exit 0 as expected"],
    "bench_hook.py": ["every run read 120 videos, 307 events, findings VA206 1, VA303 1, "
                      "exit 1 as expected", "every run read 120 videos, 307 events, no "
                      "findings, exit 0 as expected"],
    "bench_html.py": [f"every run read {EXPECTED}"],
    "bench_big_file.py": ["no findings, exit 0 as expected",
                          "0 videos, 0 events, findings VA107 1, exit 1 as expected"],
    "bench_manifest.py": ["every run exited 0 and wrote 6 rows of 48 frames 427x240"],
    "bench_ssv2.py": ["SSv2 folder: ", " videos, "],
    "bench_sav.py": ["every run verified: vidaudit exit 0, 6 videos and 12 files"],
    "bench_kinetics.py": ["every run verified: vidaudit exit 0, no finding, 200 files "
                          "counted; the loop loaded 200 files"],
    "bench_lists.py": ["did: 10130 videos, 24222 events; VA206 15087, VA303 39, VA502 6",
                       "with / without: "],
    "bench_cluster.py": ["each run wrote 100 rows, the cluster's manifest byte-identical to "
                         "the local one", "overhead of --scheduler: "],
    "bench_full_size.py": ["built ", "3,000 videos, 7,244 events, findings VA206 4,489, "
                           "exit 0 as expected", "vidaudit / check-jsonschema: ",
                           "(4,489 entries)", "(4,489 suppressed)"],
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_does_its_work_and_says_so(script: str, tiny: Path, rawframes: Path,
                                              tmp_path: Path) -> None:
    if script in NEEDS_SHARED_DATA and not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    done = run_bench(script, *invocations(tiny, rawframes, tmp_path / "cache")[script])
    assert done.returncode == 0, done.stderr[-3000:]
    for text in SAYS[script]:
        assert text in done.stdout, (text, done.stdout)


def _duplicate_in_split(tiny: Path, tmp_path: Path) -> str:
    test = json.loads((tiny / "test_videos_ids_labeled.json").read_text())
    (tiny / "test_videos_ids_labeled.json").write_text(json.dumps([*test, test[0]]))
    return "VA302"


def _linked_out(tiny: Path, tmp_path: Path) -> str:
    """The original bug of bench_hook (which now copies its input): a link out of the
    dataset, refused, so the timed run reads nothing."""
    outside = tmp_path / "elsewhere" / EVENTS
    outside.parent.mkdir()
    (tiny / EVENTS).rename(outside)
    (tiny / EVENTS).symlink_to(outside)
    return "VA106"


def _truncated(tiny: Path, tmp_path: Path) -> str:
    data = (tiny / EVENTS).read_bytes()
    (tiny / EVENTS).write_bytes(data[: len(data) // 2])
    return "cannot be read as JSON"


def _frame_missing(cache: Path) -> str:
    folder = next(p for p in sorted(cache.glob("frames-*")) if p.is_dir())
    os.remove(next(iter(sorted((folder / sorted(os.listdir(folder))[0]).iterdir()))))
    return "not 48 frames"


@pytest.mark.parametrize(("script", "breaking"), [
    ("bench_check.py", _duplicate_in_split),
    ("bench_check.py", _linked_out),
    ("bench_hook.py", _truncated),
    ("bench_html.py", _duplicate_in_split),
])
def test_a_broken_input_makes_a_benchmark_fail(script: str, breaking: object, tiny: Path,
                                               rawframes: Path, tmp_path: Path) -> None:
    assert callable(breaking)
    why = breaking(tiny, tmp_path)
    done = run_bench(script, *invocations(tiny, rawframes, tmp_path / "cache")[script])
    assert done.returncode == 1, done.stdout
    assert "FAILED" in done.stderr and why in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_frame_cache_makes_the_manifest_benchmark_fail(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["--videos", "6", "--runs", "1", "--cache", cache]
    assert run_bench("bench_manifest.py", *args).returncode == 0
    why = _frame_missing(cache)
    done = run_bench("bench_manifest.py", *args)
    assert done.returncode == 1 and "FAILED" in done.stderr and why in done.stderr, done.stderr
