"""Output formats. Each reporter is a module with ``render(result, options) -> str``.

Modules are imported only when their format is asked for, so that, say, the
HTML reporter's imports never slow down a pre-commit hook.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from vidaudit.engine import Result


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    output: str | None = None
    """Where the output will be written (None: standard output)."""
    frame_dir: str | None = None
    """A folder of extracted frames, for reporters that show thumbnails."""


class Reporter(Protocol):
    def render(self, result: Result, options: RenderOptions) -> str: ...


FORMATS: dict[str, str] = {
    "console": "vidaudit.reporters.console",
    "json": "vidaudit.reporters.json_report",
    "junit": "vidaudit.reporters.junit",
    "sarif": "vidaudit.reporters.sarif",
    "github": "vidaudit.reporters.github",
    "html": "vidaudit.reporters.html",
}
DEFAULT_OUTPUTS = {"html": "reports/vidaudit.html"}


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(FORMATS[name])
    return module


def render_parts(name: str, result: Result, options: RenderOptions) -> Iterable[str]:
    """The report in parts that concatenate to ``render``'s text: a reporter with a
    ``render_parts`` (the JSON report) yields them as it goes, so a caller writing them
    out never holds the whole text."""
    reporter = get_reporter(name)
    parts = getattr(reporter, "render_parts", None)
    if parts is not None:
        return parts(result, options)  # type: ignore[no-any-return]
    return [reporter.render(result, options)]
