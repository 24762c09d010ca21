"""Probing videos in a fresh Python process: ``python -m vidaudit.frames.remote``.

A Dask worker runs :func:`probe_in_subprocess`, which starts this module with the
probe options and the entries pickled on standard input; it probes them with the
local guarded pool (one killable process per video, the per-video timeout) and
writes the rows pickled on standard output. See vidaudit.frames.cluster for why.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import TYPE_CHECKING

from vidaudit.frames.paths import Entry
from vidaudit.frames.rows import MediaRow

if TYPE_CHECKING:
    from vidaudit.frames.probe import ProbeOptions


def probe_in_subprocess(options: ProbeOptions, entries: list[Entry]) -> list[MediaRow]:
    # Every video gets its timeout, plus the interpreter's start; a child stuck beyond
    # that (it should not be: the guard kills each probe) is killed by run().
    limit = options.timeout * len(entries) + 120
    done = subprocess.run([sys.executable, "-m", "vidaudit.frames.remote"],
                          input=pickle.dumps((options, entries)), capture_output=True,
                          timeout=limit, check=False)
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RuntimeError(f"the video probe exited with code {done.returncode}: {tail[0]}")
    rows: list[MediaRow] = pickle.loads(done.stdout)
    return rows


def main() -> None:
    from vidaudit.frames.guard import probe_guarded

    options, entries = pickle.loads(sys.stdin.buffer.read())
    rows = probe_guarded(entries, options, 1, lambda n: None)
    sys.stdout.buffer.write(pickle.dumps(rows))


if __name__ == "__main__":
    main()
