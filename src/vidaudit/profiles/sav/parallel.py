"""Run one task per video, in worker processes, streaming results in task order.

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
