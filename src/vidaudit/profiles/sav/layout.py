"""What an SA-V folder holds: train masklet files (and videos), val/test frames and masks.

Names come from the file system and from split lists, which are untrusted: a path is
only built from a video id that matches :data:`VIDEO_ID` (``sav_`` and digits: no
separator, no ``..``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

VIDEO_ID = re.compile(r"sav_[0-9]{1,12}")
TRAIN_FILE = re.compile(r"(sav_[0-9]{1,12})_(manual|auto)\.json")
VIDEO_FILE = re.compile(r"(sav_[0-9]{1,12})\.mp4")
SPLIT_LISTS = ("sav_val.txt", "sav_test.txt")
FRAMES_DIR = "JPEGImages_24fps"
MASKS_DIR = "Annotations_6fps"


def is_sav_id(text: str) -> bool:
    return VIDEO_ID.fullmatch(text) is not None


def display_path(root: str, *parts: str) -> str:
    """A path as findings show it: under ``root`` as the user gave it."""
    return os.path.join(root, *parts) if root not in ("", ".") else os.path.join(*parts)


@dataclass(frozen=True)
class TrainVideo:
    """One train video's files (names inside the folder; None when absent)."""

    video_id: str
    manual: str | None = None
    auto: str | None = None
    video: str | None = None


@dataclass
class Layout:
    train: list[TrainVideo] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    """Split list files present (sav_val.txt, sav_test.txt)."""
    frames: bool = False
    masks: bool = False

    @property
    def has_train(self) -> bool:
        return bool(self.train)

    @property
    def has_val(self) -> bool:
        return bool(self.lists) or (self.frames and self.masks)


def looks_like_sav(folder: Path) -> bool:
    """Cheap detection: a split list, the two val/test folders, or one train file."""
    if any((folder / name).is_file() for name in SPLIT_LISTS):
        return True
    if (folder / FRAMES_DIR).is_dir() and (folder / MASKS_DIR).is_dir():
        return True
    try:
        with os.scandir(folder) as listing:
            return any(TRAIN_FILE.fullmatch(item.name) for item in listing)
    except OSError:
        return False


def scan(folder: Path) -> Layout:
    """The layout of ``folder``: train videos sorted by id, and the val/test parts."""
    layout = Layout(lists=[n for n in SPLIT_LISTS if (folder / n).is_file()],
                    frames=(folder / FRAMES_DIR).is_dir(), masks=(folder / MASKS_DIR).is_dir())
    manual: dict[str, str] = {}
    auto: dict[str, str] = {}
    videos: dict[str, str] = {}
    with os.scandir(folder) as listing:
        for item in listing:
            name = item.name
            match = TRAIN_FILE.fullmatch(name)
            if match:
                (manual if match.group(2) == "manual" else auto)[match.group(1)] = name
                continue
            match = VIDEO_FILE.fullmatch(name)
            if match:
                videos[match.group(1)] = name
    ids = sorted(set(manual) | set(auto), key=_order)
    layout.train = [TrainVideo(v, manual.get(v), auto.get(v), videos.get(v)) for v in ids]
    return layout


def find_video(videos_dir: Path, video_id: str) -> str | None:
    """``{video_id}.mp4`` in ``videos_dir`` if it is there (the id is validated)."""
    if not is_sav_id(video_id):
        return None
    candidate = videos_dir / f"{video_id}.mp4"
    return str(candidate) if candidate.exists() else None


def _order(video_id: str) -> tuple[int, str]:
    return (len(video_id), video_id)
