"""Settings for the robustness suite.

The property tests run a few dozen fixed examples in the normal test run
(derandomised, so CI is reproducible). ``VIDAUDIT_FUZZ=N`` (``nox -s fuzz`` sets
10000) runs N random examples per property instead, and the slow cases too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from support import Media
from vidaudit.synth import media as synth_media
from vidaudit.synth import metadata

FUZZ_EXAMPLES = int(os.environ.get("VIDAUDIT_FUZZ", "0") or 0)
SHRINK = os.environ.get("VIDAUDIT_FUZZ_SHRINK", "1") != "0"
"""Shrinking a failure can take minutes; VIDAUDIT_FUZZ_SHRINK=0 reports it as found."""

settings.register_profile(
    "robust",
    max_examples=FUZZ_EXAMPLES or 30,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    print_blob=True,
    phases=[p for p in Phase if SHRINK or p is not Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
ROBUST = settings.get_profile("robust")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz_only: runs only with VIDAUDIT_FUZZ set "
                            "(nox -s fuzz): minutes, or gigabytes of memory")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``fuzz_only`` run only in the fuzz session (VIDAUDIT_FUZZ set): in
    any other run they are deselected, not skipped (a skip fails under CI=true)."""
    if FUZZ_EXAMPLES:
        return
    deselected = [item for item in items if "fuzz_only" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if "fuzz_only" not in item.keywords]


# -- datasets on disk ------------------------------------------------------------------

def small_release() -> metadata.Release:
    return metadata.generate(seed=5, n_videos=4, n_templates=2, min_frames=6, max_frames=14)


def media_release() -> metadata.Release:
    """The release of :func:`media_master` (OpenCV writes even widths only)."""
    return synth_media.even_widths(small_release())


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A clean metadata folder (no manifest) that a test may break."""
    folder = tmp_path / "metadata"
    metadata.write(small_release(), folder)
    return folder


@pytest.fixture(scope="session")
def media_master(tmp_path_factory: pytest.TempPathFactory) -> Media:
    release = media_release()
    root = tmp_path_factory.mktemp("robust-media")
    metadata.write(release, root / "metadata")
    synth_media.write_media(release, videos=root / "videos", frames=root / "frames",
                            suffixes=(".webm", ".avi", ".mp4", ".mkv"))
    return Media(release, root)


@pytest.fixture
def media(media_master: Media, tmp_path: Path) -> Media:
    """A private copy of the media release that a test may break."""
    target = tmp_path / "release"
    shutil.copytree(media_master.root, target, symlinks=True)
    return Media(media_master.release, target)
