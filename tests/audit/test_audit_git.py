"""Releases read from git revisions of a temporary dataset repository with tags."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from audit_support import Files, audit, git
from support import require_tool, resolve
from vidaudit.config import Config
from vidaudit.errors import UsageError
from vidaudit.release.load import load


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """v1: a release; v2: a train video moved to test and one removed; work tree: v2 + an
    uncommitted edit to one event."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    data = root / "data" / "metadata"
    Files.generated(seed=5).write(data)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    git(root, "tag", "v1.0")
    files = Files.read(data)
    moved = files.splits["train"].pop(0)
    files.splits["test"].append(moved)
    gone = files.splits["train"].pop(0)
    del files.events[gone]
    files.templates[files.template_of(gone)].remove(gone)
    files.write(data)
    git(root, "commit", "-q", "-am", "v2")
    git(root, "tag", "-a", "v2.0", "-m", "release 2.0")
    edited = files.splits["validation"][0]
    files.events[edited][0]["pointY"] += 1
    files.write(data)
    return {"root": root, "data": data, "moved": moved, "gone": gone, "edited": edited,
            "status": git(root, "status", "--porcelain", "--untracked-files=no"),
            "mtimes": {p.name: p.stat().st_mtime_ns for p in data.iterdir()}}


def codes(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        grouped.setdefault(finding["code"], []).append(finding)
    return grouped


def located_in_blob(repo: dict[str, Any], finding: dict[str, Any]) -> Any:
    """Resolve a finding on a `git:REV:path` file by reading that blob with git itself."""
    _, revision, path = finding["file"].split(":", 2)
    text = git(repo["root"], "show", f"{revision}:{path}")
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: finding["line"] - 1]) + finding["column"] - 1
    return text, offset


def test_folder_against_a_tag(repo: dict[str, Any]) -> None:
    completed, report = audit("metadata", "--previous", "git:v1.0", cwd=repo["data"].parent)
    assert completed.returncode == 1, completed.stderr
    found = codes(report)
    [moved] = found["VA601"]
    assert moved["file"] == "metadata/test_videos_ids_labeled.json"
    assert moved["video_id"] == repo["moved"]
    [gone] = found["VA602"]
    assert gone["file"] == "git:v1.0:data/metadata/video_events_labels.json"
    assert gone["pointer"] == f"/{repo['gone']}"
    text, offset = located_in_blob(repo, gone)
    assert text[offset:].startswith(f'"{repo["gone"]}"')
    assert {f["video_id"] for f in found["VA604"]} == {repo["edited"]}  # the uncommitted edit


def test_two_tags_from_anywhere_in_the_repository(repo: dict[str, Any]) -> None:
    out = repo["root"] / "out"
    completed, report = audit("git:v2.0:data/metadata", "--previous", "git:v1.0",
                              "--output-dir", out, cwd=repo["root"])
    assert completed.returncode == 1, completed.stderr
    found = codes(report)
    assert set(found) == {"VA601", "VA602"}  # the work tree's edit is not in v2.0
    [moved] = found["VA601"]
    assert moved["file"] == "git:v2.0:data/metadata/test_videos_ids_labeled.json"
    text, offset = located_in_blob(repo, moved)
    assert json.JSONDecoder().raw_decode(text, offset)[0] == repo["moved"]
    assert resolve(json.loads(text), moved["pointer"]) == repo["moved"]
    document = json.loads((out / "audit.json").read_text())
    commits = {k: v["git"]["commit"] for k, v in document["releases"].items()}
    assert commits["current"] == git(repo["root"], "rev-parse", "v2.0^{commit}").strip()
    assert commits["previous"] == git(repo["root"], "rev-parse", "v1.0").strip()
    blobs = {row["path"]: row["git_blob"] for row in document["inputs"]}
    path = "data/metadata/video_events_labels.json"
    assert blobs[f"git:v1.0:{path}"] == git(repo["root"], "rev-parse", f"v1.0:{path}").strip()
    checksums = (out / "checksums.sha256").read_text()
    assert f"git:v2.0:{path}" in checksums  # listed, as a comment line


