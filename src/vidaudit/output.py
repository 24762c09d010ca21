"""Writing output files: atomically, and never into the dataset by accident."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vidaudit.errors import UsageError


def check_outside(path: Path, protected: Iterable[Path], allow: bool = False) -> None:
    """Refuse to write ``path`` inside a protected folder (the metadata) unless allowed."""
    if allow:
        return
    target = path.resolve()
    for folder in protected:
        root = folder.resolve()
        if target == root or root in target.parents:
            raise UsageError(f"refusing to write {path} inside the dataset folder {folder} "
                             "(pass --allow-write-in-dataset if that is what you want)")


def write_atomic(path: Path, content: str | bytes | Iterable[str | bytes]) -> None:
    """Write to a temporary file beside ``path``, then rename it into place.

    A run killed half-way leaves either the old file or the new one, never a torn one.
    ``content`` may come in parts (a report of hundreds of thousands of findings), each
    written as it comes, so the whole text is never in memory at once.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [content] if isinstance(content, str | bytes) else content
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part.encode("utf-8") if isinstance(part, str) else part)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `vidaudit check | head` is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
