"""A real browser for the tests: headless Chromium driven over the Chrome DevTools Protocol.

:func:`open_page` loads a local file in a fresh headless Chromium and returns a :class:`PageReport`:
what the console said (errors and warnings, uncaught exceptions, resources that failed to load),
every request the page made (a self-contained page makes none but its own file and ``data:`` URIs),
each image's state (loaded, with a natural size, or broken), the page's size, and a full-page
screenshot. The protocol is spoken over Chromium's own WebSocket endpoint with the ``websockets``
library (a dev dependency); nothing leaves loopback.

Chromium missing: the test is skipped, unless ``BRAINGAIN_REQUIRE_CHROMIUM=1`` (CI sets it), when it
fails.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("BRAINGAIN_REQUIRE_CHROMIUM") == "1"
HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # a remote address is never even looked up
)
"""How every test runs Chromium: headless, quiet, and never reaching beyond this machine."""
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def chromium_or_skip() -> str:
    """The Chromium program, or skip (fail in CI) when there is none."""
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail(
                "BRAINGAIN_REQUIRE_CHROMIUM=1 but chromium is not installed (apt-get install chromium)"
            )
        pytest.skip("chromium is not installed")
    return CHROMIUM


@dataclass
class Image:
    src: str
    alt: str
    loaded: bool
    width: int
    height: int


@dataclass
class PageReport:
    """What the browser saw: ``console`` holds ``(level, text)`` of every console error or warning,
    uncaught exception and failed load; ``requests`` every URL the page asked for."""

    title: str = ""
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    svgs: int = 0
    width: int = 0
    height: int = 0
    text: str = ""
    screenshot: bytes = b""

    @property
    def errors(self) -> list[str]:
        return [text for level, text in self.console if level == "error"]

    @property
    def remote(self) -> list[str]:
        """Requests for anything but the page's own file and data: URIs."""
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


class _Session:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == ident:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result") or {}
                return result
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message: dict[str, Any] = json.loads(
                self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))
            )
            self.events.append(message)
            if message.get("method") == method:
                return message
        raise AssertionError(f"the browser never sent {method}")


@contextmanager
def _browser(profile: Path, width: int, height: int) -> Iterator[str]:
    program = chromium_or_skip()
    profile.mkdir(parents=True, exist_ok=True)
    log = profile.parent / f"{profile.name}.log"  # Chromium's own messages: read for its address only
    with log.open("w", encoding="utf-8") as said:
        process = subprocess.Popen(
            [
                program,
                *HEADLESS,
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=said,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            found = _LISTENING.search(log.read_text(encoding="utf-8", errors="replace"))
            if found:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("chromium did not start: " + log.read_text(errors="replace")[-2000:])
            time.sleep(0.05)
        yield found.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_PROBE = """JSON.stringify({
  title: document.title,
  images: Array.from(document.images).map(i => ({src: i.currentSrc.slice(0, 60), alt: i.alt,
    loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth, height: i.naturalHeight})),
  svgs: document.querySelectorAll('svg').length,
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
  text: document.body ? document.body.innerText : ''
})"""


def open_page(page: Path, tmp_path: Path, *, width: int = 1200, height: int = 900) -> PageReport:
    """Load ``page`` in headless Chromium and report what it saw (see :class:`PageReport`)."""
    with _browser(tmp_path / "chromium-profile", width, height) as endpoint:
        port = endpoint.split(":")[2].split("/")[0]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=30) as answer:
            target = json.loads(answer.read())
        with connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=30) as socket:
            session = _Session(socket)
            for domain in ("Page", "Runtime", "Log", "Network"):
                session.call(f"{domain}.enable")
            session.call("Page.navigate", url=page.resolve().as_uri())
            session.wait_for("Page.loadEventFired")
            probe = session.call("Runtime.evaluate", expression=_PROBE, returnByValue=True)
            shot = session.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            report = PageReport(screenshot=base64.b64decode(shot["data"]))
            found = json.loads(probe["result"]["value"])
            report.title = found["title"]
            report.images = [Image(**i) for i in found["images"]]
            report.svgs = found["svgs"]
            report.width = found["width"]
            report.height = found["height"]
            report.text = found["text"]
            for event in session.events:
                _note(report, event)
    return report


def _note(report: PageReport, event: dict[str, Any]) -> None:
    method = event.get("method")
    params = event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
        words = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
        report.console.append(("error" if params["type"] != "warning" else "warning", words))
    elif method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        report.console.append(
            ("error", details.get("exception", {}).get("description", details.get("text", "")))
        )
    elif method == "Log.entryAdded":
        entry = params.get("entry", {})
        if entry.get("level") in ("error", "warning"):
            report.console.append((entry["level"], f"{entry.get('text', '')} {entry.get('url', '')}".strip()))
    elif method == "Network.requestWillBeSent":
        report.requests.append(params.get("request", {}).get("url", ""))
    elif method == "Network.loadingFailed":
        report.console.append(("error", f"failed to load: {params.get('errorText', '')}"))
