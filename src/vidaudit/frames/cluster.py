"""Probing on an existing dask.distributed cluster (``--scheduler ADDRESS``).

The per-video work goes to the cluster's workers as tasks, in the same chunks as the
local pool uses (frames folders: 256 per task; videos: 16 per task), and comes back
in order, so the rows, the manifest and the report are the same as a local run.

- **Where the media are**: each worker opens the media by the same absolute path as
  this machine, so the frames or videos must be on a file system every worker sees;
  this is checked on every worker before any task is sent.
- **Videos** are probed in a fresh Python process on the worker that runs the same
  guarded probe as locally (vidaudit.frames.guard, one killable process per video,
  ``--probe-timeout``): a decoder that crashes or hangs costs that video (VA405, the
  same message as locally), not the worker. Dask's workers are daemon processes,
  which may not start multiprocessing children themselves, and forking a process
  that runs Dask's threads is unsafe; a fresh interpreter avoids both.
- **A worker that dies** while a task runs (killed, out of memory, node lost): the
  scheduler runs the task again on another worker, up to its ``allowed-failures``
  (default 3). When it gives up, the videos of that task are probed again one per
  task, then those still failing one after the other, each alone on the cluster (a
  dying worker also fails the tasks queued on it); a video whose task kills its worker
  even alone is reported unreadable (VA405). No video is lost.
- **An unreachable scheduler** is a usage error after ``CONNECT_TIMEOUT`` seconds,
  not a hang; so is a cluster without workers.

Dask is imported only here, only when ``--scheduler`` is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from vidaudit.errors import UsageError
from vidaudit.frames.paths import Entry
from vidaudit.frames.rows import MediaRow

if TYPE_CHECKING:
    from vidaudit.frames.probe import ProbeOptions

T = TypeVar("T")
R = TypeVar("R")
CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler (and for it to have a worker)."""
CHUNK = {"frames": 256, "videos": 16}
"""Entries per task: a task costs a few milliseconds of scheduling, a subprocess for
videos a few hundred."""


