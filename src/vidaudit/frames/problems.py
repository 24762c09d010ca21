"""Problems found while reading a manifest file: one per line, before any rule runs."""

from __future__ import annotations

from dataclasses import dataclass

from vidaudit.values import show


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A manifest line that cannot be used (becomes a VA407 finding)."""

    line: int
    message: str
    identity: str
    """What the line is about, independent of its position (for the fingerprint)."""
    video_id: str | None = None


def quoted(text: str) -> str:
    return show(text, limit=60)
