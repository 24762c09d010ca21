"""Fixtures: flawed releases written to a fresh folder for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.datasets import Flawed, flawed_release


@pytest.fixture
def flawed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flawed:
    """Written to ./metadata under a fresh working folder, so paths stay relative."""
    monkeypatch.chdir(tmp_path)
    return flawed_release(Path("metadata"))


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flawed:
    monkeypatch.chdir(tmp_path)
    return flawed_release(Path("metadata"), hostile=True)
