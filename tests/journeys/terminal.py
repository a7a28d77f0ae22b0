"""A real terminal for journeys: the installed ``tutor`` in a detached tmux session.

The journeys drive the app the way a learner does (keys into a terminal, the
screen read back as text), so they catch what Pilot cannot: the real key
parser, the real terminal size, focus as the learner meets it. Every session
gets its own HOME, XDG dirs and TUTOR_HOME (see tutor/settings.py), so no real
progress is touched, and its own tmux server socket, so nothing here can reach
a tmux the developer is using.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

from rich.cells import cell_len

#: The console script that `pip install` put next to this interpreter; TUTOR_JOURNEY_COMMAND
#: (a command line) runs the journeys against another build, e.g. an older checkout.
TUTOR = Path(sys.executable).parent / "tutor"


def tutor_command() -> list[str]:
    override = os.environ.get("TUTOR_JOURNEY_COMMAND")
    return shlex.split(override) if override else [str(TUTOR)]
#: Polling interval of wait_for: fast enough to see a flicker, slow enough not to load the CPU.
POLL = 0.05
#: Generous: the CI machine is small and often shared.
TIMEOUT = 10.0


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


class JourneyFailed(AssertionError):
    """A wait that timed out; the message carries the screen as it was."""


class Terminal:
    """One ``tutor`` run in a tmux pane of ``width`` × ``height`` cells."""

    def __init__(self, home: Path, width: int = 120, height: int = 40, progress: dict | None = None,
                 args: tuple[str, ...] = ("--device", "cpu"), env: dict[str, str] | None = None) -> None:
        self.home = home
        self.width, self.height = width, height
        self.socket = f"tutor-journey-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.session = "tutor"
        self.pid: int | None = None
        self.tutor_home = home / "tutor"
        if progress is not None:
            self.progress_file.parent.mkdir(parents=True, exist_ok=True)
            self.progress_file.write_text(json.dumps({"version": 1, **progress}, ensure_ascii=False), encoding="utf-8")
        env = {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "xdg-data"),
            "XDG_CONFIG_HOME": str(home / "xdg-config"),
            "XDG_CACHE_HOME": str(home / "xdg-cache"),
            "TUTOR_HOME": str(self.tutor_home),
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            # No TUTOR_DATA_DIR: without a corpus, 学習開始 and ファインチューニングを始める only say
            # so, and a journey that presses them never starts a training run (unless ``env`` gives one).
            **(env or {}),
        }
        command = ["env", "-i", f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}",
                   *(f"{k}={v}" for k, v in env.items()), *tutor_command(), *args]
        # No status line (the pane is the whole terminal); a pane whose app died stays on screen,
        # so a crash's traceback reaches the failure message.
        self.config = home / "tmux.conf"
        self.config.write_text("set -g status off\nset -g remain-on-exit on\n", encoding="utf-8")
        self._tmux("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), *command)
        try:
            self.socket_path = Path(self._tmux("display-message", "-p", "#{socket_path}", capture=True).strip())
            # The pane's process is `env`, which execs into tutor: the same pid.
            out = self._tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}", capture=True)
            self.pid = int(out.split()[0])
        except BaseException:
            self.close()
            raise

    # -- tmux -------------------------------------------------------------------------------
    def _tmux(self, *args: str, capture: bool = False, check: bool = True) -> str:
        # -u and a UTF-8 locale: CI may run with no LANG, and tmux would then draw kana as "_".
        done = subprocess.run(["tmux", "-u", "-L", self.socket, "-f", str(self.config), *args],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", check=False,
                              timeout=20, env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
        return done.stdout if capture else ""

    def send(self, *keys: str) -> None:
        """tmux key names ("Enter", "C-q", "Right") or literal characters ("]", "3")."""
        for key in keys:
            if len(key) == 1:
                self._tmux("send-keys", "-t", self.session, "-l", key)
            else:
                self._tmux("send-keys", "-t", self.session, key)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def click(self, text: str, below: int = 0, after: str = "") -> None:
        """Click the middle of the first ``text`` on screen (at or after row ``below``, after ``after``
        on its row), as a mouse would.

        tmux has no click command, so this writes the terminal's SGR mouse report (press then
        release) into the pane, the bytes a terminal sends for a left click.
        """
        for y, line in enumerate(self.lines()):
            i = line.find(text, line.find(after) + len(after) if after and after in line else 0)
            if y >= below and (not after or after in line) and i >= 0:
                x = cell_len(line[:i]) + max(0, cell_len(text) // 2)
                break
        else:
            raise JourneyFailed(f"nothing to click: {text!r} is not on the screen:\n{self.screen()}")
        for final in ("M", "m"):
            report = f"\x1b[<0;{x + 1};{y + 1}{final}".encode()
            self._tmux("send-keys", "-t", self.session, "-H", *(f"{b:02x}" for b in report))

    def resize(self, width: int, height: int) -> None:
        """Resize the terminal, as a learner dragging the window; waits until the app has redrawn its footer."""
        footer = self.screen().rstrip("\n").split("\n")[-1]
        self._tmux("resize-window", "-t", self.session, "-x", str(width), "-y", str(height))
        self.width, self.height = width, height

        def redrawn(shot: str) -> bool:
            lines = shot.rstrip("\n").split("\n")
            return len(lines) == height and lines[-1].strip() != "" and lines[-1] != footer

        self.wait_for(redrawn, why=f"the app redrawn at {width}×{height}")
        time.sleep(0.3)  # the rest of the layout follows the footer within a frame or two

    def scroll_to(self, text: str, tries: int = 40) -> None:
        """Turn the mouse wheel over the middle of the content until ``text`` is on screen."""
        x, y = self.width * 2 // 3, self.height // 2
        for _ in range(tries):
            if text in self.screen():
                return
            report = f"\x1b[<65;{x + 1};{y + 1}M".encode()  # 65: wheel down
            self._tmux("send-keys", "-t", self.session, "-H", *(f"{b:02x}" for b in report))
            time.sleep(0.15)
        if text not in self.screen():
            raise JourneyFailed(f"scrolled {tries} times and {text!r} never showed:\n{self.screen()}")

    def screen(self) -> "Shot":
        """The visible screen as text, one line per row (a Shot: a str that also knows each cell's colour)."""
        try:
            return Shot(self._tmux("capture-pane", "-p", "-e", "-t", self.session, capture=True))
        except RuntimeError:
            return Shot("")  # the session is gone

    def lines(self) -> list[str]:
        return self.screen().split("\n")

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = TIMEOUT, why: str = "") -> str:
        """Poll the screen until ``what`` (a text, or a predicate of the screen) holds; return that screen."""
        test = (lambda s: what in s) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while True:
            shot = self.screen()
            if test(shot):
                return shot
            if not self.alive():
                raise JourneyFailed(f"tutor has exited (waiting for {why or what!r}); the screen was:\n{shot}")
            if time.monotonic() > deadline:
                label = why or (repr(what) if isinstance(what, str) else getattr(what, "__name__", "condition"))
                raise JourneyFailed(f"waited {timeout:.0f} s for {label}; the screen was:\n{shot}")
            time.sleep(POLL)

    def settle(self, quiet: float = 0.5, timeout: float = 6.0) -> float:
        """Wait until the page has drawn its result: nothing says 「…中…」 (計算中…, 翻訳中…) below the top
        bar and the screen has not changed for ``quiet`` s; at most ``timeout`` s. Returns the seconds waited.

        A learner uses a control once the page shows its result; before that a Select can be
        refilled under its open list. Never fails: something may animate on purpose.
        """
        start = time.monotonic()
        last, since = self.screen(), start
        while time.monotonic() - start < timeout:
            time.sleep(POLL)
            shot = self.screen()
            if shot != last or _BUSY.search(shot.split("\n", 1)[-1]):
                last, since = shot, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return time.monotonic() - start

    def holds(self, what: str | Callable[[str], bool], seconds: float) -> bool:
        """Whether ``what`` stays true on every poll for ``seconds`` (a flicker shows up as a miss)."""
        test = (lambda s: what in s) if isinstance(what, str) else what
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not test(self.screen()):
                return False
            time.sleep(POLL)
        return True

    # -- the app's state --------------------------------------------------------------------
    @property
    def progress_file(self) -> Path:
        return self.tutor_home / "data" / "progress.json"

    def progress(self) -> dict:
        try:
            return json.loads(self.progress_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # A zombie is gone for our purposes: tmux reaps it.
        try:
            return Path(f"/proc/{self.pid}/stat").read_text().split(") ")[-1][0] != "Z"
        except OSError:
            return False

    def wait_gone(self, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise JourneyFailed(f"tutor (pid {self.pid}) still runs {timeout:.0f} s after quitting; "
                                    f"the screen was:\n{self.screen()}")
            time.sleep(POLL)

    def hang_up(self) -> None:
        """Close the terminal under the app, as closing the window or an SSH drop does (tmux sends SIGHUP)."""
        self._tmux("kill-session", "-t", self.session, check=False)

    def quit(self, key: str = "q") -> None:
        """Quit with ``key`` ("q" or "C-q") and check the process has ended."""
        self.send(key)
        self.wait_gone()

    def close(self) -> None:
        """Kill the session and its tmux server; safe to call twice."""
        self._tmux("kill-server", check=False)
        if getattr(self, "socket_path", None) is not None:
            self.socket_path.unlink(missing_ok=True)
        if self.pid is not None and self.alive():
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass


# -- reading the screen ---------------------------------------------------------------------
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_ESC = re.compile(r"\x1b\[[0-9;:?]*[A-Za-z]|\x1b[()][0-9A-B]|\x1b[=>]")
OUTER = ("1 説明", "2 実験", "3 クイズ")
#: What a page shows while it computes: 計算中…, 翻訳中…, 読み込み中….
_BUSY = re.compile(r"中(…|\.\.\.)")
#: The tab bar under a row of tabs: a run of heavy rules.
_BAR = re.compile(r"[━╸╺]{6,}")


def _fg_after(params: str, fg):
    """The foreground colour after one SGR sequence (other attributes do not matter here)."""
    codes = [int(c) if c.isdigit() else 0 for c in re.split("[;:]", params or "0")]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c in (0, 39):
            fg = None
        elif c in (38, 48):
            kind = codes[i + 1] if i + 1 < len(codes) else 0
            value = tuple(codes[i + 2:i + 5]) if kind == 2 else codes[i + 2] if i + 2 < len(codes) else 0
            if c == 38:
                fg = value
            i += 4 if kind == 2 else 2
        elif 30 <= c <= 37 or 90 <= c <= 97:
            fg = c
        i += 1
    return fg


class Shot(str):
    """A captured screen: the text (SGR stripped), and ``cells(row)``: (cell column, char, colour) of a row."""

    def __new__(cls, raw: str):
        shot = super().__new__(cls, _ESC.sub("", _SGR.sub("", raw)))
        shot.raw = raw.split("\n")
        return shot

    def cells(self, row: int) -> list[tuple[int, str, object]]:
        if row >= len(self.raw):
            return []
        out, fg, col, pos, line = [], None, 0, 0, self.raw[row]
        for match in _SGR.finditer(line + "\x1b[m"):
            for ch in _ESC.sub("", line[pos:match.start()]):
                out.append((col, ch, fg))
                col += cell_len(ch)
            fg = _fg_after(match.group(1), fg)
            pos = match.end()
        return out


def _spans(line: str, titles) -> dict[str, tuple[int, int]]:
    """Cell spans [start, end) of each title found in ``line`` (a wide glyph takes two cells)."""
    spans = {}
    for title in titles:
        i = line.find(title)
        if i >= 0:
            start = cell_len(line[:i])
            spans[title] = (start, start + cell_len(title))
    return spans


def _highlight(shot: Shot, row: int) -> tuple[int, int] | None:
    """Cell span [start, end) of the lit part of the tab bar on ``row``, or None if the row is not one.

    Read from the colours: the lit part has its own colour. The glyphs alone cannot tell,
    since the bar's half cells (╸ ╺) belong to either part as the underline slides.
    """
    if not _BAR.search(shot.split("\n")[row]):
        return None
    cells = [(col, fg) for col, ch, fg in shot.cells(row) if ch in "━╸╺"]
    counts: dict[object, int] = {}
    for _, fg in cells:
        counts[fg] = counts.get(fg, 0) + 1
    if len(counts) < 2:
        return None
    lit = min(counts, key=counts.get)  # the lit part is one tab; the rest of the bar is wider
    cols = [col for col, fg in cells if fg == lit]
    return min(cols), max(cols) + 1


def active_tab(shot: Shot, titles) -> str | None:
    """Which of ``titles`` is the active tab of the tab row that shows them, read from its underline."""
    if not isinstance(shot, Shot):
        raise TypeError("active_tab reads colours: pass Terminal.screen()")
    lines = shot.split("\n")
    for row in range(1, len(lines)):
        spans = _spans(lines[row - 1], titles)
        if not spans:
            continue
        lit = _highlight(shot, row)
        if lit is None:
            continue
        overlap = {t: min(e, lit[1]) - max(s, lit[0]) for t, (s, e) in spans.items()}
        best = max(overlap, key=overlap.get)
        return best if overlap[best] > 0 else None
    return None


def content(line: str) -> str:
    """A row without the lesson list on its left (everything up to the list's border ▕)."""
    return line.split("▕", 1)[1] if "▕" in line[:40] else line
