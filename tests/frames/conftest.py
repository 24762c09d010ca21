"""Shared helpers for the frames tests: a clean synthetic release on disk, and running
`vidaudit check` through the real command line with a JSON report."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support import Media
from vidaudit.cli import main
from vidaudit.synth import media as synth_media
from vidaudit.synth import metadata

Runner = Callable[..., tuple[int, dict[str, Any]]]


@pytest.fixture(scope="session")
def release() -> metadata.Release:
    return metadata.generate(seed=11, n_videos=12, n_templates=3, min_frames=10, max_frames=20)


@pytest.fixture
def metadata_dir(tmp_path: Path, release: metadata.Release) -> Path:
    folder = tmp_path / "metadata"
    metadata.write(release, folder)
    return folder


@pytest.fixture
def check(tmp_path: Path) -> Runner:
    """Run `vidaudit check ARGS --format json -o report.json`: (exit code, report)."""

    def run(*args: str) -> tuple[int, dict[str, Any]]:
        report = tmp_path / "report.json"
        report.unlink(missing_ok=True)
        code = main(["check", *args, "--format", "json", "--output", str(report)])
        return code, json.loads(report.read_text()) if report.exists() else {}

    return run


SUFFIXES = (".webm", ".mp4", ".avi", ".mkv")


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    release = synth_media.even_widths(metadata.generate(
        seed=23, n_videos=8, n_templates=3, min_frames=12, max_frames=20))
    root = tmp_path_factory.mktemp("media")
    metadata.write(release, root / "metadata")
    counts = synth_media.write_media(release, videos=root / "videos", frames=root / "frames",
                                     suffixes=SUFFIXES)
    return Media(release, root, counts)


@pytest.fixture
def copy(media: Media, tmp_path: Path) -> Media:
    """A private copy of the media and metadata that a test may break."""
    target = tmp_path / "media"
    shutil.copytree(media.root, target, symlinks=True)
    return Media(media.release, target, media.counts)
