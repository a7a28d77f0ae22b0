"""Browser tests: `tutor serve` driven by headless Chromium through Playwright.

Skipped as a whole, with the reason, when Chromium or Playwright is missing
(.ci/run installs both: Debian's chromium, Playwright from the dev extra).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TUTOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium as root in a container, with no network: the flags that keep it from reaching out (see the env notes).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: the browser tests open `tutor serve` in headless Chromium "
                    "(Debian: apt-get install chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Served:
    """A running `tutor serve` and the folder of its learners."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen) -> None:
        self.root, self.port, self.process = root, port, process
        self.url = f"http://127.0.0.1:{port}"

    def progress(self, learner: str) -> dict:
        import json

        path = self.root / learner / "data" / "progress.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    root = tmp_path / "classroom"
    env = {**os.environ, "TUTOR_HOME": str(tmp_path / "teacher")}
    process = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port), "--root", str(root),
                                "--max-learners", "3"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"tutor serve did not start: {process.stdout.read().decode(errors='replace')}")
            time.sleep(0.2)
    yield Served(root, port, process)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
