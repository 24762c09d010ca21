"""Helpers for the audit tests: releases written from the synthetic generator, edited
by hand the way a maintainer would, and the real CLI run on them."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support import run_cli
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata


@dataclass
class Files:
    """A release's five files as Python data, to edit and write."""

    events: dict[str, list[dict[str, Any]]]
    templates: dict[str, list[str]]
    splits: dict[str, list[str]]

    @classmethod
    def generated(cls, seed: int = 3, n_videos: int = 30) -> Files:
        release = metadata.generate(seed=seed, n_videos=n_videos, n_templates=5)
        return cls(json.loads(json.dumps(release.events)), json.loads(json.dumps(
            release.templates)), json.loads(json.dumps(release.splits)))

    @classmethod
    def read(cls, folder: Path) -> Files:
        def load(role: str) -> Any:
            return json.loads((folder / DEFAULT_FILES[role]).read_text())

        return cls(load("events"), load("templates"),
                   {s: load(s) for s in ("train", "validation", "test")})

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        contents = {"events": self.events, "templates": self.templates, **self.splits}
        for role, content in contents.items():
            (folder / DEFAULT_FILES[role]).write_text(metadata.dumps(role, content))
        return folder

    def template_of(self, video_id: str) -> str:
        return next(t for t, ids in self.templates.items() if video_id in ids)


def audit(*args: str | Path, cwd: Path, gx: bool = False
          ) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run `vidaudit audit` and return the process and its report.json (or {})."""
    argv: list[str | Path] = ["audit", *args]
    if not gx:
        argv.append("--no-gx")
    completed = run_cli(*argv, cwd=cwd)
    out = cwd / _output_dir(argv)
    report = json.loads((out / "report.json").read_text()) if (out / "report.json").exists() \
        else {}
    return completed, report


def _output_dir(argv: list[str | Path]) -> str:
    items = [str(a) for a in argv]
    if "--output-dir" in items:
        return items[items.index("--output-dir") + 1]
    return "reports/audit"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout
