"""SA-V val/test folders: the split lists against the video folders (in this process),
then each video's frames and masks (one task per video, in the pool).

A video's masks are either per-object folders (``Annotations_6fps/{video}/{object:03d}/
{frame:05d}.png``, binary masks) or, as the official evaluator also accepts, the DAVIS
layout: one multi-object PNG per frame directly in the video's folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.frames.paths import FrameNaming
from vidaudit.frames.rows import MediaRow
from vidaudit.model import Finding
from vidaudit.profiles.sav.layout import FRAMES_DIR, MASKS_DIR, Layout, display_path, is_sav_id
from vidaudit.profiles.sav.parallel import run_each, run_on_cluster
from vidaudit.profiles.sav.summary import Summary
from vidaudit.rules.registry import RULES
from vidaudit.safeio import Refused, read_regular

if TYPE_CHECKING:
    from vidaudit.config import Config

FRAME_NAMING = FrameNaming(prefix="", digits=5, first=0, suffix=".jpg")
"""``JPEGImages_24fps/{video}/00000.jpg``, from 0."""
OBJECT_NAME = re.compile(r"[0-9]{3}")
MASK_NAME = re.compile(r"([0-9]{5,})\.png")
MAX_LIST_BYTES = 16 << 20


def _finding(code: str, message: str, file: str, video_id: str | None = None,
             line: int | None = None) -> Finding:
    return Finding(code, RULES[code].severity, message, file=file, video_id=video_id,
                   line=line, column=1 if line else None,
                   identity=f"{file}#{line}" if line else file)


# --- the lists and folders (VA820) ------------------------------------------------------

def _read_list(root: str, name: str, findings: list[Finding], inside: Path | None
               ) -> dict[str, int]:
    """Video id -> line of its first listing."""
    path = Path(root) / name
    display = display_path(root, name)
    try:
        text = read_regular(path, MAX_LIST_BYTES, inside).decode("utf-8", errors="replace")
    except (Refused, OSError) as error:
        findings.append(_finding("VA820", f"{name} cannot be read: {error}", display))
        return {}
    listed: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        item = line.strip()
        if not item:
            continue
        if not is_sav_id(item):
            findings.append(_finding("VA820", f"{item[:80]!r} is not an SA-V video id "
                                     "(sav_ and digits)", display, line=number))
            continue
        listed.setdefault(item, number)
    return listed


def _folders(root: str, name: str, findings: list[Finding]) -> set[str]:
    ids: set[str] = set()
    base = Path(root) / name
    if not base.is_dir():
        return ids
    with os.scandir(base) as listing:
        for item in listing:
            if is_sav_id(item.name) and item.is_dir(follow_symlinks=False):
                ids.add(item.name)
            else:
                findings.append(_finding(
                    "VA820", f"{item.name[:80]!r} under {name}/ is not a video folder "
                    "(sav_ and digits)", display_path(root, name, item.name)))
    return ids


def _compare(root: str, layout: Layout, listed: dict[str, tuple[str, int]],
             frames: set[str], masks: set[str], findings: list[Finding]) -> None:
    for video_id, (list_name, line) in sorted(listed.items()):
        for have, folder in ((frames, FRAMES_DIR), (masks, MASKS_DIR)):
            if video_id not in have:
                findings.append(_finding("VA820", f"{list_name} lists {video_id}, but "
                                         f"{folder}/ has no folder for it",
                                         display_path(root, list_name), video_id, line))
    lists = " or ".join(layout.lists)
    for have, folder, other, other_name in ((frames, FRAMES_DIR, masks, MASKS_DIR),
                                            (masks, MASKS_DIR, frames, FRAMES_DIR)):
        for video_id in sorted(have):
            if layout.lists and video_id not in listed:
                findings.append(_finding("VA820", f"{folder}/{video_id} is not in {lists}",
                                         display_path(root, folder, video_id), video_id))
            elif not layout.lists and video_id not in other:
                findings.append(_finding("VA820", f"{folder}/{video_id} has no folder in "
                                         f"{other_name}/", display_path(root, folder,
                                                                       video_id), video_id))


# --- one video ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ValTask:
    video_id: str
    root: str
    """The folder as the user gave it (for display)."""
    frames: bool
    masks: bool
    deep: bool
    inside: str | None
    at: str = ""
    """Where the folder is opened, when not at ``root`` (absolute, on a Dask worker)."""

    @property
    def opened(self) -> Path:
        return Path(self.at or self.root)


@dataclass
class ValResult:
    video_id: str
    findings: list[Finding] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    layout: str = "objects"
    masks: int = 0
    flagged: tuple[str, int, int] | None = None
    frames: tuple[MediaRow, str] | None = None
    """The probed frames folder and its path, for the manifest table."""


def check_val_video(task: ValTask) -> ValResult:
    from vidaudit.frames.folder import probe_folder
    from vidaudit.frames.paths import Entry

    result = ValResult(task.video_id)
    frames_root = task.opened / FRAMES_DIR
    frame_names: set[str] = set()
    frame_size: tuple[int, int] | None = None
    if task.frames:
        row = probe_folder(frames_root, os.path.realpath(frames_root),
                           Entry(task.video_id, task.video_id), task.deep, FRAME_NAMING)
        where = display_path(task.root, FRAMES_DIR, task.video_id)
        # VA404-VA406 on the frames: the shared checks of the manifest table (see build).
        result.frames = (row, where)
        if row.has_size:
            frame_size = (int(row.width or 0), int(row.height or 0))
        try:
            frame_names = set(os.listdir(frames_root / task.video_id))
        except OSError:
            frame_names = set()
    if task.masks:
        _masks(task, result, frame_names, frame_size)
    return result


def _masks(task: ValTask, result: ValResult, frame_names: set[str],
           frame_size: tuple[int, int] | None) -> None:
    base = task.opened / MASKS_DIR / task.video_id
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError as error:
        result.findings.append(_finding("VA405", f"cannot list the masks of {task.video_id}: "
                                        f"{error.strerror or error}",
                                        display_path(task.root, MASKS_DIR, task.video_id),
                                        task.video_id))
        return
    folders = [e for e in entries if e.is_dir(follow_symlinks=False)]
    if not folders and entries:
        result.layout = "davis"
        _object(task, result, [e.name for e in entries], (), frame_names, frame_size,
                davis=True)
        return
    for entry in folders:
        where = display_path(task.root, MASKS_DIR, task.video_id, entry.name)
        if not OBJECT_NAME.fullmatch(entry.name):
            result.findings.append(_finding("VA825", f"object folder {entry.name[:80]!r} of "
                                            f"{task.video_id} is not named by three digits",
                                            where, task.video_id))
            continue
        try:
            names = sorted(os.listdir(base / entry.name))
        except OSError:
            names = []
        _object(task, result, names, (entry.name,), frame_names, frame_size, davis=False)


def _object(task: ValTask, result: ValResult, names: list[str], sub: tuple[str, ...],
            frame_names: set[str], frame_size: tuple[int, int] | None, davis: bool) -> None:
    """The masks of one object folder (or, DAVIS, of the video folder)."""
    from vidaudit.profiles.sav.pngmask import distinct_values, read_mask

    inside = Path(task.inside) if task.inside is not None else None
    shown = (MASKS_DIR, task.video_id, *sub)
    indexed: list[tuple[int, str]] = []
    for name in names:
        where = display_path(task.root, *shown, name)
        match = MASK_NAME.fullmatch(name)
        if match is None:
            result.findings.append(_finding("VA821", f"{name[:80]!r} is not a mask named "
                                            "after a frame (NNNNN.png)", where, task.video_id))
            continue
        indexed.append((int(match.group(1)), name))
    seen: dict[int, set[int]] = {}
    """Frame index -> the object values visible in it (1 for a per-object mask)."""
    unknown = False
    """A mask could not be read: whether the object is ever visible is not known."""
    for index, name in indexed:
        where = display_path(task.root, *shown, name)
        result.masks += 1
        if index % 4:
            result.findings.append(_finding("VA824", f"mask of frame {index} of "
                                            f"{task.video_id}: {index} is not a multiple "
                                            "of 4 (6 fps annotation)", where, task.video_id))
        frame = name[:-4] + ".jpg"
        if task.frames and frame not in frame_names:
            result.findings.append(_finding("VA821", f"mask {name} has no frame "
                                            f"{FRAMES_DIR}/{task.video_id}/{frame}", where,
                                            task.video_id))
        mask = read_mask(task.opened.joinpath(*shown, name), inside)
        if mask.problem:
            result.findings.append(_finding("VA405", f"mask {name} {mask.problem}", where,
                                            task.video_id))
            unknown = True
            continue
        size = _frame_size(task, frame, frame_size, frame_names)
        if size is not None and (mask.width, mask.height) != size:
            result.findings.append(_finding(
                "VA822", f"mask {name} is {mask.width}x{mask.height}, its frame "
                f"{size[0]}x{size[1]}", where, task.video_id))
        assert mask.pixels is not None
        if not davis and distinct_values(mask.pixels) > 2:
            result.findings.append(_finding(
                "VA823", f"mask {name} holds {distinct_values(mask.pixels)} different "
                "values; a per-object mask has two", where, task.video_id))
        seen[index] = _objects(mask.pixels, davis)
    if not unknown:
        _empty(task, result, seen, shown, davis)


def _frame_size(task: ValTask, frame: str, video_size: tuple[int, int] | None,
                frame_names: set[str]) -> tuple[int, int] | None:
    """The frame's size: its own header with --deep, else the video's."""
    if not task.deep or frame not in frame_names:
        return video_size
    from vidaudit.frames.jpeg import BadJpeg, header_size

    try:
        return header_size(task.opened / FRAMES_DIR / task.video_id / frame)
    except (BadJpeg, OSError):
        return video_size


def _objects(pixels: Any, davis: bool) -> set[int]:
    import numpy as np

    if not davis:
        return {1} if bool(np.any(pixels)) else set()
    plane = pixels if pixels.ndim == 2 else pixels[..., 0]
    return {int(v) for v in np.unique(plane).tolist() if v}


def _empty(task: ValTask, result: ValResult, seen: dict[int, set[int]],
           shown: tuple[str, ...], davis: bool) -> None:
    """VA811: each object must be visible in an evaluated frame (the evaluator skips the
    first and last annotated frames)."""
    if not seen:
        return
    frames = sorted(seen)
    evaluated = frames[1:-1]
    everywhere = set().union(*seen.values())
    scored = set().union(*(seen[f] for f in evaluated)) if evaluated else set()
    objects = sorted(everywhere) if davis else [1]
    where = display_path(task.root, *shown)
    for value in objects:
        if value in scored:
            continue
        what = f"object {value} of {task.video_id} (DAVIS value)" if davis else \
            f"object {shown[-1]} of {task.video_id}"
        result.findings.append(_finding(
            "VA811", f"{what} is empty in every evaluated frame (the first and last "
            "annotated frames are not evaluated)", where, task.video_id))


# --- the split -------------------------------------------------------------------------

def check_split(root: str, layout: Layout, config: Config, settings: dict[str, Any],
                summary: Summary) -> None:
    findings: list[Finding] = []
    inside = None if config.follow_links else Path(root)
    listed: dict[str, tuple[str, int]] = {}
    for name in layout.lists:
        for video_id, line in _read_list(root, name, findings, inside).items():
            listed.setdefault(video_id, (name, line))
    frames = _folders(root, FRAMES_DIR, findings)
    masks = _folders(root, MASKS_DIR, findings)
    _compare(root, layout, listed, frames, masks, findings)
    summary.findings.extend(findings)
    ids = sorted(masks | frames, key=lambda v: (len(v), v))
    tasks = [ValTask(v, root, v in frames, v in masks, bool(settings.get("deep")),
                     None if inside is None else str(inside)) for v in ids]
    results: Iterable[ValResult]
    if config.scheduler:
        at = os.path.abspath(root)
        results = run_on_cluster(
            check_val_video, [replace(task, at=at, inside=task.inside and os.path.abspath(
                task.inside)) for task in tasks], "checking SA-V val/test videos",
            Path(at), config.scheduler, lambda task: f"sav-{task.video_id}", _lost)
    else:
        results = run_each(check_val_video, tasks, "checking SA-V val/test videos",
                           settings.get("workers"))
    for result in results:
        summary.add(result)
    layouts = {k: v for k, v in summary.layouts.items() if k != "train"}
    if layouts:
        described = ", ".join(f"{n} {'in the DAVIS layout (one multi-object PNG per frame)' if k == 'davis' else 'with per-object mask folders'}"  # noqa: E501
                              for k, n in sorted(layouts.items()))
        summary.notes.append(f"val/test layout: {described}")


def _lost(task: ValTask) -> ValResult:
    """A video whose checking killed the Dask worker that ran it, every time it was tried:
    VA106 on its folders, not a lost video."""
    result = ValResult(task.video_id)
    for present, folder in ((task.frames, FRAMES_DIR), (task.masks, MASKS_DIR)):
        if present:
            result.findings.append(_finding(
                "VA106", "checking this folder killed the Dask worker that ran it, every "
                "time it was tried", display_path(task.root, folder, task.video_id),
                task.video_id))
    return result
