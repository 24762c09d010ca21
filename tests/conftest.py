"""Suite-wide settings: the tests' helper modules on the path, and no silent skips on CI.

A test that needs a tool (git-annex, strace with ptrace, sha256sum), a browser, Great
Expectations or ``../shared/data`` skips on a developer's machine that lacks it. Under
``CI=true`` (``.ci/run``, which installs all of them) such a skip is a failure: a
test that cannot fail proves nothing. Every run ends with a section listing what was
skipped and why; on CI it must say "none".
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import ON_CI


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail_skip_on_ci(report: pytest.CollectReport | pytest.TestReport) -> None:
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.longrepr = (f"skipped under CI=true, where nothing may skip "
                           f"(.ci/run installs every tool and copies ../shared): "
                           f"{_reason(report)}")
        report.outcome = "failed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Iterator[None]:
    outcome = yield
    _fail_skip_on_ci(outcome.get_result())  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    _fail_skip_on_ci(outcome.get_result())  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    """What was skipped, and why (under CI=true there must be nothing)."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if not hasattr(r, "wasxfail")]
    terminalreporter.section("skipped tests", sep="-")
    if not skipped:
        terminalreporter.write_line("none: every collected test ran"
                                    + (" (CI=true)" if ON_CI else ""))
    for report in skipped:
        terminalreporter.write_line(f"{report.nodeid or report.fspath}: {_reason(report)}")
    deselected = terminalreporter.stats.get("deselected", [])
    if deselected:
        terminalreporter.write_line(f"({len(deselected)} deselected: not part of this run, "
                                    "e.g. the fuzz-only cases of `nox -s fuzz`)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if ON_CI and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
