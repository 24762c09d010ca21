"""Datasets whose files are symbolic links: git-annex (and so DataLad) and DVC checkouts.

A release kept in a real git-annex repository, its metadata, manifest, frames and
videos annexed and locked (links into ``.git/annex/objects``), must check exactly like
the same files copied: the same exit code and a byte-identical JSON report. A DVC
checkout with ``cache.type = symlink`` (links into ``.dvc/cache``) likewise. A link
that leaves the repository, or that reaches into ``.git`` outside the annex, is still
refused (VA106, naming ``follow-links``); content that was never fetched is VA106 with
how to fetch it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from support import Media, annex_in_place, git, json_report, run_cli

EVENTS = "video_events_labels.json"
RUNS = {
    "manifest": [],  # metadata/frame_manifest.csv, picked up by itself
    "frames": ["--frames", "frames", "--no-manifest", "--deep"],
    "videos": ["--videos", "videos", "--no-manifest", "--exact"],
}


def annexed(source: Path, repo: Path, *parts: str) -> Path:
    """``source`` copied into a new git-annex repository, ``parts`` annexed (locked)."""
    shutil.copytree(source, repo, symlinks=True)
    return annex_in_place(repo, *parts)


def with_manifest(media: Media) -> Media:
    """The media release with a committed frame manifest in its metadata folder."""
    built = run_cli("manifest", "--frames", media.frames, "-o",
                    media.metadata / "frame_manifest.csv")
    assert built.returncode == 0, built.stderr
    return media


def report(cwd: Path, *args: str) -> tuple[int, str]:
    completed = run_cli("check", "metadata", *args, "--format", "json", cwd=cwd)
    assert completed.returncode in (0, 1), completed.stderr
    return completed.returncode, completed.stdout


def findings(stdout: str) -> list[dict[str, Any]]:
    return list(json.loads(stdout)["findings"])


@pytest.fixture
def annex(media: Media, tmp_path: Path) -> Path:
    return annexed(with_manifest(media).root, tmp_path / "annex", "metadata", "frames",
                   "videos")


def test_every_file_of_the_annexed_release_is_a_link_into_the_annex(annex: Path) -> None:
    files = [p for part in ("metadata", "frames", "videos")
             for p in (annex / part).rglob("*") if not p.is_dir()]
    assert len(files) > 20
    for path in files:
        assert path.is_symlink(), path
        assert "/.git/annex/objects/" in str(path.resolve()), path


@pytest.mark.parametrize("run", RUNS)
def test_an_annexed_release_checks_exactly_like_its_copy(media: Media, annex: Path,
                                                         run: str) -> None:
    copy_code, copy = report(media.root, *RUNS[run])
    annex_code, linked = report(annex, *RUNS[run])
    assert (annex_code, linked) == (copy_code, copy)
    document = json.loads(linked)
    assert document["summary"]["events"] > 0 and document["summary"]["videos"] == len(media.ids)
    assert not [f for f in document["findings"] if f["code"] in ("VA106", "VA405", "VA407")]
    if run != "manifest":
        assert any(code.startswith("VA4") for code in document["rules_run"])


def test_content_not_present_is_va106_saying_how_to_fetch_it(annex: Path) -> None:
    git(annex, "annex", "drop", "-q", "--force", f"metadata/{EVENTS}")
    assert not (annex / "metadata" / EVENTS).exists()  # a dangling link now
    code, stdout = report(annex)
    assert code == 1
    [finding] = [f for f in findings(stdout) if f["file"] == f"metadata/{EVENTS}"]
    assert finding["code"] == "VA106"
    assert "content is not present" in finding["message"]
    assert "git annex get" in finding["message"]


def test_a_frame_not_fetched_is_unreadable_media_saying_how_to_fetch_it(
        media: Media, annex: Path) -> None:
    video = media.ids[0]
    git(annex, "annex", "drop", "-q", "--force", f"frames/{video}/frame_00000.jpg")
    code, stdout = report(annex, *RUNS["frames"])
    assert code == 1
    [finding] = [f for f in findings(stdout) if f["code"] == "VA405"]
    assert finding["video_id"] == video
    assert "frame_00000.jpg" in finding["message"]
    assert "git annex get" in finding["message"]


def test_a_link_out_of_the_repository_is_still_refused(annex: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / EVENTS
    outside.parent.mkdir()
    shutil.copy(annex / "metadata" / EVENTS, outside)  # valid content: where it lives counts
    (annex / "metadata" / EVENTS).unlink()
    os.symlink(outside, annex / "metadata" / EVENTS)
    code, stdout = report(annex)
    assert code == 1
    [finding] = [f for f in findings(stdout) if f["file"] == f"metadata/{EVENTS}"]
    assert finding["code"] == "VA106"
    assert str(outside) in finding["message"] and "follow-links" in finding["message"]
    assert json.loads(stdout)["summary"]["events"] == 0


@pytest.mark.parametrize("target", [".git/config", ".git/HEAD", ".dvc/config.local"])
def test_a_link_into_the_repository_configuration_is_refused(annex: Path,
                                                             target: str) -> None:
    (annex / ".dvc").mkdir(exist_ok=True)
    (annex / ".dvc" / "config.local").write_text("[remote]\npassword = secret\n")
    (annex / "metadata" / EVENTS).unlink()
    os.symlink(os.path.join("..", target), annex / "metadata" / EVENTS)
    code, stdout = report(annex)
    assert code == 1
    [finding] = [f for f in findings(stdout) if f["file"] == f"metadata/{EVENTS}"]
    assert finding["code"] == "VA106" and "follow-links" in finding["message"]
    assert "secret" not in stdout


def test_a_link_into_git_is_refused_when_the_dataset_is_the_repository_top(
        annex: Path) -> None:
    """Checked from the repository's top, .git is inside the dataset folder itself."""
    for path in (annex / "metadata").glob("*.json"):
        shutil.copy(path, annex / path.name)
    (annex / EVENTS).unlink()
    os.symlink(os.path.join(".git", "config"), annex / EVENTS)
    completed = run_cli("check", ".", "--no-manifest", "--format", "json", cwd=annex)
    [finding] = [f for f in findings(completed.stdout) if f["file"] == EVENTS]
    assert completed.returncode == 1
    assert finding["code"] == "VA106" and "follow-links" in finding["message"]
    assert "[core]" not in completed.stdout


