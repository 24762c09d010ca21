"""One ``vidaudit check`` of an SA-V folder: find its parts, check each video in the
pool, fold the results into a :class:`~.summary.Summary`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import UsageError
from vidaudit.model import Finding
from vidaudit.profiles.sav.layout import Layout, display_path, find_video, scan
from vidaudit.profiles.sav.parallel import run_each, run_on_cluster
from vidaudit.profiles.sav.rules import TRAIN_FILES, TRAIN_VIDEOS, VAL_FOLDERS
from vidaudit.profiles.sav.summary import Summary
from vidaudit.profiles.sav.train import FileRef, TrainTask, VideoResult, check_video
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    from vidaudit.config import Config


def check_folder(root: str, config: Config, settings: dict[str, Any]) -> Summary:
    folder = Path(root)
    try:
        layout = scan(folder)
    except OSError as error:
        raise UsageError(f"cannot list {root}: {error.strerror or error}") from None
    summary = Summary()
    workers = settings.get("workers")
    if layout.has_train:
        tasks = _train_tasks(root, layout, config, settings)
        summary.provides.add(TRAIN_FILES)
        if any(task.video is not None for task in tasks):
            summary.provides.add(TRAIN_VIDEOS)
        if config.scheduler:
            results: Iterable[VideoResult] = run_on_cluster(
                check_video, [_absolute(task) for task in tasks], "checking SA-V videos",
                folder.resolve(), config.scheduler, lambda task: f"sav-{task.video_id}", _lost)
        else:
            results = run_each(check_video, tasks, "checking SA-V videos", workers)
        for result in results:
            summary.add(result)
    if layout.has_val:
        from vidaudit.profiles.sav.valtest import check_split

        summary.provides.add(VAL_FOLDERS)
        check_split(root, layout, config, settings, summary)
    if not layout.has_train and not layout.has_val:
        summary.notes.append(f"{root} holds no SA-V train file (sav_*_manual.json, "
                             "sav_*_auto.json) and no val/test layout")
    return summary


def _train_tasks(root: str, layout: Layout, config: Config,
                 settings: dict[str, Any]) -> list[TrainTask]:
    videos_dir = settings.get("videos")
    if videos_dir is not None and not Path(videos_dir).is_dir():
        raise UsageError(f"videos folder {videos_dir} does not exist or is not a folder")
    inside = None if config.follow_links else str(Path(root))
    tasks = []
    for video in layout.train:
        mp4: FileRef | None = None
        if video.video is not None:
            mp4 = FileRef(str(Path(root) / video.video), display_path(root, video.video))
        elif videos_dir is not None:
            found = find_video(Path(videos_dir), video.video_id)
            mp4 = FileRef(found, found) if found else None
        tasks.append(TrainTask(
            video.video_id,
            _ref(root, video.manual), _ref(root, video.auto), mp4,
            bool(settings.get("deep")), config.max_bytes, inside))
    return tasks


def _ref(root: str, name: str | None) -> FileRef | None:
    return None if name is None else FileRef(str(Path(root) / name), display_path(root, name))


def _absolute(task: TrainTask) -> TrainTask:
    """The task with absolute paths, for a worker whose working folder is not ours (the
    displayed paths stay as the user gave them)."""
    def moved(ref: FileRef | None) -> FileRef | None:
        return None if ref is None else FileRef(os.path.abspath(ref.path), ref.display)

    return replace(task, manual=moved(task.manual), auto=moved(task.auto),
                   video=moved(task.video),
                   root=None if task.root is None else os.path.abspath(task.root))


def _lost(task: TrainTask) -> VideoResult:
    """A video whose checking killed the Dask worker that ran it, every time it was tried
    (a file that exhausts a worker's memory, say): VA106 on its files, not a lost video."""
    result = VideoResult(task.video_id)
    for ref in (task.manual, task.auto):
        if ref is not None:
            result.findings.append(Finding(
                "VA106", RULES["VA106"].severity,
                "checking this file killed the Dask worker that ran it, every time it was "
                "tried", file=ref.display, video_id=task.video_id,
                identity=f"worker-lost/{task.video_id}"))
    return result
