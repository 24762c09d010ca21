"""Run one task per video, in worker processes (or on a Dask cluster), in task order.

At most a few tasks per worker are in flight, so memory holds a handful of videos'
results at a time whatever the split's size; each result is folded into the run's
counts (and its findings kept) before the next is taken. Workers come from
:func:`vidaudit.frames.pool.default_workers`; a progress bar goes to a terminal.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from vidaudit.frames.pool import default_workers

T = TypeVar("T")
R = TypeVar("R")

POOL_FROM = 8
"""Below this many videos, starting workers costs more than it saves."""
IN_FLIGHT = 4
"""Tasks queued per worker."""


def run_each(function: Callable[[T], R], tasks: Sequence[T], label: str,
             workers: int | None = None, show_progress: bool | None = None) -> Iterator[R]:
    """``function(task)`` for each task, in order."""
    workers = max(1, workers or default_workers())
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    advance, stop = _progress(show_progress, len(tasks), label)
    try:
        if workers == 1 or len(tasks) < POOL_FROM:
            for task in tasks:
                yield function(task)
                advance()
            return
        yield from _pooled(function, tasks, workers, advance)
    finally:
        stop()


def run_on_cluster(function: Callable[[T], R], tasks: Sequence[T], label: str, root: Path,
                   address: str, name: Callable[[T], str], lost: Callable[[T], R]) -> list[R]:
    """``function(task)`` for each task on the Dask cluster at ``address``, in order
    (vidaudit.frames.cluster); ``lost(task)`` stands for a task that killed its worker
    every time it was tried."""
    from vidaudit.frames.cluster import map_on_cluster

    advance, stop = _progress(sys.stderr.isatty(), len(tasks), label)

    def done(count: int) -> None:
        for _ in range(count):
            advance()

    try:
        found = map_on_cluster(partial(_each, function), tasks, root, address, done,
                               name=lambda chunk: name(chunk[0]))
    finally:
        stop()
    return [result if result is not None else lost(task)
            for task, result in zip(tasks, found, strict=True)]


def _each(function: Callable[[T], R], tasks: list[T]) -> list[R]:
    return [function(task) for task in tasks]


def _pooled(function: Callable[[T], R], tasks: Sequence[T], workers: int,
            advance: Callable[[], None]) -> Iterator[R]:
    import multiprocessing

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                             mp_context=context) as executor:
        pending: deque[Future[R]] = deque()
        queued = iter(tasks)
        for task in queued:
            pending.append(executor.submit(function, task))
            if len(pending) >= workers * IN_FLIGHT:
                break
        while pending:
            result = pending.popleft().result()
            for task in queued:
                pending.append(executor.submit(function, task))
                break
            yield result
            advance()


def _progress(show: bool, total: int, label: str
              ) -> tuple[Callable[[], None], Callable[[], None]]:
    if not show or total == 0:
        return (lambda: None), (lambda: None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = progress.add_task(label, total=total)
    progress.start()
    return (lambda: progress.advance(task)), progress.stop
