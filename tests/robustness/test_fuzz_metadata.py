"""Property tests: hostile versions of a valid dataset never crash vidaudit, never
change the data, and every finding points at what it names (see invariants.py).

Four properties, over structure-level and byte-level mutations:
- `check` with every format;
- `check --frames` against real frames on disk (the frame rules, the joins on hostile
  values, the HTML thumbnails);
- `audit --no-gx` against the clean release it was made from (the release diff);
- `baseline` then `check --baseline`: whatever was accepted is suppressed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, note, settings

from robustness.conftest import ROBUST, media_release
from robustness.hostile import Dataset, any_cases, byte_cases, structure_cases
from robustness.invariants import (
    Outcome,
    assert_clean_exit,
    assert_located,
    assert_outputs_sound,
    check_all_formats,
    report_validator,
    run_in_process,
    snapshot,
)
from support import Media


def _write(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


@contextmanager
def _case(data: Dataset, *watched: Path) -> Iterator[tuple[Path, Path]]:
    """(root, dataset folder) of the written case; afterwards the dataset and the
    ``watched`` folders must be byte-for-byte unchanged. VIDAUDIT_FUZZ_KEEP=DIR keeps
    a copy of each failing case there, to reproduce it by hand."""
    note("; ".join(data.log))
    with tempfile.TemporaryDirectory(prefix="vidaudit-fuzz-") as temporary:
        root = Path(temporary)
        dataset = _write(data.files(), root / "metadata")
        folders = [dataset, *watched]
        before = [snapshot(folder) for folder in folders]
        try:
            yield root, dataset
            assert [snapshot(folder) for folder in folders] == before, "an input changed"
        except BaseException:
            keep = os.environ.get("VIDAUDIT_FUZZ_KEEP")
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copytree(root, Path(tempfile.mkdtemp(prefix="case-", dir=keep)),
                                dirs_exist_ok=True)
            raise


def _check(data: Dataset, *extra: str, watched: tuple[Path, ...] = ()) -> Outcome:
    with _case(data, *watched) as (root, dataset):
        outcome = check_all_formats(dataset, root, *extra)
        assert_clean_exit(outcome)
        assert_outputs_sound(outcome)
    return outcome


@settings(ROBUST)
@given(structure_cases())
def test_structure_mutations(data: Dataset) -> None:
    _check(data)


@settings(ROBUST)
@given(byte_cases())
def test_byte_mutations(data: Dataset) -> None:
    _check(data)


@settings(ROBUST)
@given(any_cases(media_release()))
def test_mutations_with_frames_on_disk(media_master: Media, data: Dataset) -> None:
    _check(data, "--frames", str(media_master.frames), watched=(media_master.frames,))


@settings(ROBUST)
@given(any_cases())
def test_audit_against_the_clean_release(data: Dataset) -> None:
    with _case(data) as (root, dataset):
        previous = _write(data.clean, root / "previous")
        out = root / "audit"
        code, _, stderr = run_in_process(["audit", str(dataset), "--previous", str(previous),
                                          "--no-gx", "--output-dir", str(out)])
        assert_clean_exit(Outcome(code, "", stderr, {}))
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        report_validator().validate(report)
        for finding in report["findings"]:
            assert_located(finding)
        trail = json.loads((out / "audit.json").read_text(encoding="utf-8"))
        assert trail["verdict"]["exit_code"] == code
        json.loads((out / "diff.json").read_text(encoding="utf-8"))
        assert "vidaudit-probe" not in (out / "index.html").read_text(encoding="utf-8") \
            .replace("id=vidaudit-probe&gt;", "")


@settings(ROBUST)
@given(any_cases())
def test_a_baseline_accepts_every_finding(data: Dataset) -> None:
    with _case(data) as (root, dataset):
        baseline = root / "baseline.json"
        code, _, stderr = run_in_process(["baseline", str(dataset), "-o", str(baseline)])
        assert_clean_exit(Outcome(code, "", stderr, {}), allowed=(0,))
        accepted = len(json.loads(baseline.read_text(encoding="utf-8"))["entries"])
        outcome = check_all_formats(dataset, root, "--baseline", str(baseline),
                                    formats=("json",))
        assert_clean_exit(outcome, allowed=(0,))
        report = json.loads(outcome.outputs["json"])
        assert report["findings"] == []
        assert report["summary"].get("suppressed", 0) == accepted