def test_the_work_tree_is_untouched(repo: dict[str, Any], tmp_path: Path) -> None:
    audit("metadata", "--previous", "git:v1.0", "--output-dir", tmp_path / "out",
          cwd=repo["data"].parent)
    assert git(repo["root"], "status", "--porcelain", "--untracked-files=no") == repo["status"]
    assert {p.name: p.stat().st_mtime_ns for p in repo["data"].iterdir()} == repo["mtimes"]
    assert git(repo["root"], "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_a_file_missing_at_the_revision_is_noted(repo: dict[str, Any], tmp_path: Path) -> None:
    data = repo["data"].parent
    completed, report = audit("metadata", "--previous", "git:v1.0:nowhere", "--output-dir",
                              tmp_path / "a", cwd=data)
    assert completed.returncode == 2
    assert "has none of the metadata files (looked in git:v1.0:nowhere)" in completed.stderr
    git(repo["root"], "rm", "-q", "--cached", "data/metadata/test_videos_ids_labeled.json")
    git(repo["root"], "commit", "-q", "-m", "drop a split")
    git(repo["root"], "tag", "no-test-split")
    git(repo["root"], "reset", "-q", "v2.0")  # the index back; the work tree was never touched
    completed, report = audit("metadata", "--previous", "git:no-test-split", "--output-dir",
                              tmp_path / "b", cwd=data)
    assert "a split file of git:no-test-split is unreadable: splits were not compared" in \
        report["notes"][0]
    assert "VA601" not in {f["code"] for f in report["findings"]}
    assert "VA604" in {f["code"] for f in report["findings"]}


@pytest.mark.parametrize("spec, message", [
    ("git:", "give a revision"),
    ("git:--output=x", "is not a valid git revision name"),
    ("git:v1..v2", "is not a valid git revision name"),
    ("git:v1 v2", "is not a valid git revision name"),
    ("git:v9.9", "no commit 'v9.9'"),
    ("git:v1.0:../x", "relative to the repository's root"),
    ("git:v1.0:/etc", "relative to the repository's root"),
])
def test_malformed_or_unknown_revisions_are_refused(repo: dict[str, Any], spec: str,
                                                    message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        load(spec, Config(), anchor=repo["data"])


def test_a_bad_revision_is_a_one_line_error_with_exit_2(repo: dict[str, Any],
                                                        tmp_path: Path) -> None:
    completed, _ = audit("metadata", "--previous", "git:-v1", "--output-dir", tmp_path,
                         cwd=repo["data"].parent)
    assert completed.returncode == 2
    assert completed.stderr.strip() == \
        "vidaudit: error: 'git:-v1': '-v1' is not a valid git revision name"


def test_outside_a_repository_is_a_one_line_error(tmp_path: Path) -> None:
    Files.generated().write(tmp_path / "metadata")
    completed, _ = audit("metadata", "--previous", "git:v1", cwd=tmp_path)
    assert completed.returncode == 2
    assert "not inside a git repository" in completed.stderr


def test_checksums_verify_with_sha256sum(repo: dict[str, Any], tmp_path: Path) -> None:
    import shutil
    import subprocess

    require_tool("sha256sum", "apt-get install coreutils")
    work = tmp_path / "work"
    shutil.copytree(repo["data"], work / "new")
    Files.generated(seed=5).write(work / "old")
    completed, _ = audit("new", "--previous", "old", cwd=work)
    assert completed.returncode in (0, 1), completed.stderr
    checksums = work / "reports" / "audit" / "checksums.sha256"
    check = subprocess.run(["sha256sum", "-c", "--strict", str(checksums.relative_to(work))],
                           cwd=work, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 10
    with (work / "old" / "train_videos_ids_labeled.json").open("a") as handle:
        handle.write(" ")
    check = subprocess.run(["sha256sum", "-c", str(checksums.relative_to(work))], cwd=work,
                           capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    assert check.returncode == 1
    assert "old/train_videos_ids_labeled.json: FAILED" in check.stdout
