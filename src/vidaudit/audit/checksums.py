"""``checksums.sha256``: the audited input files in the format ``sha256sum -c`` reads.

Paths are written as the audit was given them, so the file verifies from the
directory the audit ran in (which its header names); absolute paths verify from
anywhere. Inputs that are not files on disk (files read from a git revision, or
missing ones) are listed as comment lines, which ``sha256sum -c`` skips, with
what verifies them instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vidaudit import __version__


@dataclass(frozen=True)
class Input:
    path: str
    """As shown in reports: a path on disk, or ``git:REV:path``."""
    sha256: str | None
    on_disk: bool
    git_blob: str | None = None


def _escape(path: str) -> tuple[str, str]:
    """GNU coreutils' escaping: a leading backslash flags a name with \\\\ or \\n in it."""
    if "\\" not in path and "\n" not in path and "\r" not in path:
        return "", path
    return "\\", path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def render(inputs: list[Input], run_from: Path, checksum_file: Path,
           media: str | None = None) -> str:
    """The file's text; ``checksum_file`` is where it will be written (for the hint);
    ``media``: a folder of frames or videos that was probed (not listed file by file)."""
    location = _shown(checksum_file, run_from)
    lines = [f"# Input files of a `vidaudit audit` (vidaudit {__version__}).",
             f"# Verify from {run_from.resolve()} with:  sha256sum -c {location}"]
    if media:
        lines.append(f"# Media probed under {_comment(media)} are not listed file by file: "
                     "report.json's frame findings and audit.json describe them.")
    verified: list[str] = []
    remarks: list[str] = []
    seen: set[str] = set()
    for item in inputs:
        if item.path in seen:
            continue
        seen.add(item.path)
        if item.sha256 is None:
            remarks.append(f"# not read (missing or unreadable): {_comment(item.path)}")
        elif not item.on_disk:
            blob = f"  (git blob {item.git_blob})" if item.git_blob else ""
            remarks.append(f"# {item.sha256}  {_comment(item.path)}{blob}")
        else:
            flag, name = _escape(item.path)
            verified.append(f"{flag}{item.sha256}  {name}")
    if any(not i.on_disk and i.sha256 for i in inputs):
        lines.append("# Files read from git are listed as comments; verify one with:  "
                     "git show REV:PATH | sha256sum")
    return "\n".join([*lines, *verified, *remarks]) + "\n"


def _comment(text: str) -> str:
    return text.replace("\n", "\\n").replace("\r", "\\r")


def _shown(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), base.resolve())
    except ValueError:
        return str(path.resolve())
