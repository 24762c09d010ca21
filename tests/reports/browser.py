"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

Headless Chromium reads commands from file descriptor 3 and writes replies and
events to descriptor 4, each message JSON ended by a NUL byte. No port is
opened and nothing but the standard library is needed. The tests use it to
load a report, record what the page did (console messages, exceptions,
requests, dialogs), query the DOM and take a screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio",
         "--hide-scrollbars", "--remote-debugging-pipe")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class CDPError(RuntimeError):
    pass


def _above_4(fd: int) -> int:
    """The same pipe end on a descriptor >= 10, so moving it to 3 or 4 clobbers nothing."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with a fresh profile; use as a context manager."""

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="vidaudit-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        to_child_r, from_child_w = _above_4(to_child_r), _above_4(from_child_w)
        # bash (dash takes single-digit descriptors only) moves our pipe ends to
        # descriptors 3 and 4, where Chromium expects them.
        script = (f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w} '
                  f'{to_child_r}<&- {from_child_w}>&-')
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            ["bash", "-c", script, executable, *FLAGS, f"--user-data-dir={self.profile}",
             "about:blank"],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=self._log)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._replies.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)
                else:
                    self.events.append(message)  # list.append is atomic

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            reply: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[ident] = reply
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_child, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise CDPError(f"{method}: the browser is gone ({self.last_words()})") from None
        try:
            answer = reply.get(timeout=self.timeout)
        except queue.Empty:
            raise CDPError(f"no reply to {method} within {self.timeout} s "
                           f"({self.last_words()})") from None
        finally:
            with self._lock:
                self._replies.pop(ident, None)
        if "error" in answer:
            raise CDPError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def last_words(self) -> str:
        """Chromium's exit status and the last lines it printed (not D-Bus noise)."""
        status = self.process.poll()
        self._log.seek(0)
        lines = [line for line in self._log.read().decode("utf-8", "replace").splitlines()
                 if "dbus" not in line]
        return f"exit status {status}; " + " | ".join(lines[-5:])

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                with contextlib.suppress(CDPError, OSError):
                    self.send("Browser.close")
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    """A tab in which one file was loaded, and everything it did while loading."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def _events(self, method: str) -> list[dict[str, Any]]:
        return [e["params"] for e in list(self.browser.events)
                if e.get("method") == method and e.get("sessionId") == self.session]

    @property
    def requests(self) -> list[str]:
        return [e["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    @property
    def console_errors(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and browser log errors
        (CSP violations, failed loads)."""
        found = [" ".join(str(a.get("value", a.get("description", ""))) for a in e["args"])
                 for e in self._events("Runtime.consoleAPICalled")
                 if e["type"] in ("error", "warning", "assert")]
        found += [e["exceptionDetails"].get("exception", {}).get("description")
                  or e["exceptionDetails"]["text"] for e in self._events("Runtime.exceptionThrown")]
        found += [e["entry"]["text"] for e in self._events("Log.entryAdded")
                  if e["entry"]["level"] in ("error", "warning")]
        return found

    @property
    def dialogs(self) -> list[str]:
        return [e["message"] for e in self._events("Page.javascriptDialogOpening")]

    def evaluate(self, expression: str) -> Any:
        answer = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        if "exceptionDetails" in answer:
            raise CDPError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, path: Path, width: int = 1280) -> Path:
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        shot = self.send("Page.captureScreenshot", {"format": "png",
                                                    "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def open_page(browser: Browser, url: str, settle: float = 0.5) -> Page:
    """Open ``url`` in a new tab with every recording domain enabled, wait for load."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget",
                           {"targetId": target, "flatten": True})["sessionId"]
    page = Page(browser, session)
    for domain in ("Runtime", "Log", "Network", "Page"):
        page.send(f"{domain}.enable")
    page.send("Page.navigate", {"url": url})
    deadline = time.monotonic() + browser.timeout
    settled: float | None = None
    dismissed = 0
    while settled is None or time.monotonic() < settled:
        # A dialog (an alert from injected script, say) blocks the page until answered:
        # dismiss it; it stays recorded in page.dialogs.
        for _ in page.dialogs[dismissed:]:
            page.send("Page.handleJavaScriptDialog", {"accept": False})
            dismissed += 1
        if settled is None and page._events("Page.loadEventFired"):
            settled = time.monotonic() + settle  # late requests, messages and timers
        if time.monotonic() > deadline:
            raise CDPError(f"{url} did not finish loading")
        time.sleep(0.02)
    return page
