"""Probe many entries: in-process for small jobs, else a process pool, or a Dask cluster
(``--scheduler``, vidaudit.frames.cluster); a progress bar on a tty.

Frame folders go out in chunks (one task per chunk, not per folder) so that pickling
and scheduling stay small next to the probing itself. Videos go one by one to worker
processes that are stopped when a video takes too long (vidaudit.frames.guard).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

from vidaudit.frames.paths import Entry
from vidaudit.frames.probe import ProbeOptions, probe_chunk
from vidaudit.frames.rows import MediaRow

# Per-folder cost relative to the cost of starting a worker: below these many
# folders a pool is slower than probing in this process. Videos always go to
# workers, which can be stopped (vidaudit.frames.guard).
_POOL_FROM = {"frames": 4000}
_CHUNK = {"frames": 256}


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def probe_all(entries: Sequence[Entry], options: ProbeOptions, workers: int | None = None,
              show_progress: bool | None = None, scheduler: str | None = None
              ) -> list[MediaRow]:
    """Rows for ``entries``, in the same order; on the Dask cluster whose scheduler is at
    ``scheduler`` if one is given (vidaudit.frames.cluster), else on this machine."""
    if not entries:
        return []
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    if scheduler:
        from vidaudit.frames.cluster import probe_on_cluster

        with _progress(show_progress, len(entries), options.kind) as advance:
            return probe_on_cluster(entries, options, scheduler, advance)
    workers = max(1, workers or default_workers())
    chunk = _CHUNK.get(options.kind, 64)
    if options.deep or (options.kind == "frames" and options.exact):
        chunk = max(1, chunk // 16)
    chunks = [entries[i:i + chunk] for i in range(0, len(entries), chunk)]
    in_process = workers == 1 or (len(entries) < _POOL_FROM.get(options.kind, 1)
                                  and not options.deep)
    with _progress(show_progress, len(entries), options.kind) as advance:
        if options.kind == "videos":
            from vidaudit.frames.guard import probe_guarded

            return probe_guarded(entries, options, workers, advance)
        if in_process:
            results = []
            for part in chunks:
                results.append(probe_chunk(options, part))
                advance(len(part))
            return [row for rows in results for row in rows]
        return _pooled(chunks, options, min(workers, len(chunks)), advance)


def _pooled(chunks: list[Sequence[Entry]], options: ProbeOptions, workers: int,
            advance: Callable[[int], None]) -> list[MediaRow]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        futures = [executor.submit(probe_chunk, options, part) for part in chunks]
        results: list[list[MediaRow]] = []
        for future, part in zip(futures, chunks, strict=True):
            results.append(future.result())
            advance(len(part))
    return [row for rows in results for row in rows]


def _progress(show: bool, total: int, kind: str
              ) -> AbstractContextManager[Callable[[int], None]]:
    if not show:
        return nullcontext(lambda n: None)
    return _rich_progress(total, kind)


class _rich_progress(AbstractContextManager[Callable[[int], None]]):
    def __init__(self, total: int, kind: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(TextColumn(f"probing {kind}"), BarColumn(),
                                  MofNCompleteColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task(kind, total=total)

    def __enter__(self) -> Callable[[int], None]:
        self._progress.start()
        return lambda n: self._progress.advance(self._task, n)

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

