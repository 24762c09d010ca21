"""Helpers for the gates tests: synthetic datasets with known problems, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support import REAL_METADATA, REPO, json_report, run_cli
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata

__all__ = ["REAL_METADATA", "REPO", "report", "vidaudit"]

vidaudit = run_cli
"""``python -m vidaudit ...`` in its own process, as a user or a hook runs it."""
report = json_report


def flawed_files(seed: int = 3) -> dict[str, Any]:
    return flawed_release(seed)[0]


def clean_release(seed: int = 5) -> tuple[dict[str, Any], metadata.Release]:
    release = metadata.generate(seed=seed, n_videos=40, n_templates=6)
    return {DEFAULT_FILES[role]: content
            for role, content in release.file_contents().items()}, release


def flawed_release(seed: int = 3) -> tuple[dict[str, Any], metadata.Release]:
    """A small synthetic release with a few known problems, as file name -> JSON content
    (and the release it was made from, for its frame manifest).

    - VA303: the first train video is in no split;
    - VA206: another video's first event has ``frameNumber`` written as a float;
    - VA501: a third video's first event is repeated.
    """
    release = metadata.generate(seed=seed, n_videos=30, n_templates=5)
    events = release.events
    splits = {s: list(v) for s, v in release.splits.items()}
    unsplit = splits["train"].pop(0)
    others = [v for v in events if v != unsplit]
    events[others[0]][0]["frameNumber"] = float(events[others[0]][0]["frameNumber"])
    events[others[1]].append(dict(events[others[1]][0]))
    files = {DEFAULT_FILES["events"]: events, DEFAULT_FILES["templates"]: release.templates}
    files.update({DEFAULT_FILES[s]: ids_ for s, ids_ in splits.items()})
    return files, release


def write_dataset(folder: Path, files: dict[str, Any], indent: int | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content, indent=indent), encoding="utf-8")
    return folder


def value_at(text: str, line: int, column: int) -> Any:
    """The JSON value that starts at a 1-based line and column, decoded independently."""
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    value, _ = json.JSONDecoder().raw_decode(text, offset)
    return value
