"""The tutor in a browser tab: two learners at once, kept apart, in headless Chromium."""

from __future__ import annotations

import re
import time

#: Seconds for an app process to start and draw its first screen on a loaded 2-core machine.
FIRST_SCREEN = 60


class Learner:
    """One browser tab on `tutor serve`, with everything the terminal received."""

    def __init__(self, browser, served) -> None:
        self.served = served
        self.page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        self.received = bytearray()
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.received += payload if isinstance(payload, bytes) else payload.encode()

    @property
    def text(self) -> str:
        """What the app drew, escape sequences removed: enough to find a heading or a label in."""
        return re.sub(r"\x1b\[[0-9;?<>]*[A-Za-z]", "", self.received.decode("utf-8", "replace"))

    def start_new(self) -> str:
        self.page.goto(self.served.url + "/")
        self.page.click("#new")
        self.page.wait_for_url(re.compile(r"/learn/"))
        self.wait_for_first_screen()
        return self.page.url.split("/learn/")[1].split("?")[0]

    def wait_for_first_screen(self) -> None:
        self.page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=FIRST_SCREEN * 1000)
        self.wait_for_text("はじめに")

    def wait_for_text(self, needle: str, timeout: float = FIRST_SCREEN) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            assert time.monotonic() < deadline, f"{needle!r} never reached the browser"
            self.page.wait_for_timeout(200)


def wait_until(condition, why: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, why
        time.sleep(0.2)


def test_two_learners_at_once_each_with_their_own_progress(browser, served, tmp_path):
    alice, bob = Learner(browser, served), Learner(browser, served)
    a, b = alice.start_new(), bob.start_new()
    assert a != b
    # The lesson list arrived in the browser, and the ID bar says whose session this is.
    for learner, who in ((alice, a), (bob, b)):
        for label in ("L0 はじめに", "L1 形態素解析", "L7 BERT"):
            learner.wait_for_text(label)
        assert who in learner.page.inner_text("#learner")
    before = alice.page.screenshot(path=str(tmp_path / "before.png"))

    alice.page.keyboard.press("n")  # no click first: the page focuses the terminal itself
    alice.wait_for_text("自然言語処理とは")  # L1's first section
    wait_until(lambda: served.progress(a).get("lesson") == "L1", "alice's progress never said L1")
    after = alice.page.screenshot(path=str(tmp_path / "after.png"))
    assert after != before
    assert _distinct_colours(after) > 20  # a drawn terminal, not a blank or a loading page
    wait_until(lambda: served.progress(b).get("lesson") == "L0", "bob's progress is not his own")
    assert "自然言語処理とは" not in bob.text

    # x in a browser tab: the picture of the view comes to the browser as a download (the server's
    # folder is out of the learner's reach).
    with alice.page.expect_download(timeout=FIRST_SCREEN * 1000) as download:
        alice.page.keyboard.press("x")
    picture = download.value
    assert picture.suggested_filename.startswith("L1-prose") and picture.suggested_filename.endswith(".svg")
    assert "形態素解析" in open(picture.path(), encoding="utf-8").read()

    # A second tab of alice's is refused (two processes saving one file would undo each other);
    # once her tab is closed she comes back, typing her ID in capitals, where she left off.
    again = Learner(browser, served)
    again.page.goto(f"{served.url}/learn/{a}")
    assert "ほかのタブ" in again.page.inner_text("body")
    alice.page.close()
    wait_until(lambda: _accepts(served, a), "alice's ID stayed taken after her tab closed", timeout=30)
    again.page.goto(served.url + "/")
    again.page.fill("#id", a.upper())
    again.page.click("#resume")
    again.wait_for_text("自然言語処理とは")  # opened on L1, from her own progress file


def test_an_unknown_id_is_told_so_on_the_door(browser, served):
    visitor = Learner(browser, served)
    visitor.page.goto(served.url + "/")
    visitor.page.fill("#id", "22222-22222")
    visitor.page.click("#resume")
    assert "いません" in visitor.page.inner_text("#message")


def _accepts(served, who: str) -> bool:
    """The learner's page would open (asked without a browser, so no app process starts)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{served.url}/learn/{who}") as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def _distinct_colours(png: bytes) -> int:
    import io
    import zlib

    # A PNG's pixels without an imaging library: IHDR gives the size, IDAT holds zlib-compressed rows
    # (one filter byte each). Sampling unfiltered bytes is enough to tell a drawn screen from a blank one.
    stream = io.BytesIO(png)
    stream.read(8)
    data = b""
    while True:
        head = stream.read(8)
        if len(head) < 8:
            break
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        chunk = stream.read(length)
        stream.read(4)
        if kind == b"IDAT":
            data += chunk
    raw = zlib.decompress(data)
    return len({raw[i:i + 3] for i in range(0, len(raw) - 3, 97)})


def test_stopping_the_server_ends_every_learners_app(browser, served):
    """Ctrl+C on `tutor serve` (SIGTERM here) with two tabs open: no app process is left running."""
    import os
    import subprocess

    first, second = Learner(browser, served), Learner(browser, served)
    first.start_new(), second.start_new()
    apps = subprocess.run(["pgrep", "-P", str(served.process.pid)], capture_output=True, text=True).stdout.split()
    assert len(apps) == 2
    served.process.terminate()
    served.process.wait(timeout=30)

    def alive(pid: str) -> bool:
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        return True

    wait_until(lambda: not any(alive(p) for p in apps), "an app outlived its server", timeout=20)
