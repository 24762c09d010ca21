"""Reading one video's per-frame annotations: one task per video, in a process pool.

Kinetics-TPS has 574,851 small JSON files in 3,809 folders. A worker reads a whole
folder (relative to its descriptor, no links followed), parses each file with the C
decoder and checks it (:mod:`.frame_json`); only problems, counts and the frame
indices travel back. A problem is located (line and column of its JSON Pointer) in
the worker, from the text it still holds.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from vidaudit.jsonpos import Locator
from vidaudit.profiles.kinetics_tps.frame_json import FrameChecker, FrameStats, Vocabulary
from vidaudit.values import show

FILE_NAME = re.compile(r"img_(\d{5,})\.json")
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_FILE = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_NONFINITE = re.compile(r"-?Infinity|NaN")
_NONFINITE_SEEN: list[str] = []
_DECODER = json.JSONDecoder(parse_constant=_NONFINITE_SEEN.append)
"""One decoder for every file (``json.loads`` with a keyword argument builds a new
one per call); NaN and Infinity are recorded, not accepted."""
POOL_FROM = 2000
"""Below this many files a pool costs more than it saves."""


@dataclass
class Row:
    """One problem: where it is and what (the ``frame_problems`` table's row)."""

    code: str
    file: str
    pointer: str
    line: int | None
    column: int | None
    message: str
    identity: str


@dataclass
class VideoTask:
    root: str
    """The dataset root as the user gave it (for display)."""
    folder: str
    """``train_annotations/<class>/<video>`` relative to the root (validated names)."""
    key: str
    """``<class>/<video>``."""
    size: tuple[int, int] | None = None
    only: str | None = None
    """Keep only this code's problems (VA408 re-check with the frame size)."""
    at: str = ""
    """Where the root is opened, when not at ``root`` (absolute, on a Dask worker)."""


@dataclass
class VideoResult:
    key: str
    files: int = 0
    indices: list[int] = field(default_factory=list)
    """1-based frame indices of the files, sorted."""
    stats: FrameStats = field(default_factory=FrameStats)
    rows: list[Row] = field(default_factory=list)


def scan(task: VideoTask, vocabulary: Vocabulary, max_bytes: int) -> VideoResult:
    result = VideoResult(task.key)
    checker = FrameChecker(vocabulary, task.size)
    result.stats = checker.stats
    shown = f"{task.root.rstrip('/')}/{task.folder}" if task.root not in ("", ".") \
        else task.folder
    try:
        folder = os.open(os.path.join(task.at or task.root, task.folder), _DIRECTORY | _FILE)
    except OSError as error:
        result.rows.append(Row("VA106", shown, "", None, None,
                               f"annotation folder cannot be read ({error.strerror})", task.key))
        return result
    try:
        names = sorted(os.listdir(folder))
        for name in names:
            file = f"{shown}/{name}"
            match = FILE_NAME.fullmatch(name)
            if match is None or not match.group(1).isascii() or \
                    (len(match.group(1)) > 5 and match.group(1)[0] == "0") or \
                    int(match.group(1)) == 0:
                if task.only is None:
                    result.rows.append(Row(
                        "VA201", file, "", None, None,
                        f"{show(name, 80)} in an annotation folder is not img_NNNNN.json "
                        "(1-based, the frame's stem)", f"{task.key}/{name}"))
                continue
            result.files += 1
            result.indices.append(int(match.group(1)))
            _one(folder, name, file, f"{task.key}/{name}", checker, max_bytes, result,
                 task.only)
    except OSError as error:
        result.rows.append(Row("VA106", shown, "", None, None,
                               f"annotation folder cannot be listed ({error.strerror})",
                               task.key))
    finally:
        os.close(folder)
    result.indices.sort()
    return result


def _one(folder: int, name: str, file: str, identity: str, checker: FrameChecker,
         max_bytes: int, result: VideoResult, only: str | None) -> None:
    rows = result.rows
    try:
        fd = os.open(name, _FILE, dir_fd=folder)
    except OSError as error:
        reason = "is a symbolic link (not followed)" if error.errno == errno.ELOOP else \
            f"cannot be read ({error.strerror})"
        rows.append(Row("VA106", file, "", None, None, f"{name} {reason}", identity))
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            rows.append(Row("VA106", file, "", None, None, f"{name} is not a regular file",
                            identity))
            return
        if info.st_size > max_bytes:
            rows.append(Row("VA107", file, "", None, None, f"{name} has {info.st_size:,} "
                            f"bytes, more than the limit of {max_bytes:,}", identity))
            return
        raw = os.read(fd, info.st_size + 1)
    finally:
        os.close(fd)
    nonfinite = _NONFINITE_SEEN
    nonfinite.clear()
    try:
        data = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError:
        rows.append(Row("VA105", file, "", None, None, f"{name} is not UTF-8", identity))
        return
    except json.JSONDecodeError as error:
        rows.append(Row("VA102", file, "", error.lineno, error.colno,
                        f"not parseable JSON: {error.msg}", identity))
        return
    except RecursionError:
        rows.append(Row("VA102", file, "", None, None, "nested too deeply to parse",
                        identity))
        return
    if nonfinite:
        text = raw.decode("utf-8", errors="replace")
        found = _NONFINITE.search(text)
        line, column = _line_column(text, found.start() if found else 0)
        rows.append(Row("VA104", file, "", line, column, f"non-finite number "
                        f"{nonfinite[0]}: JSON has no NaN or Infinity", identity))
        return
    problems = checker.check(data)
    if only is not None:
        problems = [p for p in problems if p[0] == only]
    if not problems:
        return
    locator = Locator(raw.decode("utf-8"), data, indexable=True)
    for code, pointer, message in problems:
        at, span = locator.nearest(pointer)
        line, column = locator.line_column(span.value)
        rows.append(Row(code, file, at, line, column, message, f"{identity}{pointer}"))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan_all(tasks: Sequence[VideoTask], vocabulary: Vocabulary, max_bytes: int,
             workers: int, expected_files: int, show_progress: bool | None = None,
             min_files: int | None = None, scheduler: str | None = None
             ) -> list[VideoResult]:
    """Results in the order of ``tasks``; on the Dask cluster at ``scheduler`` if one is
    given, else a process pool when there are at least ``min_files`` files (default
    :data:`POOL_FROM`)."""
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    with _Progress(show_progress, len(tasks)) as advance:
        if scheduler and tasks:
            return _on_cluster(tasks, vocabulary, max_bytes, scheduler, advance)
        threshold = POOL_FROM if min_files is None else min_files
        if workers <= 1 or expected_files < threshold or len(tasks) < 2:
            results = []
            for task in tasks:
                results.append(scan(task, vocabulary, max_bytes))
                advance(1)
            return results
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
            futures = [executor.submit(scan, task, vocabulary, max_bytes) for task in tasks]
            done = []
            for future in futures:
                done.append(future.result())
                advance(1)
            return done


def _on_cluster(tasks: Sequence[VideoTask], vocabulary: Vocabulary, max_bytes: int,
                address: str, advance: Callable[[int], None]) -> list[VideoResult]:
    """One task per video on the cluster (vidaudit.frames.cluster); a video whose task
    killed its worker every time it was tried is VA106 on its folder, not lost."""
    from vidaudit.frames.cluster import map_on_cluster

    root = os.path.abspath(tasks[0].root)
    moved = [replace(task, at=os.path.abspath(task.root)) for task in tasks]
    found = map_on_cluster(partial(_scan_each, vocabulary, max_bytes), moved, Path(root),
                           address, advance, name=lambda chunk: "kinetics-tps")
    results = []
    for task, result in zip(tasks, found, strict=True):
        if result is None:
            result = VideoResult(task.key)
            shown = f"{task.root.rstrip('/')}/{task.folder}" \
                if task.root not in ("", ".") else task.folder
            result.rows.append(Row("VA106", shown, "", None, None,
                                   "checking this annotation folder killed the Dask worker "
                                   "that ran it, every time it was tried", task.key))
        results.append(result)
    return results


def _scan_each(vocabulary: Vocabulary, max_bytes: int, tasks: list[VideoTask]
               ) -> list[VideoResult]:
    return [scan(task, vocabulary, max_bytes) for task in tasks]


class _Progress:
    """A progress bar on standard error (a tty only), counting videos."""

    def __init__(self, show: bool, total: int) -> None:
        self.show, self.total = show, total
        self._progress: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.show:
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(TextColumn("reading per-frame annotations"), BarColumn(),
                                  MofNCompleteColumn(), console=Console(stderr=True),
                                  transient=True)
        task = self._progress.add_task("videos", total=self.total)
        self._progress.start()
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
