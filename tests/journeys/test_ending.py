"""Ending tutor in a real terminal: a hang-up, SIGTERM or SIGINT at any moment ends the process within
2 s, and the progress file is intact and says where the learner was (issue 15).

The terminal is a tmux pane (terminal.py); a hang-up is ``tmux kill-session``, which
closes the pane's pseudo-terminal and sends SIGHUP, as closing the window or an SSH
drop does. Before the fix, a hang-up 0.4 s after q left the process running for
good (reproduced with this file against the old tree; see tutor/process.py).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from .steps import expect_page, pages_of
from .terminal import POLL, JourneyFailed, Terminal, tmux_available

#: The budget: the process is gone this many seconds after the hang-up or the signal.
GONE = 2.0
TINY = Path(__file__).resolve().parent.parent / "data" / "tiny_ja.txt"

pytestmark = pytest.mark.skipif(not tmux_available(), reason="tmux is not installed (.ci/run installs it)")


def tiny_corpus(folder: Path) -> Path:
    """A corpus small enough to train on in seconds: the test sentences, repeated (train/dev .ja/.en)."""
    lines = [line for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    train = (lines * (3000 // len(lines) + 1))[:3000]
    folder.mkdir(parents=True)
    for split, rows in (("train", train), ("dev", lines)):
        (folder / f"{split}.ja").write_text("\n".join(rows) + "\n", encoding="utf-8")
        (folder / f"{split}.en").write_text("\n".join("a sentence ." for _ in rows) + "\n", encoding="utf-8")
    return folder


def shown(term: Terminal, lesson: str) -> None:
    term.wait_for(lambda s: s.startswith(f" {lesson} ") and "1 説明" in s, why=f"{lesson} drawn")


def at_first_frame(term: Terminal) -> tuple[str, str]:
    time.sleep(0.15)  # the interpreter is still importing: nothing is drawn yet
    assert "1 説明" not in term.screen(), "the app drew its first frame before the moment this case is about"
    return "L4", "demo"


def while_model_loads(term: Terminal) -> tuple[str, str]:
    shown(term, "L4")  # the 実験 tab is open: its translator is loading and running in a worker thread
    return "L4", "demo"


def while_training(term: Terminal) -> tuple[str, str]:
    shown(term, "L2")
    titles = [title for _, title in pages_of("L2")]
    expect_page(term, titles, titles[0], hold=0)
    for title in titles[1:titles.index("学習") + 1]:
        term.send("]")
        expect_page(term, titles, title, hold=0)
    term.wait_for("学習開始", why="the 学習 page")
    time.sleep(0.5)
    term.send("Enter")  # 学習開始 has the keys when the page opens
    term.wait_for(lambda s: "学習: " in s, why="the training run to start")
    return "L2", "demo"


def while_quitting(after: float):
    """q, then the hang-up or signal ``after`` s later: the old shutdown hung for good when it came ~0.4 s in."""

    def moment(term: Terminal) -> tuple[str, str]:
        shown(term, "L4")
        time.sleep(1.0)
        term.send("q")
        time.sleep(after)
        return "L4", "demo"

    return moment


MOMENTS = {"first-frame": at_first_frame, "model-loading": while_model_loads, "training": while_training,
           **{f"quitting+{ms}ms": while_quitting(ms / 1000) for ms in (0, 100, 200, 300, 400)}}


@pytest.mark.parametrize("how", ["hang-up", "SIGTERM", "SIGINT"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_the_process_ends_and_progress_is_kept(tmp_path, moment, how):
    lesson = "L2" if moment == "training" else "L4"
    term = Terminal(tmp_path, 120, 40, progress={"lesson": lesson, "tab": "demo", "sentence": "", "lessons": {}},
                    env={"TUTOR_DATA_DIR": str(tiny_corpus(tmp_path / "corpus"))})
    try:
        expected = MOMENTS[moment](term)
        sent = time.monotonic()
        if how == "hang-up":
            term.hang_up()
        else:
            os.kill(term.pid, getattr(signal, how))
        while term.alive():
            if time.monotonic() - sent > GONE:
                raise JourneyFailed(f"tutor still runs {GONE} s after the {how} ({moment}); "
                                    f"the screen was:\n{term.screen()}")
            time.sleep(POLL)
        progress = term.progress()  # {} when the file is missing or not JSON
        assert (progress.get("lesson"), progress.get("tab")) == expected, \
            f"the progress file after the {how} ({moment}) is {progress!r}"
    finally:
        term.close()
