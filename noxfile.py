"""Development sessions: `nox -s tests`, `nox -s lint`, `nox -s typecheck`, `nox -s demo`, ...

Each session installs the project into its own virtual environment, so a session
that passes here passes on a fresh machine too.
"""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (some tests need Debian's chromium, strace and git-annex, and
    ../shared/data: skipped without them, failures under CI=true)."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-n", "2", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: check the bundled sample, then show a broken one."""
    session.install(".")
    session.run("vidaudit", "check", "metadata")
    session.run("vidaudit", "check", "examples/broken", success_codes=[1])


@nox.session
def samples(session: nox.Session) -> None:
    """Regenerate metadata/ and examples/ from their seeds."""
    session.install("-e", ".")
    session.run("python", "-m", "vidaudit.synth")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks that print figures (see benchmarks/README.md).

    The project is installed as users install it (no test extras: pandera imports
    hypothesis when it is present, which a user's install does not pay for), with the
    dask extra for bench_cluster.py, plus check-jsonschema to compare against.
    """
    session.install(".[dask]", "check-jsonschema", "pyyaml")
    for script in ("bench_check.py", "bench_hook.py", "bench_html.py", "bench_manifest.py",
                   "bench_lists.py", "bench_cluster.py", "bench_kinetics.py",
                   "bench_full_size.py"):
        session.run("python", f"benchmarks/{script}", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The robustness suite with 10,000 random examples per property, and its slow cases
    (a 200 MB events file). VIDAUDIT_FUZZ=N for another count; VIDAUDIT_FUZZ_KEEP=DIR
    keeps a copy of each failing case. Failing examples are also kept by Hypothesis in
    .hypothesis/ and tried first on the next run."""
    session.install(".[test]")
    examples = os.environ.get("VIDAUDIT_FUZZ", "10000")
    session.run("python", "-m", "pytest", "tests/robustness", "-n", "2",
                "--hypothesis-show-statistics", "--durations=10", *session.posargs,
                env={"VIDAUDIT_FUZZ": examples})
