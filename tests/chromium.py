"""Open a page in real headless Chromium and report what a person's browser would show
in its console: errors, uncaught exceptions, failed loads, network requests, dialogs.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
it reads commands on fd 3 and writes replies and events on fd 4, each message a JSON
text ended by a NUL byte), so no driver and no port are needed.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from support import ON_CI

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "about:blank"]


def chromium_or_skip() -> str:
    """The Chromium binary; without one the test skips, except on CI where it fails."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if ON_CI:
        pytest.fail("Chromium is required on CI (apt-get install chromium)")
    pytest.skip("Chromium is not installed")


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    failed_loads: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        return [*self.console_errors, *self.exceptions, *self.failed_loads, *self.dialogs]


class _Pipe:
    def __init__(self, binary: str, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: its fd 3 reads our commands, fd 4 answers
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS[:-1], f"--user-data-dir={profile}", FLAGS[-1]],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4))  # kept open after wire() dup2s them
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    result: dict[str, Any] = reply.get("result", {})
                    return result
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                return False
            self.events.extend(self._read(deadline))
        return True

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.events.extend(self._read(deadline, raise_on_timeout=False))

    def _read(self, deadline: float, raise_on_timeout: bool = True) -> list[dict[str, Any]]:
        remaining = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self._from_chrome], [], [], remaining)
        if not ready:
            if raise_on_timeout:
                raise TimeoutError("Chromium did not answer in time")
            return []
        chunk = os.read(self._from_chrome, 1 << 16)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def open_page(url: str, evaluate: dict[str, str] | None = None,
              settle: float = 0.5) -> PageReport:
    """Load ``url``, wait for its load event (and ``settle`` seconds), and report."""
    binary = chromium_or_skip()
    with tempfile.TemporaryDirectory(prefix="vidaudit-chromium-") as profile:
        pipe = _Pipe(binary, profile)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget",
                                {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.events.clear()
            pipe.send("Page.navigate", {"url": url}, session=session)
            assert pipe.wait_for("Page.loadEventFired", timeout=30), f"{url} did not load"
            pipe.drain(settle)
            report = PageReport()
            for name, expression in (evaluate or {}).items():
                answer = pipe.send("Runtime.evaluate", {"expression": expression,
                                                        "returnByValue": True}, session=session)
                report.values[name] = answer.get("result", {}).get("value")
            _collect(pipe.events, report)
            return report
        finally:
            pipe.close()


def _collect(events: list[dict[str, Any]], report: PageReport) -> None:
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            report.exceptions.append(details.get("exception", {}).get("description")
                                     or details.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append(" ".join(str(a.get("value", a.get("description")))
                                                  for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            report.console_errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            report.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Network.loadingFailed":
            report.failed_loads.append(f"{params.get('errorText')} ({params.get('type')})")
        elif method == "Page.javascriptDialogOpening":
            report.dialogs.append(f"dialog: {params.get('message')}")
