"""A real headless Chromium (Debian's ``chromium``) driven over the DevTools protocol.

The protocol runs over a pipe (``--remote-debugging-pipe``: commands on the browser's file
descriptor 3, answers on 4, each message JSON ended by a NUL byte), so no debugging port is
opened and no Python package is needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

import pytest

TIMEOUT_S = 60


def chromium() -> str:
    """The browser's path; the test is skipped where it is not installed (CI installs it,
    scripts/system-deps.sh)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


class Browser:
    def __init__(self, width: int = 1200, height: int = 900):
        self.profile = tempfile.mkdtemp(prefix="leaflets-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def descriptors_3_and_4() -> None:
            # Moved out of the way first: either pipe end may itself be descriptor 3 or 4.
            reading, writing = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
                                for fd in (to_browser_read, from_browser_write))
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "--hide-scrollbars", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=descriptors_3_and_4, close_fds=False)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]

    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Send a command and wait for its answer (events on the way are dropped)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            while b"\0" not in self._buffer:
                ready, _, _ = select.select([self._from_browser], [], [],
                                            max(0, deadline - time.monotonic()))
                chunk = os.read(self._from_browser, 1 << 16) if ready else b""
                assert chunk, f"Chromium did not answer {method}"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._next_id:
                assert "error" not in answer, f"{method}: {answer['error']}"
                return answer["result"]

    def page(self, method: str, **params) -> dict:
        return self.send(method, self.session, **params)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        result = self.page("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.page("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def wait_for(self, expression: str, seconds: float = TIMEOUT_S) -> None:
        deadline = time.monotonic() + seconds
        while not self.evaluate(f"Boolean({expression})"):
            assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
            time.sleep(0.2)

    def screenshot(self) -> bytes:
        """A PNG of the whole page, however long."""
        return base64.b64decode(self.page("Page.captureScreenshot", format="png",
                                          captureBeyondViewport=True)["data"])

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=30)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            shutil.rmtree(self.profile, ignore_errors=True)
