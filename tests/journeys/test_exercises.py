"""演習 in a real terminal (issue 16): start the exercise, edit the file, see the tab turn green.

Two ways a learner edits: `e` with $EDITOR set (the app suspends, the editor runs,
the app comes back and checks), and saving from an editor in another window (the
tab notices the save within a second). Both at 80×24, the smallest size we support.
"""

from __future__ import annotations

import shutil
import stat
import time

import pytest

from tutor.settings import PROJECT_ROOT

from .terminal import Terminal, tmux_available

SOLUTION = PROJECT_ROOT / "lessons/01-morphology/exercises/onehot/solution.py"
PROGRESS = {"lesson": "L1", "tab": "exercise", "sentence": "", "lessons": {}}


@pytest.fixture(autouse=True)
def needs_tmux():
    if not tmux_available():
        pytest.skip("tmux is not installed (Debian: apt-get install tmux; .ci/run installs it)")


def open_terminal(tmp_path, env: dict[str, str] | None = None) -> Terminal:
    term = Terminal(tmp_path, 80, 24, progress=PROGRESS, env=env)
    term.wait_for("演習 onehot", why="the 演習 tab of L1")
    return term


def test_e_opens_the_editor_and_the_saved_solution_turns_the_tab_green(tmp_path):
    editor = tmp_path / "fake-editor"
    # An "editor" that writes the model solution into the file it is given, as a learner would by hand.
    editor.write_text(f"#!/bin/sh\ncp '{SOLUTION}' \"$1\"\n", encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    term = open_terminal(tmp_path, env={"EDITOR": str(editor)})
    try:
        term.send("e")
        term.wait_for("合格です", why="the check of the saved file")
        shot = term.wait_for("✓ 行列の中身は 0 と 1 の整数", why="every case's line")
        assert "✓ 例: 猫 が 魚 を 食べ た" in shot and "✗" not in shot
        term.wait_for("演習 1/1", why="the lesson list to count the pass")
        assert term.progress()["lessons"]["L1"]["exercises"]["onehot"]["passed"] is True
        term.quit()
    finally:
        term.close()


def test_saving_from_another_window_is_checked_within_a_second_or_two(tmp_path):
    term = open_terminal(tmp_path)
    try:
        term.send("e")  # no $EDITOR: the file is created and its path shown
        file = term.tutor_home / "data" / "exercises" / "onehot.py"
        term.wait_for("まだです", why="the starter's check (NotImplementedError)")
        assert file.exists()
        time.sleep(0.05)
        file.write_text("def onehot(tokens):\n    return [], None\n", encoding="utf-8")
        shot = term.wait_for("✗ 例", why="a wrong answer's verdict")
        assert "合格です" not in shot
        shutil.copy(SOLUTION, file)
        started = time.monotonic()
        term.wait_for("合格です", why="the right answer's verdict")
        assert time.monotonic() - started < 3
        term.send("1", "4")  # switching tabs keeps the verdict
        term.wait_for("合格です", why="the verdict after 1 and 4")
        term.quit()
    finally:
        term.close()
