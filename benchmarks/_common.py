"""Shared helpers for the benchmark scripts (run them with the project installed)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL_METADATA = REPO.parent / "shared" / "data" / "ssv2-contact-release" / "metadata"


def run_timed(command: Sequence[str | Path], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (MB) and exit code of one run of a command."""
    started = time.perf_counter()
    process = subprocess.Popen([str(c) for c in command], cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def median_runs(commands: dict[str, Sequence[str | Path]], runs: int
                ) -> dict[str, tuple[float, float, int]]:
    """Median and min wall time and max RSS per command, runs interleaved so that machine
    noise hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, command in commands.items():
            elapsed, peak, _ = run_timed(command)
            times[name].append(elapsed)
            rss[name] = max(rss[name], peak)
    return {name: (statistics.median(t), min(t), rss[name]) for name, t in times.items()}


def tool(name: str) -> str:
    """An executable of the current environment (the venv's bin folder first)."""
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install '.[test]')")
    return found


def load() -> str:
    """The machine's load average, to print beside the figures."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"
