"""One train video: its ``_manual.json`` and ``_auto.json`` (and ``.mp4``) checked
against each other and against their masks. Runs in a worker process; returns located
findings and a few counts, never the parsed files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidaudit.model import Finding
from vidaudit.profiles.sav import rle
from vidaudit.profiles.sav.jsonread import read_masklets
from vidaudit.rules.registry import RULES
from vidaudit.sources import SourceFile

TOLERANCE = 1e-3
SMALL, LARGE = 32 * 32, 96 * 96
PER_OBJECT = ("masklet_id", "masklet_size_rel", "masklet_size_abs", "masklet_size_bucket",
              "masklet_visibility_changes", "masklet_first_appeared_frame",
              "masklet_frame_count", "masklet_edited_frame_count", "masklet_type")
VIDEO_FIELDS = ("video_id", "video_duration", "video_frame_count", "video_height",
                "video_width", "video_resolution", "video_environment", "video_split")


@dataclass(frozen=True)
class FileRef:
    path: str
    display: str


@dataclass(frozen=True)
class TrainTask:
    video_id: str
    manual: FileRef | None
    auto: FileRef | None
    video: FileRef | None
    deep: bool
    max_bytes: int
    root: str | None
    """The folder a symbolic link may not leave (None: links followed)."""


@dataclass
class VideoResult:
    video_id: str
    findings: list[Finding] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    masklets: dict[str, int] = field(default_factory=dict)
    """kind (manual/auto) -> masklet_num of that file, when it was checked."""
    buckets: dict[str, int] = field(default_factory=dict)
    flagged: tuple[str, int, int] | None = None
    """(file path, annotated frame, object) of a mask a rule flagged, for a thumbnail."""
    layout: str = "train"


class _File:
    """One parsed masklet file and the findings about it."""

    def __init__(self, kind: str, source: SourceFile, video_id: str) -> None:
        self.kind, self.source, self.video_id = kind, source, video_id
        self.findings: list[Finding] = []

    def add(self, code: str, message: str, pointer: str, identity: str = "") -> None:
        self.findings.append(Finding(code, RULES[code].severity, message,
                                     file=self.source.display, pointer=pointer,
                                     video_id=self.video_id, identity=identity or pointer))


def check_video(task: TrainTask) -> VideoResult:
    result = VideoResult(task.video_id)
    every: list[_File] = []
    checked: dict[str, _File] = {}
    root = Path(task.root) if task.root is not None else None
    for kind, ref in (("manual", task.manual), ("auto", task.auto)):
        if ref is None:
            continue
        source, shaped = read_masklets(kind, Path(ref.path), ref.display, task.max_bytes, root)
        result.inputs.append({"path": ref.display, "sha256": source.sha256,
                              "bytes": source.size})
        file = _File(kind, source, task.video_id)
        every.append(file)
        for finding in source.findings:
            finding.video_id = task.video_id
            file.findings.append(finding)
        if not source.parsed or source.data is None or source.findings:
            continue
        if shaped:
            _check_file(file, result, task.deep)
            checked[kind] = file
        else:
            _schema(file)
    _check_pair(task, checked, result)
    if task.video is not None and "manual" in checked:
        _check_video_file(task.video, checked["manual"], result)
    for file in every:
        _locate(file)
        result.findings.extend(file.findings)
    return result


def _schema(file: _File) -> None:
    from vidaudit.schemacheck import load_schema, schema_findings

    for finding in schema_findings(file.source, load_schema("sav_masklets")):
        finding.video_id = file.video_id
        file.findings.append(finding)


# --- one file ------------------------------------------------------------------------

def _check_file(file: _File, result: VideoResult, deep: bool) -> None:
    data = file.source.data
    n = int(data["masklet_num"])
    height, width = int(data["video_height"]), int(data["video_width"])
    frames: list[list[dict[str, Any]]] = data["masklet"]
    result.masklets[file.kind] = n
    lengths_ok = _lengths(file, data, n)
    _frame_count(file, data)
    areas = _areas(file, frames, n, height, width, deep, result)
    _video_numbers(file, data, height, width)
    _kind(file, data)
    for bucket in data["masklet_size_bucket"]:
        result.buckets[bucket] = result.buckets.get(bucket, 0) + 1
    if lengths_ok:
        _statistics(file, data, areas, height * width, result)


def _lengths(file: _File, data: dict[str, Any], n: int) -> bool:
    """VA801; True when every per-object list has ``n`` entries."""
    ok = True
    for key in PER_OBJECT:
        if len(data[key]) != n:
            ok = False
            file.add("VA801", f"{key} has {len(data[key])} entries, but masklet_num is {n}",
                     f"/{key}")
    stability = data["masklet_stability_score"]
    if file.kind == "auto" and any(isinstance(v, list) for v in stability):
        # The auto file's stability scores are frames x objects, like masklet.
        if len(stability) != len(data["masklet"]):
            file.add("VA801", f"masklet_stability_score has {len(stability)} frames, but "
                     f"masklet has {len(data['masklet'])}", "/masklet_stability_score")
        _inner_lengths(file, stability, n, "masklet_stability_score")
    elif len(stability) != n:
        file.add("VA801", f"masklet_stability_score has {len(stability)} entries, but "
                 f"masklet_num is {n}", "/masklet_stability_score")
    _inner_lengths(file, data["masklet"], n, "masklet")
    return ok


def _inner_lengths(file: _File, frames: list[Any], n: int, key: str) -> None:
    wrong = [i for i, frame in enumerate(frames)
             if not isinstance(frame, list) or len(frame) != n]
    if wrong:
        first = wrong[0]
        size = len(frames[first]) if isinstance(frames[first], list) else 1
        more = f" (and {len(wrong) - 1} more frames)" if len(wrong) > 1 else ""
        file.add("VA801", f"{key}[{first}] has {size} entries, but masklet_num is {n}{more}",
                 f"/{key}/{first}")


def _frame_count(file: _File, data: dict[str, Any]) -> None:
    """VA802."""
    count = len(data["masklet"])
    total = int(data["video_frame_count"])
    expected = math.ceil(total / 4)
    if count != expected:
        file.add("VA802", f"masklet has {count} annotated frames, but a video of {total} "
                 f"frames annotated every 4th frame has ceil({total}/4) = {expected}",
                 "/masklet")
    for i, value in enumerate(data["masklet_frame_count"]):
        if value != count:
            file.add("VA802", f"masklet_frame_count of masklet {i} is {_show(value)}, but "
                     f"masklet has {count} annotated frames", f"/masklet_frame_count/{i}")


def _areas(file: _File, frames: list[list[dict[str, Any]]], n: int, height: int, width: int,
           deep: bool, result: VideoResult) -> np.ndarray:
    """VA803, VA804 (the first bad frame of each object, with how many more); the area
    of each (frame, object), NaN where the RLE is unusable or missing."""
    count = len(frames)
    areas = np.full((count, n), np.nan)
    kept = [frame[:n] for frame in frames]
    items = [item for frame in kept for item in frame]
    frame_at = np.repeat(np.arange(count), [len(frame) for frame in kept])
    object_at = np.concatenate([np.arange(len(frame)) for frame in kept]) if kept \
        else np.zeros(0, dtype=np.int64)
    where = list(zip(frame_at.tolist(), object_at.tolist(), strict=True))
    strings = [item["counts"] for item in items]
    sizes = [item["size"] for item in items]
    distinct = {(size[0], size[1]) for size in sizes}
    wrong_size: dict[int, list[tuple[int, list[Any]]]] = {}
    if distinct == {(height, width)}:
        pixels = [height * width] * len(items)
    else:
        pixels = [int(size[0]) * int(size[1]) for size in sizes]
        for (f, o), size in zip(where, sizes, strict=True):
            if size[0] != height or size[1] != width:
                wrong_size.setdefault(o, []).append((f, size))
    for o, bad in sorted(wrong_size.items()):
        f, size = bad[0]
        swapped = size[0] == width and size[1] == height and height != width
        hint = " (height and width swapped: COCO sizes are [height, width])" if swapped else ""
        more = f"; {len(bad) - 1} more frames of this masklet too" if len(bad) > 1 else ""
        file.add("VA803", f"RLE size is [{_show(size[0])}, {_show(size[1])}], but the video "
                 f"is [{height}, {width}] (height, width){hint}{more}",
                 f"/masklet/{f}/{o}/size", identity=f"size/{o}")
        if not result.flagged:
            result.flagged = (file.source.display, f, o)
    measured = rle.measure(strings, pixels) if deep else rle.measure_fast(strings, pixels)
    if items:
        areas[frame_at, object_at] = np.where(measured.valid, measured.area, np.nan)
    invalid: dict[int, list[tuple[int, str]]] = {}
    for i in np.flatnonzero(~measured.valid).tolist():
        f, o = where[i]
        invalid.setdefault(o, []).append((f, measured.problem[i]))
    for o, failed in sorted(invalid.items()):
        f, problem = failed[0]
        more = f"; {len(failed) - 1} more frames of this masklet too" \
            if len(failed) > 1 else ""
        file.add("VA804", f"RLE counts of masklet {o} at annotated frame {f} {problem}{more}",
                 f"/masklet/{f}/{o}/counts", identity=f"counts/{o}")
    if deep:
        _decode_all(file, frames, where, measured, areas)
    return areas


def _decode_all(file: _File, frames: list[list[dict[str, Any]]], where: list[tuple[int, int]],
                measured: rle.Measured, areas: np.ndarray) -> None:
    """--deep: decode every valid mask with pycocotools; its pixels must match the runs."""
    for (f, o), ok in zip(where, measured.valid.tolist(), strict=True):
        if not ok:
            continue
        item = frames[f][o]
        pixels = rle.decode(item["counts"], int(item["size"][0]), int(item["size"][1]))
        if int(pixels.sum()) != areas[f, o]:
            file.add("VA804", f"RLE of masklet {o} at annotated frame {f} decodes to "
                     f"{int(pixels.sum())} pixels but its runs say {int(areas[f, o])}",
                     f"/masklet/{f}/{o}/counts", identity=f"decoded/{o}")


def _video_numbers(file: _File, data: dict[str, Any], height: int, width: int) -> None:
    """VA805 (resolution), VA809."""
    resolution = data["video_resolution"]
    if not _close(resolution, height * width):
        file.add("VA805", f"video_resolution is {_show(resolution)}, but height x width is "
                 f"{height} x {width} = {height * width}", "/video_resolution")
    duration, total = data["video_duration"], data["video_frame_count"]
    if abs(duration * 24 - total) > 1:
        file.add("VA809", f"video_duration {_show(duration)} s at 24 fps is "
                 f"{duration * 24:g} frames, but video_frame_count is {_show(total)}",
                 "/video_duration")


def _kind(file: _File, data: dict[str, Any]) -> None:
    """VA810 within one file: masklet_type against the name, video_id against the name,
    and the auto-only rules."""
    types = data["masklet_type"]
    wrong = [i for i, t in enumerate(types) if t != file.kind]
    if wrong:
        more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
        file.add("VA810", f"masklet_type {types[wrong[0]]!r} in a file named _{file.kind}.json"
                 f"{more}", f"/masklet_type/{wrong[0]}")
    if data["video_id"] != file.video_id:
        file.add("VA810", f"video_id is {data['video_id']!r}, but the file is named after "
                 f"{file.video_id}", "/video_id")
    if file.kind != "auto":
        return
    for key, what in (("masklet_first_appeared_frame", "first appearance"),
                      ("masklet_edited_frame_count", "edited frame count")):
        for i, value in enumerate(data[key]):
            if value != 0:
                file.add("VA810", f"automatic masklet {i} has {what} {_show(value)}; "
                         "automatic masklets have 0", f"/{key}/{i}")


def _statistics(file: _File, data: dict[str, Any], areas: np.ndarray, resolution: int,
                result: VideoResult) -> None:
    """VA805 (per masklet), VA806, VA807, VA808, VA811."""
    for o in range(areas.shape[1]):
        column = areas[:, o]
        if np.isnan(column).any():
            continue  # an unusable RLE (VA804) or a missing one (VA801)
        visible = column > 0
        if not visible.any():
            file.add("VA811", f"masklet {o} (id {_show(data['masklet_id'][o])}) is empty in "
                     f"all {len(column)} annotated frames", f"/masklet_id/{o}")
            continue
        first = int(np.argmax(visible))
        mean = float(column[visible].mean())
        recorded = data["masklet_size_abs"][o]
        if not _close(recorded, mean):
            file.add("VA805", f"masklet_size_abs of masklet {o} is {_show(recorded)}, but its "
                     f"mean area over the {int(visible.sum())} frames where it is visible is "
                     f"{mean:.4f}", f"/masklet_size_abs/{o}")
            if not result.flagged:
                result.flagged = (file.source.display, first, o)
        relative = data["masklet_size_rel"][o]
        if not _close(relative, recorded / resolution if resolution else 0.0):
            file.add("VA805", f"masklet_size_rel of masklet {o} is {_show(relative)}, but "
                     f"masklet_size_abs / resolution is {recorded / resolution:.6g}",
                     f"/masklet_size_rel/{o}")
        bucket = data["masklet_size_bucket"][o]
        allowed = _buckets(recorded)
        if allowed and bucket not in allowed:
            file.add("VA806", f"masklet {o} is in bucket {bucket!r}, but masklet_size_abs "
                     f"{_show(recorded)} makes it {' or '.join(repr(b) for b in allowed)} "
                     "(small < 32² <= medium < 96² < large)", f"/masklet_size_bucket/{o}")
        stated = data["masklet_first_appeared_frame"][o]
        if file.kind == "manual" and stated != first:
            file.add("VA807", f"masklet_first_appeared_frame of masklet {o} is {_show(stated)}, "
                     f"but it is first visible at annotated frame {first}",
                     f"/masklet_first_appeared_frame/{o}")
            if not result.flagged:
                result.flagged = (file.source.display, first, o)
        changes = int(np.count_nonzero(visible[first + 1:] != visible[first:-1]))
        stated_changes = data["masklet_visibility_changes"][o]
        if stated_changes != changes:
            file.add("VA808", f"masklet_visibility_changes of masklet {o} is "
                     f"{_show(stated_changes)}, but the masks change visibility {changes} "
                     f"times after the first appearance", f"/masklet_visibility_changes/{o}")


def _buckets(size_abs: float) -> tuple[str, ...]:
    if size_abs < 1:
        return ()
    if size_abs < SMALL:
        return ("small",)
    if size_abs < LARGE:
        return ("medium",)
    if size_abs == LARGE:
        return ("medium", "large")
    return ("large",)


# --- the pair and the video ------------------------------------------------------------

def _check_pair(task: TrainTask, files: dict[str, _File], result: VideoResult) -> None:
    """VA810 across the two files."""
    auto = files.get("auto")
    if task.auto is not None and task.manual is None:
        result.findings.append(Finding(
            "VA810", RULES["VA810"].severity,
            f"{Path(task.auto.display).name} has no {task.video_id}_manual.json beside it "
            "(every SA-V video has a manual file)", file=task.auto.display, pointer="",
            video_id=task.video_id, identity="no-manual"))
    manual = files.get("manual")
    if auto is None or manual is None:
        return
    for key in VIDEO_FIELDS:
        mine, theirs = auto.source.data[key], manual.source.data[key]
        if mine != theirs:
            auto.add("VA810", f"{key} is {_show(mine)} here but {_show(theirs)} in "
                     f"{Path(manual.source.display).name}", f"/{key}")


def _check_video_file(video: FileRef, manual: _File, result: VideoResult) -> None:
    """VA812, or VA405 when the video cannot be read."""
    from vidaudit.frames.paths import Entry
    from vidaudit.frames.video import probe_video

    path = Path(video.path)
    row = probe_video(path.parent, str(path.parent.resolve()), Entry(manual.video_id,
                                                                    path.name))
    if row.unreadable:
        result.findings.append(Finding("VA405", RULES["VA405"].severity,
                                       f"video {path.name} {row.unreadable}",
                                       file=video.display, video_id=manual.video_id,
                                       identity="video"))
        return
    data = manual.source.data
    total, height, width = data["video_frame_count"], data["video_height"], data["video_width"]
    if row.frame_count is not None and row.frame_count != total:
        manual.add("VA812", f"{path.name} has {row.frame_count} frames (as its container "
                   f"says), but video_frame_count is {_show(total)}", "/video_frame_count")
    if (row.width, row.height) != (width, height):
        manual.add("VA812", f"{path.name} is {row.width}x{row.height}, but the JSON says "
                   f"{_show(width)}x{_show(height)} (width x height)", "/video_height")


# --- helpers ---------------------------------------------------------------------------

def _locate(file: _File) -> None:
    """Line and column of each finding's pointer (the worker still has the text)."""
    locator = file.source.locator
    if locator is None:
        return
    for finding in file.findings:
        if finding.line is not None:
            continue
        occurrence = finding.extra.get("occurrence")
        pointer, span = locator.nearest(finding.pointer,
                                        occurrence if isinstance(occurrence, int) else None)
        finding.pointer = pointer
        offset = span.key if finding.code == "VA103" and span.key is not None else span.value
        finding.line, finding.column = locator.line_column(offset)


def _close(value: float, expected: float) -> bool:
    return math.isclose(value, expected, rel_tol=TOLERANCE, abs_tol=1e-9)


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return repr(value) if isinstance(value, str) else str(value)
