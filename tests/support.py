"""Helpers shared by the tests: running the real CLI, checking locations independently."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
REAL_METADATA = SHARED_DATA / "ssv2-contact-release" / "metadata"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
"""Under CI=true a test never skips for want of a tool or data: it fails (.ci/run
installs every tool; see tests/conftest.py)."""


def require_tool(name: str, install: str) -> str:
    """The path of a command the test needs; without it the test skips, or fails on CI."""
    found = shutil.which(name)
    if found:
        return found
    import pytest

    if ON_CI:
        pytest.fail(f"{name} is required on CI ({install})")
    pytest.skip(f"{name} is not installed ({install})")


@dataclass(frozen=True)
class Media:
    """A generated release with real media under one root: ``metadata/``, the videos
    (``videos/``, several containers) and the frames extracted from them (``frames/``)."""

    release: Any
    """The :class:`vidaudit.synth.metadata.Release` the media were made from."""
    root: Path
    counts: dict[str, int] = field(default_factory=dict)
    """Frames written per video id, as the generator reported them."""

    @property
    def metadata(self) -> Path:
        return self.root / "metadata"

    @property
    def frames(self) -> Path:
        return self.root / "frames"

    @property
    def videos(self) -> Path:
        return self.root / "videos"

    @property
    def ids(self) -> list[str]:
        return sorted(self.release.videos, key=int)


def run_cli(*args: str | Path, cwd: Path | None = None, check_traceback: bool = True,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m vidaudit`` as a user would, in a separate process."""
    completed = subprocess.run(
        [sys.executable, "-m", "vidaudit", *map(str, args)], cwd=cwd, capture_output=True,
        text=True, env={**os.environ, "NO_COLOR": "1", **(env or {})}, timeout=300)
    if check_traceback:
        assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def json_report(*args: str | Path, cwd: Path | None = None) -> tuple[int, dict[str, Any]]:
    completed = run_cli("check", *args, "--format", "json", cwd=cwd)
    assert completed.returncode in (0, 1), completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def resolve(document: Any, pointer: str) -> Any:
    """RFC 6901 resolution, written independently of vidaudit's own."""
    node = document
    if pointer == "":
        return node
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, mtime: float) -> tuple[str, list[int], Any]:
    text = path.read_bytes().decode("utf-8-sig")
    line_starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    return text, line_starts, json.loads(text)


def assert_located(finding: dict[str, Any], base: Path | None = None) -> None:
    """The finding's line/column point at the value (or key) its pointer names."""
    if not finding["pointer"] or not finding["file"].endswith(".json"):
        return
    path = Path(finding["file"]) if base is None else base / finding["file"]
    text, line_starts, document = _parsed(path, path.stat().st_mtime)
    assert finding["line"] and finding["column"], finding
    offset = line_starts[finding["line"] - 1] + finding["column"] - 1
    last = finding["pointer"].rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    key_text = json.dumps(last, ensure_ascii=False)
    if text.startswith(key_text, offset):
        return  # a finding about an object key (invalid id, unknown template, repeated key)
    value, _ = json.JSONDecoder().raw_decode(text, offset)
    expected = resolve(document, finding["pointer"])
    if isinstance(expected, float) and expected != expected:  # NaN
        assert value != value, finding
    else:
        assert value == expected, (finding, value)


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    """Run git (or ``git annex``) in ``repo``; its output."""
    completed = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                               env={**os.environ, **GIT_ENV}, timeout=120)
    assert completed.returncode == 0, (args, completed.stderr)
    return completed.stdout


def annex_in_place(repo: Path, *parts: str) -> Path:
    """Make ``repo`` a git-annex repository with ``parts`` annexed and locked: each file
    becomes a link into ``.git/annex/objects``, as in a git-annex or DataLad dataset."""
    require_tool("git-annex", "apt-get install git-annex")
    git(repo, "init", "-q")
    git(repo, "annex", "init", "-q", "test")
    git(repo, "annex", "add", "-q", *parts)
    git(repo, "commit", "-q", "-m", "release")
    return repo
