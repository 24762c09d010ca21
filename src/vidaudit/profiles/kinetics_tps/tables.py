"""A Kinetics-TPS root -> tables.

``videos``: one row per video found anywhere (annotation folders, video folders,
frame lists), with its class and where it is listed. ``problems``: one row per
problem found while reading the layout and the per-frame files (the per-frame checks
run in the workers of :mod:`.walk`; rebuilding 10 million box rows in pandas would
cost more than checking them). ``scans``: one row per annotated video, what the
frame rules need later (frame indices, the largest box corner).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd

from vidaudit.dataset import Dataset
from vidaudit.frames.paths import inside
from vidaudit.frames.pool import default_workers
from vidaudit.profiles.kinetics_tps.frame_json import Vocabulary
from vidaudit.profiles.kinetics_tps.lists import VIDEO_ID, FrameList, Names
from vidaudit.profiles.kinetics_tps.walk import Row, VideoResult, VideoTask, scan_all
from vidaudit.sources import SourceFile
from vidaudit.values import show

SPLITS = ("train", "test")
VOCABULARIES = ("body_part", "part_stat", "object")
PROBLEM_COLUMNS = ("code", "file", "pointer", "line", "column", "message", "identity",
                   "video_id")


def classes() -> frozenset[str]:
    """Kinetics-TPS's 24 action classes (folder names), from ``classes.txt``."""
    text = resources.files(__package__).joinpath("classes.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@dataclass
class Video:
    video_id: str
    klass: str | None = None
    splits: dict[str, str] = field(default_factory=dict)
    """split -> where it is listed first (a path, or ``file:line``)."""
    annotated: str | None = None
    """``train_annotations/<class>/<video>`` (relative to the root) when it has one."""
    flist: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    """split -> (list file, line, frames)."""


class Layout:
    """What lies under the root, found folder by folder; problems as rows."""

    def __init__(self, root: str, sources: dict[str, SourceFile],
                 follow_links: bool = False) -> None:
        self.root = root
        self.root_real = os.path.realpath(root or ".")
        self.follow_links = follow_links
        self.known = classes()
        self.videos: dict[str, Video] = {}
        self.rows: list[Row] = []
        self.unknown_classes: set[str] = set()
        self._annotations()
        for split in SPLITS:
            self._video_files(split)
            self._flist(split, sources[f"{split}_flist"])

    def shown(self, relative: str) -> str:
        return relative if self.root in ("", ".") else f"{self.root.rstrip('/')}/{relative}"

    def _video(self, video_id: str, klass: str | None) -> Video:
        video = self.videos.get(video_id)
        if video is None:
            video = self.videos[video_id] = Video(video_id, klass)
        elif video.klass is None:
            video.klass = klass
        return video

    def _classes(self, folder: str) -> list[str]:
        """Class folders under ``folder`` that are among the dataset's classes (the
        others are VA411 rows, and not entered)."""
        if not os.path.isdir(os.path.join(self.root, folder)):
            return []
        kept = []
        for name in self._entries(folder):
            if name in self.known:
                kept.append(name)
            else:
                self.unknown_classes.add(name)
                self.rows.append(Row(
                    "VA411", self.shown(f"{folder}/{name}"), "", None, None,
                    f"class folder {show(name, 80)} in {folder}/ is not one of the "
                    f"{len(self.known)} Kinetics-TPS classes", f"{folder}/{name}"))
        return kept

    def _entries(self, folder: str) -> list[str]:
        """The names in ``folder``, less symbolic links that lead out of the root (VA106
        rows; followed only with --follow-links)."""
        path = os.path.join(self.root, folder)
        try:
            with os.scandir(path) as listing:
                found = sorted((item.name, item.is_symlink()) for item in listing)
        except OSError as error:
            self.rows.append(Row("VA106", self.shown(folder), "", None, None,
                                 f"{folder} cannot be listed ({error.strerror})", folder))
            return []
        names = []
        for name, link in found:
            if link and not self.follow_links and not inside(self.root_real,
                                                             os.path.join(path, name)):
                self.rows.append(Row("VA106", self.shown(f"{folder}/{name}"), "", None, None,
                                     f"{folder}/{name} is a symbolic link out of the dataset "
                                     "folder (not followed)", f"{folder}/{name}"))
                continue
            names.append(name)
        return names

    def _annotations(self) -> None:
        for klass in self._classes("train_annotations"):
            for name in self._entries(f"train_annotations/{klass}"):
                where = f"train_annotations/{klass}/{name}"
                if not VIDEO_ID.fullmatch(name):
                    self.rows.append(Row("VA201", self.shown(where), "", None, None,
                                         f"folder {show(name, 80)} is not a video name "
                                         "(letters, digits, _ and -)", where))
                    continue
                video = self._video(name, klass)
                video.annotated = where
                video.splits.setdefault("train", self.shown(where))

    def _video_files(self, split: str) -> None:
        folder = f"{split}_videos"
        for klass in self._classes(folder):
            for name in self._entries(f"{folder}/{klass}"):
                stem, dot, _ = name.rpartition(".")
                where = f"{folder}/{klass}/{name}"
                if not dot or not VIDEO_ID.fullmatch(stem):
                    self.rows.append(Row("VA201", self.shown(where), "", None, None,
                                         f"{show(name, 80)} is not <video name>.<suffix>",
                                         where))
                    continue
                self._listed(self._video(stem, klass), split, self.shown(where), where)

    def _flist(self, split: str, source: SourceFile) -> None:
        entries = source.data
        if not isinstance(entries, FrameList):
            return
        for video_id, klass, frames, line in zip(entries.video, entries.klass,
                                                 entries.frames, entries.lines, strict=True):
            if klass is not None and klass not in self.known:
                self.rows.append(Row("VA411", source.display, "", line, 1,
                                     f"line {line}: class {show(klass, 80)} is not one of "
                                     f"the {len(self.known)} Kinetics-TPS classes",
                                     f"{split}-list/{video_id}"))
                continue
            video = self._video(video_id, klass)
            if split in video.flist:
                self.rows.append(Row("VA302", source.display, "", line, 1,
                                     f"video {video_id} is listed again (first on line "
                                     f"{video.flist[split][1]})", f"{split}-list/{video_id}"))
                continue
            video.flist[split] = (source.display, line, frames)
            self._listed(video, split, f"{source.display}:{line}", f"{split}-list/{video_id}",
                         source.display, line)

    def _listed(self, video: Video, split: str, where: str, identity: str,
                file: str | None = None, line: int | None = None) -> None:
        other = "test" if split == "train" else "train"
        if split == "test" and other in video.splits and split not in video.splits:
            self.rows.append(Row("VA301", file or where, "", line, 1 if line else None,
                                 f"video {video.video_id} is in test ({where}) and in train "
                                 f"({video.splits[other]})", f"overlap/{video.video_id}"))
        elif split == "train" and other in video.splits and split not in video.splits:
            self.rows.append(Row("VA301", file or where, "", line, 1 if line else None,
                                 f"video {video.video_id} is in train ({where}) and in test "
                                 f"({video.splits[other]})", f"overlap/{video.video_id}"))
        video.splits.setdefault(split, where)

    def membership_rows(self, has_train_list: bool) -> None:
        """The train list against the annotation folders (VA201: the layout has a
        folder the list lacks, or the list a video the layout lacks)."""
        if not has_train_list:
            return
        for video in self.videos.values():
            if video.annotated and "train" not in video.flist:
                self.rows.append(Row("VA201", self.shown(video.annotated), "", None, None,
                                     f"annotated video {video.video_id} is not in the train "
                                     "frame list", f"unlisted/{video.video_id}"))
            listed = video.flist.get("train")
            if listed and not video.annotated:
                file, line, _ = listed
                self.rows.append(Row("VA201", file, "", line, 1,
                                     f"video {video.video_id} of the train frame list has "
                                     "no annotation folder", f"train-list/{video.video_id}"))


def vocabulary(sources: dict[str, SourceFile]) -> Vocabulary:
    """The three vocabularies; a list that could not be read is None (not checked)."""
    lists = [sources[role].data for role in VOCABULARIES]
    parts, states, objects = (frozenset(n.names) if isinstance(n, Names) else None
                              for n in lists)
    files = tuple(sources[role].display for role in VOCABULARIES)
    return Vocabulary(parts, states, objects, (files[0], files[1], files[2]))


def build(root: str, sources: dict[str, SourceFile], profile: str, max_bytes: int,
          workers: int | None = None, follow_links: bool = False,
          scheduler: str | None = None) -> Dataset:
    dataset = Dataset(root=root, profile=profile, sources=sources)
    layout = Layout(root, sources, follow_links)
    layout.membership_rows(isinstance(sources["train_flist"].data, FrameList))
    words = vocabulary(sources)
    unusable = [sources[role].display for role in VOCABULARIES
                if not isinstance(sources[role].data, Names)]
    if unusable:
        dataset.notes.append(f"VA411 was not checked against {', '.join(unusable)}: "
                             "the list could not be read")
    annotated = [v for v in layout.videos.values() if v.annotated]
    tasks = [VideoTask(root or ".", v.annotated or "", v.video_id) for v in annotated]
    expected = sum(_count(root, t.folder) for t in tasks)
    results = scan_all(tasks, words, max_bytes, workers or default_workers(), expected,
                       min_files=0 if workers else None, scheduler=scheduler)
    rows = layout.rows + [row for result in results for row in result.rows]
    dataset.tables = {
        "problems": problems_table(rows, layout.videos),
        "videos": _videos_table(layout),
        "scans": _scans_table(results, layout, root),
    }
    for role, source in sources.items():
        if source.parsed:
            dataset.usable.add(role)
    shapes: dict[str, int] = {}
    for result in results:
        for shape, n in result.stats.shapes.items():
            shapes[shape] = shapes.get(shape, 0) + n
    dataset.stats = {
        "videos": len(layout.videos),
        "classes": len({v.klass for v in layout.videos.values() if v.klass}),
        "files": sum(r.files for r in results),
        "humans": sum(r.stats.humans for r in results),
        "boxes": sum(r.stats.boxes for r in results),
        "parts_shapes": shapes,
    }
    if shapes:
        names = {"object": "an object keyed by part name", "list": "a list of named parts"}
        described = " and ".join(f"{names[s]} in {n:,} human(s)"
                                 for s, n in sorted(shapes.items()))
        dataset.notes.append(f"parts are written as {described}")
    return dataset


def _count(root: str, folder: str) -> int:
    try:
        return len(os.listdir(os.path.join(root, folder)))
    except OSError:
        return 0


def problems_table(rows: list[Row], known: Collection[str]) -> pd.DataFrame:
    """The rows as a table; ``known``: the video ids, to name the video of a row."""
    data: dict[str, list[Any]] = {name: [] for name in PROBLEM_COLUMNS}
    for row in rows:
        for name in PROBLEM_COLUMNS[:-1]:
            data[name].append(getattr(row, name))
        video = row.identity.split("/")[0] if "/" in row.identity else row.identity
        data["video_id"].append(video if video in known else None)
    return pd.DataFrame({name: pd.Series(values, dtype=object)
                         for name, values in data.items()})


def _videos_table(layout: Layout) -> pd.DataFrame:
    videos = list(layout.videos.values())
    return pd.DataFrame({
        "video_id": pd.Series([v.video_id for v in videos], dtype=object),
        "class": pd.Series([v.klass for v in videos], dtype=object),
        "annotated": pd.Series([v.annotated for v in videos], dtype=object),
        "flist": pd.Series([v.flist for v in videos], dtype=object),
        "splits": pd.Series([v.splits for v in videos], dtype=object),
    })


def _scans_table(results: list[VideoResult], layout: Layout, root: str) -> pd.DataFrame:
    return pd.DataFrame({
        "video_id": pd.Series([r.key for r in results], dtype=object),
        "folder": pd.Series([layout.videos[r.key].annotated for r in results], dtype=object),
        "indices": pd.Series([r.indices for r in results], dtype=object),
        "max_x2": pd.Series([r.stats.max_x2 for r in results], dtype=float),
        "max_y2": pd.Series([r.stats.max_y2 for r in results], dtype=float),
    })
