"""Probing videos in worker processes that can be killed: a per-file timeout.

OpenCV hands a video to FFmpeg, whose demuxers and decoders run in C: a file that
makes one of them loop, stall or crash cannot be interrupted from Python. So each
video is probed in a worker process, one video per task; a worker still busy with
one video after ``timeout`` seconds is killed, and a worker that dies (a crash in a
decoder) is replaced. Either way that video is reported unreadable (VA405) and the
others are probed as usual.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from vidaudit.frames.paths import Entry
from vidaudit.frames.rows import MediaRow

if TYPE_CHECKING:
    from vidaudit.frames.probe import ProbeOptions


def _serve(connection: Connection, options: ProbeOptions) -> None:
    """A worker: probe each entry it receives, send back its row."""
    from vidaudit.frames.probe import probe_chunk

    while True:
        try:
            entry = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(probe_chunk(options, [entry])[0])


class _Worker:
    def __init__(self, context: Any, options: ProbeOptions) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, options), daemon=True)
        self.process.start()
        child.close()
        self.index = -1
        self.started = 0.0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def probe_guarded(entries: Sequence[Entry], options: ProbeOptions, workers: int,
                  advance: Callable[[int], None]) -> list[MediaRow]:
    """Rows for ``entries`` in order, each probed within ``options.timeout`` seconds."""
    from vidaudit.frames.video import quiet_opencv

    quiet_opencv()  # imported once here: forked workers start with it, not on the clock
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    timeout = options.timeout
    rows: list[MediaRow | None] = [None] * len(entries)
    pending = list(range(len(entries)))[::-1]
    idle = [_Worker(context, options) for _ in range(max(1, min(workers, len(entries))))]
    busy: dict[Connection, _Worker] = {}

    def failed(worker: _Worker, why: str) -> None:
        entry = entries[worker.index]
        rows[worker.index] = MediaRow(entry.video_id, source=entry.name, unreadable=why,
                                      checked="all" if options.deep else "headers")
        worker.stop()
        if pending:
            idle.append(_Worker(context, options))
        advance(1)

    try:
        while pending or busy:
            while idle and pending:
                worker = idle.pop()
                worker.index = pending.pop()
                worker.started = time.monotonic()
                worker.connection.send(entries[worker.index])
                busy[worker.connection] = worker
            deadline = min(w.started for w in busy.values()) + timeout
            for connection in wait(list(busy), max(0.0, deadline - time.monotonic())):
                worker = busy.pop(connection)  # type: ignore[call-overload]
                try:
                    rows[worker.index] = worker.connection.recv()
                except (EOFError, OSError):
                    code = worker.process.exitcode
                    failed(worker, "the probe crashed on it (the decoder killed its process"
                           f"{f', exit code {code}' if code is not None else ''})")
                    continue
                idle.append(worker)
                advance(1)
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                if now - worker.started >= timeout:
                    del busy[connection]
                    failed(worker, f"probing did not finish within {timeout:g} s (stopped; "
                           "raise the limit with --probe-timeout)")
    finally:
        for worker in [*idle, *busy.values()]:
            worker.stop()
    assert all(row is not None for row in rows)
    return rows  # type: ignore[return-value]

