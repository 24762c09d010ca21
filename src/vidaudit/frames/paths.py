"""Where media live: frame file names, discovery under a root, and path safety.

Video ids come from untrusted files, so a path is only ever built from an id that
passes :func:`vidaudit.values.is_video_id` (digits only: no separators, no ``..``),
and a symbolic link is only followed when it stays inside the root or the data of the
git repository enclosing it (:mod:`vidaudit.links`: git-annex and DVC checkouts).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from vidaudit import links
from vidaudit.values import is_video_id

FRAME_NAME = re.compile(r"frame_(\d{5,})\.jpg")
"""``frame_%05d.jpg`` as written by the published extraction (0-based)."""
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
VIDEO_SUFFIXES = (".webm", ".mp4", ".avi", ".mkv", ".mov", ".m4v", ".mpg", ".mpeg", ".ogv")
"""Preference order when one id has several video files."""


def frame_name(index: int) -> str:
    return f"frame_{index:05d}.jpg"


@dataclass(frozen=True, slots=True)
class FrameNaming:
    """How a dataset names the frames inside a video's folder: ``prefix``, the index
    zero-padded to ``digits``, ``suffix``; the first frame has index ``first``.

    The default is vidaudit's own ``frame_%05d.jpg`` from 0; Something-Else uses
    ``%04d.jpg`` from 1, mmaction2's extraction (Kinetics-TPS) ``img_%05d.jpg`` from 1.
    """

    prefix: str = "frame_"
    digits: int = 5
    first: int = 0
    suffix: str = ".jpg"

    def name(self, index: int) -> str:
        """The file name of frame ``index`` (an index of this naming, not 0-based)."""
        return f"{self.prefix}{index:0{self.digits}d}{self.suffix}"

    def index(self, name: str) -> int | None:
        """The index a canonical file name carries, else None (no leading zeros beyond
        the padding: ``frame_000001.jpg`` is not frame 1)."""
        if not (name.startswith(self.prefix) and name.endswith(self.suffix)):
            return None
        digits = name[len(self.prefix):len(name) - len(self.suffix)]
        if len(digits) < self.digits or not digits.isascii() or not digits.isdigit() \
                or (len(digits) > self.digits and digits[0] == "0"):
            return None
        return int(digits)

    @property
    def pattern(self) -> str:
        """How messages show the naming: ``frame_NNNNN.jpg``."""
        return f"{self.prefix}{'N' * self.digits}{self.suffix}"


DEFAULT_NAMING = FrameNaming()


def frame_index(name: str) -> int | None:
    """The index of a canonical frame file name, else None (``frame_7.jpg`` is not one)."""
    match = FRAME_NAME.fullmatch(name)
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) > 5 and digits[0] == "0":
        return None
    return int(digits)


def media_path(root: Path, video_id: str, suffix: str = "") -> Path:
    """``root/<video_id><suffix>``; refuses ids that could name anything else."""
    if not is_video_id(video_id):
        raise ValueError(f"not a video id: {video_id!r}")
    if suffix and (suffix not in VIDEO_SUFFIXES and suffix.lower() not in VIDEO_SUFFIXES):
        raise ValueError(f"not a video suffix: {suffix!r}")
    return root / f"{video_id}{suffix}"


def inside(root_real: str, path: str) -> bool:
    """Whether ``path`` (links resolved) may be read for the already-resolved root: inside
    it, or inside the data of its git repository (:func:`vidaudit.links.allowed`)."""
    return links.allowed(root_real, os.path.realpath(path))


@dataclass(frozen=True, slots=True)
class Entry:
    """One video's media found under a root: a frames folder or a video file."""

    video_id: str
    name: str
    """File or folder name inside the root (``"123"`` or ``"123.webm"``)."""
    is_link: bool = False


def discover(root: Path, kind: str) -> tuple[dict[str, Entry], int]:
    """Media under ``root`` by video id, and how many entries were not media of a video.

    ``kind`` is ``"frames"`` (sub-folders named by id; a *file* named by an id is
    kept too, so the probe can say it is not a folder) or ``"videos"`` (files
    ``<id>.<suffix>``; the first suffix in :data:`VIDEO_SUFFIXES` wins).
    """
    found: dict[str, Entry] = {}
    skipped = 0
    rank = {s: i for i, s in enumerate(VIDEO_SUFFIXES)}
    with os.scandir(root) as listing:
        for item in listing:
            name = item.name
            if kind == "frames":
                if is_video_id(name):
                    found[name] = Entry(name, name, item.is_symlink())
                else:
                    skipped += 1
                continue
            stem, dot, suffix = name.rpartition(".")
            suffix = (dot + suffix).lower()
            if not dot or suffix not in rank or not is_video_id(stem):
                skipped += 1
                continue
            current = found.get(stem)
            if current is None or rank[suffix] < rank[_suffix(current.name)]:
                found[stem] = Entry(stem, name, item.is_symlink())
            skipped += current is not None
    return found, skipped


def _suffix(name: str) -> str:
    return "." + name.rpartition(".")[2].lower()
