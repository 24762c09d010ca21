"""Shared helpers for the benchmark scripts (run them with the project installed)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _expect import NotDone

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


@dataclass(frozen=True)
class Run:
    """One whole process, measured."""

    wall: float
    cpu: float
    """Its user + system CPU time, with the children it waited for (workers)."""
    rss_mb: int
    code: int
    stdout: str


def run_measured(command: Sequence[str | Path], *, exit_codes: tuple[int, ...] | None = (0, 1)
                 ) -> Run:
    """Run ``command`` once; a run ending with an exit code outside ``exit_codes`` (None:
    any) ends the benchmark with its standard error, since its figures would mean
    nothing."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([str(c) for c in command], stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if exit_codes is not None and code not in exit_codes:
        sys.exit(f"{' '.join(map(str, command[:4]))} ... exited {code}: {stderr[-400:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, code, stdout)


def report_problem(report_path: Path, profile: str, counted: dict[str, int], *,
                   inputs: int | None = None, worst: str = "info") -> str | None:
    """Why a run's JSON report shows it did not do its work, or None: the ``profile``,
    the ``counted`` summary figures (``{"videos": 100}``), the number of ``inputs`` read,
    and no finding at or above ``worst`` (``"error"``: warnings are fine)."""
    import json

    try:
        report = json.loads(report_path.read_text())
    except (OSError, ValueError) as error:
        return f"no JSON report ({error})"
    if report.get("profile") != profile:
        return f"profile {report.get('profile')!r}, not {profile}"
    for key, expected in counted.items():
        found = report.get("summary", {}).get(key)
        if found != expected:
            return f"{found} {key} counted, not {expected:,}"
    read = len(report.get("inputs", []))
    if inputs is not None and read != inputs:
        return f"{read} files read, not {inputs:,}"
    ranks = ("info", "warning", "error")
    serious = [f for f in report.get("findings", [])
               if ranks.index(f.get("severity", "error")) >= ranks.index(worst)]
    if serious:
        first = serious[0]
        return f"{len(serious)} finding(s), first {first['code']}: {first['message']}"
    return None


@dataclass(frozen=True)
class Timed:
    """A command to time, and how to tell that a run of it did its work: ``check`` gets
    the exit code (and reads what the run wrote), returns an account of what the run
    did, or raises :class:`_expect.NotDone`."""

    command: Sequence[str | Path]
    check: Callable[[int], str]


@dataclass(frozen=True)
class Figures:
    median: float
    fastest: float
    rss: int
    did: str
    """What the last run did, as its check told it."""


def median_runs(commands: dict[str, Timed], runs: int) -> dict[str, Figures]:
    """Median and min wall time and max RSS per command, runs interleaved so that machine
    noise hits all of them alike; every run checked (a run that did not do its work
    raises NotDone, naming the command)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, int] = dict.fromkeys(commands, 0)
    did: dict[str, str] = dict.fromkeys(commands, "")
    for _ in range(runs):
        for name, timed in commands.items():
            elapsed, peak, code = run_timed(timed.command)
            try:
                did[name] = timed.check(code)
            except NotDone as failure:
                raise NotDone(f"{name}: {failure}") from None
            times[name].append(elapsed)
            rss[name] = max(rss[name], peak)
    return {name: Figures(statistics.median(t), min(t), rss[name], did[name])
            for name, t in times.items()}


def run_guarded(main: Callable[[], int]) -> int:
    """Run a benchmark's main; when a run did not do its work, say why and exit 1."""
    try:
        return main()
    except NotDone as failure:
        print(f"FAILED: a timed run did not do its work: {failure}", file=sys.stderr)
        return 1


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