def dvc_checkout(source: Path, repo: Path, *parts: str) -> Path:
    """What `dvc add` + `dvc checkout` with ``cache.type = symlink`` leave: each file's
    content in ``.dvc/cache/files/md5/xx/yyyy``, the file an absolute link to it."""
    shutil.copytree(source, repo)
    git(repo, "init", "-q")
    cache = repo / ".dvc" / "cache" / "files" / "md5"
    for part in parts:
        for path in sorted(p for p in (repo / part).rglob("*") if p.is_file()):
            digest = hashlib.md5(path.read_bytes()).hexdigest()
            stored = cache / digest[:2] / digest[2:]
            stored.parent.mkdir(parents=True, exist_ok=True)
            if not stored.exists():
                path.rename(stored)
            else:
                path.unlink()
            path.symlink_to(stored)
    return repo


def test_a_dvc_symlink_checkout_checks_exactly_like_its_copy(media: Media,
                                                             tmp_path: Path) -> None:
    with_manifest(media)
    repo = dvc_checkout(media.root, tmp_path / "dvc", "metadata", "frames")
    assert (repo / "metadata" / EVENTS).is_symlink()
    for run in ("manifest", "frames"):
        assert report(repo, *RUNS[run]) == report(media.root, *RUNS[run]), run

    stored = (repo / "metadata" / EVENTS).resolve()
    stored.unlink()  # the cache lost it (gc, or never pulled)
    code, stdout = report(repo)
    [finding] = [f for f in findings(stdout) if f["file"] == f"metadata/{EVENTS}"]
    assert code == 1 and finding["code"] == "VA106" and "dvc pull" in finding["message"]


def test_a_dvc_cache_outside_the_repository_needs_follow_links(media: Media,
                                                                tmp_path: Path) -> None:
    repo = dvc_checkout(media.root, tmp_path / "dvc", "metadata")
    shared = tmp_path / "shared-cache"
    shutil.move(repo / ".dvc" / "cache", shared)
    for path in (repo / "metadata").iterdir():
        target = Path(os.readlink(path))
        path.unlink()
        path.symlink_to(shared / target.relative_to(repo / ".dvc" / "cache"))
    code, stdout = report(repo)
    refused = [f for f in findings(stdout) if f["code"] == "VA106"]
    assert code == 1 and len(refused) == 5
    assert all("follow-links" in f["message"] for f in refused)

    (tmp_path / "vidaudit.toml").write_text("follow-links = true\n")
    followed = json_report("metadata", "--config", str(tmp_path / "vidaudit.toml"), cwd=repo)
    assert followed == json_report(str(media.metadata.relative_to(media.root)),
                                   cwd=media.root)
