"""Kinetics-TPS frames and videos: ``--frames DIR`` holds ``DIR/<class>/<video>/
img_%05d.jpg`` (1-based, mmaction2's extraction), ``--videos DIR`` holds
``DIR/<class>/<video>.<suffix>``. Videos are named by class and name, not by a
numeric id, so the profile finds them itself and hands them to the shared probes
(:mod:`vidaudit.frames.pool`); the join adds VA401, VA402, VA406 and VA408 rows to
the ``problems`` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from vidaudit.frames.paths import VIDEO_SUFFIXES, Entry, FrameNaming
from vidaudit.profiles.kinetics_tps.tables import problems_table, vocabulary
from vidaudit.profiles.kinetics_tps.walk import Row, VideoTask, scan
from vidaudit.rules.boxes import TOLERANCE

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.frames.rows import MediaRow

NAMING = FrameNaming(prefix="img_", digits=5, first=1)
RESCAN_BYTES = 1 << 40
"""The re-check reads files the first pass read already (within the configured limit)."""


def wanted(dataset: Dataset) -> list[str]:
    """Videos whose media the frame rules need: every video with a class."""
    videos = dataset.tables["videos"]
    return [v for v, k in zip(videos["video_id"], videos["class"], strict=True) if k]


def entries(dataset: Dataset, root: Path, kind: str) -> dict[str, Entry]:
    """The media found for the videos that have a class; the others get VA401."""
    videos = dataset.tables["videos"]
    classes = dict(zip(videos["video_id"], videos["class"], strict=True))
    found = {}
    for video in wanted(dataset):
        entry = _entry(root, classes[video], video, kind)
        if entry is not None:
            found[video] = entry
    return found


def _entry(root: Path, klass: str, video: str, kind: str) -> Entry | None:
    """The media of a video whose class and name were validated (class among the 24,
    name of letters, digits, _ and -); links are flagged so the probe checks they stay
    inside the root."""
    class_dir = root / klass
    link = class_dir.is_symlink()
    if kind == "frames":
        path = class_dir / video
        if not (path.exists() or path.is_symlink()):
            return None
        return Entry(video, f"{klass}/{video}", link or path.is_symlink())
    for suffix in VIDEO_SUFFIXES:
        path = class_dir / f"{video}{suffix}"
        if path.exists() or path.is_symlink():
            return Entry(video, f"{klass}/{video}{suffix}", link or path.is_symlink())
    return None


def attach(dataset: Dataset, rows: Mapping[str, MediaRow], where: Mapping[str, str],
           missing: str) -> None:
    """VA401 (no media), VA402 (an annotation beyond the frames), VA406 (a frame list
    disagreeing with the frames) and VA408 (boxes beyond the frame size) as rows."""
    videos = dataset.tables["videos"]
    found: list[Row] = []
    sizes: dict[str, tuple[int, int]] = {}
    for video, klass, annotated, flist in zip(videos["video_id"], videos["class"],
                                              videos["annotated"], videos["flist"],
                                              strict=True):
        if not klass:
            continue
        row = rows.get(video)
        count = row.frame_count if row is not None else None
        if not count:
            detail = missing if row is None else "its frame source has 0 frames"
            file, line = _listing(dataset, annotated, flist)
            found.append(Row("VA401", file, "", line, 1 if line else None,
                             f"video {video} has no frames: {detail}", f"{video}/media"))
            continue
        assert row is not None
        if row.has_size:
            sizes[video] = (int(row.width or 0), int(row.height or 0))
        for split, (file, line, frames) in sorted(flist.items()):
            if row.count_method != "container" and frames != count:
                found.append(Row("VA406", file, "", line, 1,
                                 f"the {split} frame list says video {video} has {frames} "
                                 f"frames, but {where[video]} has {count}",
                                 f"{split}-list/{video}/count"))
    scans = dataset.tables["scans"]
    root = dataset.root or "."
    words = vocabulary(dataset.sources)
    for video, folder, indices, max_x2, max_y2 in zip(
            scans["video_id"], scans["folder"], scans["indices"], scans["max_x2"],
            scans["max_y2"], strict=True):
        row = rows.get(video)
        if row is None or not row.frame_count:
            continue
        shown = folder if root in ("", ".") else f"{root.rstrip('/')}/{folder}"
        for index in indices:
            if index > row.frame_count:
                found.append(Row("VA402", f"{shown}/{NAMING.prefix}{index:05d}.json", "",
                                 None, None, f"annotation of frame {index} of video {video} "
                                 f"is beyond its {row.frame_count} frames ({where[video]})",
                                 f"{video}/img_{index:05d}.json/frame"))
        size = sizes.get(video)
        if size is not None and \
                (max_x2 > size[0] + TOLERANCE or max_y2 > size[1] + TOLERANCE):
            task = VideoTask(root, folder, video, size=size, only="VA408")
            found.extend(scan(task, words, RESCAN_BYTES).rows)
    if found:
        dataset.tables["problems"] = pd.concat(
            [dataset.tables["problems"], problems_table(found, set(videos["video_id"]))],
            ignore_index=True)


def _listing(dataset: Dataset, annotated: str | None,
             flist: dict[str, tuple[str, int, int]]) -> tuple[str, int | None]:
    """Where a video is listed, for a finding about it: its annotation folder, else the
    first frame list that names it."""
    if annotated:
        root = dataset.root or "."
        return (annotated if root in ("", ".") else f"{root.rstrip('/')}/{annotated}"), None
    split = sorted(flist)[0]
    return flist[split][0], flist[split][1]