def probe_on_cluster(entries: Sequence[Entry], options: ProbeOptions, address: str,
                     advance: Callable[[int], None]) -> list[MediaRow]:
    """Rows for ``entries``, in order, probed by the cluster at ``address``."""
    options = replace(options, root=Path(os.path.abspath(options.root)))
    size = CHUNK[options.kind]
    if options.deep:
        size = max(1, size // 16)
    found = map_on_cluster(partial(probe_task, options), entries, options.root, address,
                           advance, chunk=size, name=lambda chunk: f"probe-{chunk[0].video_id}")
    return [row if row is not None else _lost(entry, options)
            for entry, row in zip(entries, found, strict=True)]


def map_on_cluster(function: Callable[[list[T]], list[R]], items: Sequence[T], root: Path,
                   address: str, advance: Callable[[int], None], *, chunk: int = 1,
                   name: Callable[[list[T]], str] = lambda chunk: "task") -> list[R | None]:
    """``function`` over ``items`` (``chunk`` of them per task) on the cluster at
    ``address``, one result per item, in order; None for an item whose task killed its
    worker every time it was tried, alone too (see :func:`_one_by_one`). The items' files are
    under ``root``, which every worker must see at the same path. A task's key is
    ``vidaudit-<name(its items)>-<how many>-<random>`` (what Dask's dashboard shows)."""
    client = connect(address)
    try:
        _check_visible(client, root)
        chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
        results = _run(client, function, chunks, advance, name)
        lost = [n for n, result in enumerate(results) if result is None]
        alone = _one_by_one(client, function, [item for n in lost for item in chunks[n]],
                            name)
        advance(sum(len(chunks[n]) for n in lost))
        found: list[R | None] = []
        at = 0  # position of the chunk's first item among the lost ones
        for n, result in enumerate(results):
            if result is not None:
                found.extend(result)
            else:
                found.extend(alone.get(at + k) for k in range(len(chunks[n])))
                at += len(chunks[n])
        return found
    finally:
        client.close()


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``, which has at least one worker."""
    try:
        import distributed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'vidaudit[dask]'") from None
    _quiet_dask()
    try:
        make: Any = distributed.Client
        client = make(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address} within "
                         f"{CONNECT_TIMEOUT:g} s: {error}") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        client.close()
        raise UsageError(f"the Dask scheduler at {address} has no workers "
                         f"({error or 'none joined within the timeout'})") from None
    return client


def _quiet_dask() -> None:
    """Dask's own log lines (a task retried, a worker lost) are not vidaudit's output."""
    import logging

    for name in ("distributed", "distributed.client", "distributed.scheduler"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _check_visible(client: Any, root: Path) -> None:
    """A usage error unless every worker sees ``root`` as a folder."""
    seen = client.run(os.path.isdir, str(root))
    blind = sorted(worker for worker, ok in seen.items() if not ok)
    if blind:
        raise UsageError(
            f"{root} is not a folder on Dask worker{'s' if len(blind) > 1 else ''} "
            f"{', '.join(blind)}: the media must be on a file system every worker sees, "
            "at the same path (see docs/cluster.md)")


def _run(client: Any, function: Callable[[list[T]], list[R]], chunks: list[list[T]],
         advance: Callable[[int], None], name: Callable[[list[T]], str]
         ) -> list[list[R] | None]:
    """Each chunk's results, or None for a chunk whose task kept killing its worker."""
    import distributed
    from distributed.scheduler import KilledWorker

    as_completed: Any = distributed.as_completed
    futures = [client.submit(function, chunk, pure=False,
                             key=f"vidaudit-{name(chunk)}-{len(chunk)}-{os.urandom(4).hex()}")
               for chunk in chunks]
    position = {future.key: index for index, future in enumerate(futures)}
    results: list[list[R] | None] = [None] * len(chunks)
    for future in as_completed(futures, loop=client.loop):
        index = position[future.key]
        error = future.exception()
        if error is None:
            results[index] = future.result()
            advance(len(chunks[index]))
        elif not isinstance(error, KilledWorker):
            for other in futures:
                other.cancel()
            raise UsageError(f"the work on the Dask cluster failed: "
                             f"{type(error).__name__}: {error}")
    return results


def _one_by_one(client: Any, function: Callable[[list[T]], list[R]], items: list[T],
                name: Callable[[list[T]], str]) -> dict[int, R]:
    """Results of the items of tasks whose workers died (by their position in ``items``):
    first each as a task of its own, all at once; then the ones still failing one after
    the other, each alone on the cluster. A worker that dies takes the tasks queued on it
    down with it (an innocent item beside the culprit, even in a task of its own), so an
    item counts as lost only when it killed its worker while nothing else was running."""
    done: dict[int, R] = {}
    pending = list(range(len(items)))
    if pending:
        results = _run(client, function, [[items[n]] for n in pending], lambda n: None, name)
        done.update((n, found[0]) for n, found in zip(pending, results, strict=True)
                    if found is not None)
    for n in [n for n in pending if n not in done]:
        [found] = _run(client, function, [[items[n]]], lambda n: None, name)
        if found is not None:
            done[n] = found[0]
    return done


def _lost(entry: Entry, options: ProbeOptions) -> MediaRow:
    return MediaRow(entry.video_id, source=entry.name,
                    unreadable="probing it killed the Dask worker that ran it, every time "
                               "it was tried",
                    checked="all" if options.deep else "headers")


def probe_task(options: ProbeOptions, entries: list[Entry]) -> list[MediaRow]:
    """What a worker runs: frames in the worker, videos in a guarded subprocess."""
    if options.kind == "frames":
        from vidaudit.frames.probe import probe_chunk

        return probe_chunk(options, entries)
    from vidaudit.frames.remote import probe_in_subprocess

    return probe_in_subprocess(options, entries)
