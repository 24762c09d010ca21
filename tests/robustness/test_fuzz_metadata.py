"""Property tests: hostile versions of a valid dataset never crash vidaudit, never
change the data, and every finding points at what it names (see invariants.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, note, settings

from robustness.conftest import ROBUST
from robustness.hostile import Dataset, byte_cases, structure_cases
from robustness.invariants import (
    assert_clean_exit,
    assert_outputs_sound,
    check_all_formats,
    snapshot,
)


def _write(data: Dataset, folder: Path) -> None:
    folder.mkdir()
    for name, content in data.files().items():
        (folder / name).write_bytes(content)


def _check(data: Dataset) -> None:
    note("; ".join(data.log))
    with tempfile.TemporaryDirectory(prefix="vidaudit-fuzz-") as temporary:
        root = Path(temporary)
        dataset = root / "metadata"
        _write(data, dataset)
        before = snapshot(dataset)
        try:
            outcome = check_all_formats(dataset, root)
            assert_clean_exit(outcome)
            assert snapshot(dataset) == before, "the dataset changed"
            assert_outputs_sound(outcome)
        except BaseException:
            _keep(root)
            raise


def _keep(root: Path) -> None:
    """VIDAUDIT_FUZZ_KEEP=DIR: copy each failing case there, to reproduce it by hand."""
    keep = os.environ.get("VIDAUDIT_FUZZ_KEEP")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copytree(root, Path(tempfile.mkdtemp(prefix="case-", dir=keep)),
                        dirs_exist_ok=True)


@settings(ROBUST)
@given(structure_cases())
def test_structure_mutations(data: Dataset) -> None:
    _check(data)


@settings(ROBUST)
@given(byte_cases())
def test_byte_mutations(data: Dataset) -> None:
    _check(data)
