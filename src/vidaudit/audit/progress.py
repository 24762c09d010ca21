"""Timed steps of the audit, shown on a terminal while they run.

On a terminal each step shows a spinner and then its duration; otherwise (CI,
redirected output) nothing is printed. The durations go into ``audit.json``
either way.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any


class Steps:
    def __init__(self, show: bool | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.show = sys.stderr.isatty() if show is None else show
        self._console: Any = None
        if self.show:
            from rich.console import Console

            self._console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")),
                                    highlight=False)

    @contextlib.contextmanager
    def step(self, key: str, label: str) -> Iterator[None]:
        started = time.perf_counter()
        if self._console is None:
            try:
                yield
            finally:
                self.timings[key] = round(time.perf_counter() - started, 3)
            return
        from rich.markup import escape

        with self._console.status(escape(label) + "…"):
            try:
                yield
            finally:
                self.timings[key] = round(time.perf_counter() - started, 3)
        self._console.print(f"[green]✓[/] {escape(label)} [dim]({self.timings[key]:.1f} s)[/]")
