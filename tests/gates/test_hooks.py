"""The pre-commit hooks, run by the real `pre-commit` in a temporary dataset repository.

pre-commit installs the hooks' environment by pip-installing this project, which
takes most of a minute. `try-repo` does it in a store of its own every time, so it
runs once; the other scenarios use a config (`repo:` + `rev:`, as a dataset
repository would) and one store shared by the whole session (pre-commit locks it,
so xdist workers wait for each other instead of installing twice).
"""

from __future__ import annotations

import csv
import fcntl
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gates_support import REPO, clean_release, flawed_release, write_dataset

from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata

pytestmark = pytest.mark.slow

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def hook(hook_id: str) -> dict[str, object]:
    return next(h for h in HOOKS if h["id"] == hook_id)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the xdist workers of this session."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / "gates-hooks"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def project(shared: Path) -> tuple[Path, str]:
    """This project's files (committed or not, as the working tree has them) as a commit of
    a throw-away repository: the `repo:` and `rev:` the hooks are installed from."""
    snapshot = shared / "project"
    with (shared / "project.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker makes it, the others wait
        if not (snapshot / ".git").exists():
            _snapshot(snapshot)
        return snapshot, git("rev-parse", "HEAD", cwd=snapshot)


def _snapshot(snapshot: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git("init", "-q", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot)


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"], cwd=cwd,
        capture_output=True, text=True, timeout=900,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"})


def dataset_repo(folder: Path, flawed: bool = False) -> Path:
    """A dataset repository in the published layout, committed: a synthetic release (clean,
    or with the problems of gates_support.flawed_release) and its frame manifest."""
    files, release = flawed_release() if flawed else clean_release()
    write_dataset(folder / "metadata", files)
    with (folder / "metadata" / "frame_manifest.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["video_id", "frame_count", "width", "height"])
        writer.writeheader()
        writer.writerows(metadata.manifest_rows(release))
    (folder / "README.md").write_text("A dataset.\n")
    git("init", "-q", cwd=folder)
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", "release", cwd=folder)
    return folder


def with_config(folder: Path, project: tuple[Path, str]) -> Path:
    repo, rev = project
    config = {"repos": [{"repo": str(repo), "rev": rev,
                         "hooks": [{"id": "vidaudit"}, {"id": "vidaudit-schema"}]}]}
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git("add", ".pre-commit-config.yaml", cwd=folder)
    return folder


# -- the manifest itself ----------------------------------------------------------


@pytest.mark.parametrize(("path", "full", "schema"), [
    ("metadata/video_events_labels.json", True, True),
    ("metadata/train_videos_ids_labeled.json", True, True),
    ("metadata/template_to_video_ids_map.json", True, True),
    ("metadata/frame_manifest.csv", True, False),
    ("metadata/notes.json", True, False),
    ("README.md", False, False),
    ("other/video_events_labels.json", False, False),
    ("metadata/sub/video_events_labels.json", False, False),
])
def test_hook_files_match_the_published_layout(path: str, full: bool, schema: bool) -> None:
    assert bool(re.search(str(hook("vidaudit")["files"]), path)) is full
    assert bool(re.search(str(hook("vidaudit-schema")["files"]), path)) is schema


def test_hook_entries() -> None:
    assert hook("vidaudit")["entry"] == "vidaudit check"
    assert hook("vidaudit")["pass_filenames"] is False
    assert hook("vidaudit-schema")["entry"] == "vidaudit schema"
    assert hook("vidaudit-schema").get("pass_filenames", True) is True


# -- the real pre-commit ------------------------------------------------------------


def test_try_repo_passes_on_a_clean_dataset(project: tuple[Path, str], tmp_path: Path) -> None:
    data = dataset_repo(tmp_path / "data")
    repo, rev = project
    done = pre_commit("try-repo", str(repo), "vidaudit", "--ref", rev, "--all-files",
                      cwd=data, home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"vidaudit \(whole release\)\.+Passed", done.stdout), done.stdout


def test_hooks_fail_on_a_broken_dataset_and_print_the_findings(
        project: tuple[Path, str], shared: Path, tmp_path: Path) -> None:
    data = with_config(dataset_repo(tmp_path / "data", flawed=True), project)
    events = data / "metadata" / DEFAULT_FILES["events"]
    events.write_text(events.read_text().replace('"release"', '"relase"', 1))
    git("add", "-A", cwd=data)
    done = pre_commit("run", cwd=data, home=shared / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"vidaudit \(whole release\)\.+Failed", out), out
    assert re.search(r"vidaudit \(file structure\)\.+Failed", out), out
    for code in ("VA203", "VA303", "VA206", "VA501"):  # the console report, printed
        assert code in out, out
    assert "metadata/video_events_labels.json:" in out and "FAIL" in out


def test_hooks_pass_on_a_clean_change(project: tuple[Path, str], shared: Path,
                                      tmp_path: Path) -> None:
    data = with_config(dataset_repo(tmp_path / "data"), project)
    split = data / "metadata" / DEFAULT_FILES["test"]
    split.write_text(split.read_text() + "\n")  # a change, still valid
    git("add", "-A", cwd=data)
    done = pre_commit("run", cwd=data, home=shared / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"vidaudit \(whole release\)\.+Passed", done.stdout), done.stdout
    assert re.search(r"vidaudit \(file structure\)\.+Passed", done.stdout), done.stdout


def test_hooks_are_skipped_when_no_metadata_file_changed(
        project: tuple[Path, str], shared: Path, tmp_path: Path) -> None:
    # broken data already committed: a hook that ran would fail
    data = with_config(dataset_repo(tmp_path / "data", flawed=True), project)
    (data / "README.md").write_text("A dataset, documented.\n")
    git("add", "README.md", cwd=data)
    done = pre_commit("run", cwd=data, home=shared / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"vidaudit \(whole release\)\.+\(no files to check\)Skipped", done.stdout)
    assert re.search(r"vidaudit \(file structure\)\.+\(no files to check\)Skipped", done.stdout)


def test_schema_hook_checks_only_the_changed_files(
        project: tuple[Path, str], shared: Path, tmp_path: Path) -> None:
    data = with_config(dataset_repo(tmp_path / "data"), project)
    split = data / "metadata" / DEFAULT_FILES["validation"]
    split.write_text(split.read_text().rstrip().rstrip("]") + ",]")  # trailing comma
    git("add", "-A", cwd=data)
    done = pre_commit("run", "vidaudit-schema", cwd=data, home=shared / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VA102" in done.stdout
    assert f"metadata/{DEFAULT_FILES['validation']}:" in done.stdout
    assert "1 file(s)" in done.stdout  # only the changed file was given
