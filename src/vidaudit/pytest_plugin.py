"""The pytest plugin (entry point ``pytest11``): a dataset's rules as test items.

Off unless asked: ``pytest --vidaudit[=PATH]`` or ``pytest = true`` (or a path) under
``[tool.vidaudit]``/in ``vidaudit.toml``. Then one item per rule that runs, named
``vidaudit::VA303 video-not-in-split``, fails with the rule's findings when they reach
``fail-on``; a rule that needs an input that was not given (a frame source, a previous
release, a reference) is a skipped item with the reason. The ``vidaudit_report`` fixture
gives a test the :class:`vidaudit.Report` of the dataset, plugin on or off.

When off, the plugin imports nothing beyond the standard library and vidaudit's
configuration reader: pandas is imported only when a check runs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from vidaudit.report import Finding, Report

DEFAULT_PATH = "metadata"
SHOWN_PER_RULE = 5
"""Findings shown per failing rule, as the console report shows them."""
RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Settings:
    enabled: bool
    path: str
    """The dataset folder, as findings will name it (relative to the working folder)."""
    config: str | None
    """The configuration file the settings came from, used for the check too."""


_SETTINGS = pytest.StashKey[Settings]()
_REPORT = pytest.StashKey["Report"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vidaudit", "vidaudit: check a dataset's metadata")
    group.addoption("--vidaudit", nargs="?", const="", default=None, metavar="PATH",
                    dest="vidaudit",
                    help="check the dataset in PATH (default: ./metadata) with vidaudit: one "
                         "test item per rule. Write --vidaudit=PATH when test paths follow.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vidaudit: a vidaudit rule checked on the dataset")
    config.stash[_SETTINGS] = _settings(config)


def _settings(config: pytest.Config) -> Settings:
    """From ``--vidaudit`` or the ``pytest`` key of the nearest vidaudit configuration."""
    given: str | None = config.getoption("vidaudit")
    found = _find_config(config.rootpath)
    key: object = None
    if found is not None:
        document = _read(found)
        table = document.get("tool", {}).get("vidaudit", {}) \
            if found.name == "pyproject.toml" else document
        key = table.get("pytest", False)
        if not isinstance(key, bool | str) or key == "":
            raise pytest.UsageError(f"vidaudit: {found}: pytest must be true, false or the "
                                    "dataset's folder")
    source = str(found) if found is not None else None
    if given:
        return Settings(True, given, source)
    if isinstance(key, str):
        from vidaudit.config import beside

        return Settings(True, beside(str(found), key), source)
    return Settings(given is not None or key is True,
                    _display(config.rootpath / DEFAULT_PATH), source)


def _find_config(start: Path) -> Path | None:
    """The nearest vidaudit.toml, or pyproject.toml with a [tool.vidaudit] table, as
    ``vidaudit.config.find_config_file`` finds it (which imports the rule catalogue: too
    much for a plugin that is off)."""
    for folder in [start, *start.parents]:
        candidate = folder / "vidaudit.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "vidaudit" in _read(pyproject).get("tool", {}):
            return pyproject
        if (folder / ".git").exists():
            break
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise pytest.UsageError(f"vidaudit: cannot read configuration {path}: {error}"
                                ) from None


def _display(path: Path) -> str:
    """``path`` relative to the working folder when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def _report(config: pytest.Config) -> Report:
    """The dataset's report, computed once per session."""
    report = config.stash.get(_REPORT, None)
    if report is None:
        from vidaudit.api import check
        from vidaudit.errors import ConfigError

        settings = config.stash[_SETTINGS]
        try:
            report = check(settings.path, config=settings.config)
        except ConfigError as error:
            raise pytest.UsageError(f"vidaudit: error: {error}") from None
        config.stash[_REPORT] = report
    return report


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(_SETTINGS, None)
    if settings is None or not settings.enabled:
        return None
    return f"vidaudit: checking {settings.path}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Put the dataset's rule items first (before ``-k``/``-m`` deselect)."""
    settings = config.stash.get(_SETTINGS, None)
    if settings is None or not settings.enabled:
        return
    dataset = Dataset.from_parent(session, name="vidaudit", nodeid="vidaudit",
                                  path=Path(settings.path).resolve())
    found = dataset.collect()
    # Counted like collected items ("collected N items", -k's "n/N selected").
    config.hook.pytest_collectreport(report=pytest.CollectReport(
        dataset.nodeid, "passed", None, list(found)))
    items[:0] = found


class Dataset(pytest.Collector):
    """The dataset: one :class:`RuleItem` per rule that ran, was skipped or found
    something."""

    def collect(self) -> list[pytest.Item]:
        report = _report(self.config)
        skipped = report.rules_skipped
        found = report.by_rule()
        from vidaudit.rules.registry import RULES

        items: list[pytest.Item] = []
        for code in sorted({*found, *skipped}):
            items.append(RuleItem.from_parent(
                self, name=f"{code} {RULES[code].name}", code=code,
                findings=found.get(code, ()), skip=skipped.get(code),
                fail_on=report.fail_on))
        return items


class RuleFailed(Exception):
    """A rule's findings reached ``fail-on``."""


class RuleItem(pytest.Item):
    """One rule on the dataset: fails with its findings when they reach ``fail-on``."""

    def __init__(self, *, code: str, findings: Sequence[Finding], skip: str | None,
                 fail_on: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.code = code
        self.findings = tuple(findings)
        self.skip = skip
        self.fail_on = fail_on
        self.add_marker("vidaudit")
        if skip is not None:  # skipped by a marker: reported at the item, not in this module
            self.add_marker(pytest.mark.skip(reason=f"{self.name}: {skip}"))

    def runtest(self) -> None:
        if self.fail_on is None:
            return
        threshold = RANK[self.fail_on]
        failing = [f for f in self.findings if RANK[f.severity] >= threshold]
        if failing:
            raise RuleFailed(self._describe(len(failing)))

    def _describe(self, failing: int) -> str:
        count = len(self.findings)
        head = (f"{self.name}: {count:,} finding{'s' if count != 1 else ''}, {failing:,} at "
                f"or above fail-on ({self.fail_on})")
        lines = [head, *(f"  {f.location}  {_clean(f.message)}"
                         for f in self.findings[:SHOWN_PER_RULE])]
        if count > SHOWN_PER_RULE:
            lines.append(f"  … and {count - SHOWN_PER_RULE:,} more (`vidaudit check --format "
                         f"json` lists all; `vidaudit explain {self.code}`)")
        return "\n".join(lines)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, RuleFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"vidaudit: {self.name}"


def _clean(text: str) -> str:
    """No control characters from the data reach the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


@pytest.fixture(scope="session")
def vidaudit_report(request: pytest.FixtureRequest) -> Report:
    """The :class:`vidaudit.Report` of the dataset (``--vidaudit PATH``, the configuration's
    ``pytest`` path, or ./metadata), checked once per session."""
    return _report(request.config)
