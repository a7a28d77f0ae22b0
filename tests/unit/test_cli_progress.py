"""The CLI progress reporter (tutor.cli_progress): plain lines in a log, a clean live bar on a terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from rich.cells import get_character_cell_size
from rich.console import Console

from tutor.__main__ import main
from tutor.cli_progress import Reporter, amount, clock

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_ja.txt"
ESC = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])")


def screen(raw: str, width: int = 100) -> list[str]:
    """What a terminal shows after ``raw``: enough of one to follow rich's live redraws (carriage return,
    cursor up, erase line; colours and cursor visibility ignored) and a wide glyph's two cells."""
    rows: list[list[str]] = [[]]
    row = col = 0
    i = 0
    while i < len(raw):
        m = ESC.match(raw, i)
        if m:
            n = int(m.group(1)) if m.group(1).isdigit() else 1
            if m.group(2) == "A":
                row = max(row - n, 0)
            elif m.group(2) == "K":  # 2: the whole line; 0 (default): from the cursor on
                rows[row] = [] if m.group(1) == "2" else rows[row][:col]
            i = m.end()
            continue
        ch = raw[i]
        i += 1
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row, col = row + 1, 0
            while len(rows) <= row:
                rows.append([])
        else:
            line = rows[row]
            line.extend(" " * (col - len(line)))
            cells = [ch] + [""] * (get_character_cell_size(ch) - 1)
            line[col : col + len(cells)] = cells
            col += len(cells)
    return ["".join(r).rstrip() for r in rows]


def terminal(width: int = 100) -> Console:
    return Console(file=StringIO(), force_terminal=True, width=width, color_system=None, _environ={})


def test_formats() -> None:
    assert [clock(None), clock(7), clock(83), clock(3723)] == ["--:--", "0:07", "1:23", "1:02:03"]
    assert [amount(3.21), amount(812.4), amount(123_456)] == ["3.2", "812", "123k"]


def test_a_log_gets_plain_complete_lines_at_milestones_and_the_end() -> None:
    log = Console(file=StringIO(), width=80)
    with Reporter(300, "文", console=log) as bar:
        assert not bar.live
        for i in range(1, 301):
            bar.update(i, f"エポック {(i - 1) // 100 + 1}/3 バッチ {(i - 1) % 100 + 1}/100", milestone=i in (100, 200))
    text = log.file.getvalue()
    assert "\x1b" not in text and "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    # two epoch ends and the final state, not one line per update
    assert [line.split("  ")[0] for line in lines] == ["エポック 1/3 バッチ 100/100", "エポック 2/3 バッチ 100/100",
                                                      "エポック 3/3 バッチ 100/100"]
    assert "100%" in lines[-1] and "文/秒" in lines[-1] and "残り 0:00" in lines[-1] and "経過 " in lines[-1]


def test_a_log_also_gets_a_line_every_so_often_without_milestones() -> None:
    log = Console(file=StringIO())
    with Reporter(3, "文", console=log, log_every=0) as bar:
        for i in range(1, 4):
            bar.update(i, f"{i}/3")
    assert log.file.getvalue().splitlines()[0].startswith("1/3")
    assert len(log.file.getvalue().splitlines()) == 3  # the last one was shown already: not written twice


def test_a_terminal_shows_the_bar_with_rate_elapsed_and_time_left() -> None:
    tty = terminal()
    with Reporter(1000, "文", console=tty) as bar:
        assert bar.live
        for i in range(1, 6):
            time.sleep(0.02)
            bar.update(i * 50, f"エポック 1/4 バッチ {i}/20 損失 3.210")
        bar._progress.refresh()
        shown = [line for line in screen(tty.file.getvalue()) if line]
        assert shown[0] == "エポック 1/4 バッチ 5/20 損失 3.210" and len(shown) == 2
        assert re.fullmatch(r"━{10,}╸?\s+25%  [\d,.]+k? 文/秒  経過 0:0\d  残り \d+:\d\d", shown[1]), shown[1]
    raw = tty.file.getvalue()
    assert raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l") >= 0  # the cursor, hidden while drawing, is given back


def test_an_interrupted_run_gives_the_cursor_back() -> None:
    tty = terminal()
    with pytest.raises(KeyboardInterrupt), Reporter(10, "文", console=tty) as bar:
        bar.update(3, "エポック 1/2")
        raise KeyboardInterrupt
    raw = tty.file.getvalue()
    assert raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l") >= 0
    assert [line for line in screen(raw) if line][-1].startswith("エポック 1/2   30%")  # where it stopped


def test_a_shorter_description_leaves_nothing_behind() -> None:
    # The emulator does show the old printers' bug: "\r" and a shorter line keep the longer line's tail.
    assert (screen("\rエポック 1/2 損失 3.210 検証 BLEU 12.34\rエポック 2/2 損失 2.9")
            == ["エポック 2/2 損失 2.910 検証 BLEU 12.34"])
    tty = terminal(width=60)
    with Reporter(100, "文", console=tty) as bar:
        bar.update(10, "エポック 1/2 バッチ 10/50 損失 3.210 検証 BLEU 12.34")
        bar._progress.refresh()
        bar.update(60, "エポック 2/2 損失 2.9")
        bar._progress.refresh()
        shown = [line for line in screen(tty.file.getvalue(), 60) if line]
        assert shown[0] == "エポック 2/2 損失 2.9" and len(shown) == 2
        assert shown[1].startswith("━") and re.search(r" 60%  .* 残り [-\d:]+$", shown[1]), shown[1]
    # the bar gone, its last state kept
    assert [line for line in screen(tty.file.getvalue(), 60) if line] == [bar.line()]


def test_a_terminal_keeps_milestones_as_lines_above_the_bar() -> None:
    tty = terminal()
    with Reporter(2, "文", console=tty) as bar:
        bar.update(1, "エポック 1/2 終了", milestone=True)
        bar.update(2, "エポック 2/2 終了", milestone=True)
    shown = [line for line in screen(tty.file.getvalue()) if line]
    assert [line.split("  ")[0] for line in shown] == ["エポック 1/2 終了", "エポック 2/2 終了"]


def _tiny_corpus(tmp_path: Path) -> Path:
    lines = TINY.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "corpus"
    data.mkdir()
    (data / "train.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "train.en").write_text("x\n" * len(lines), encoding="utf-8")
    return data


def test_a_real_training_writes_plain_lines_to_a_piped_stderr(tmp_path) -> None:
    """FORCE_COLOR (set by many CI setups) must not turn a log into redraws: only a real terminal gets the bar."""
    env = {**os.environ, "TUTOR_HOME": str(tmp_path / "home"), "FORCE_COLOR": "1", "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "tutor", "train", "word2vec", "--epochs", "3", "--min-count", "1",
            "--data", str(_tiny_corpus(tmp_path)), "--out", str(tmp_path / "w2v")]
    proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "\x1b" not in proc.stderr
    epochs = [line for line in proc.stderr.splitlines() if line.startswith("エポック")]
    assert [line.split(" loss")[0] for line in epochs] == ["エポック 1/3 終了", "エポック 2/3 終了",
                                                           "エポック 3/3 終了"]
    assert "100%" in epochs[-1] and "語/秒" in epochs[-1]
    assert proc.stdout.startswith("保存しました") and "エポック" not in proc.stdout


def test_eval_json_stays_clean_while_the_beam_search_reports(capsys, paths, tmp_path) -> None:
    ja, en = tmp_path / "dev.ja", tmp_path / "dev.en"
    ja.write_text("犬 が 走る 。\n猫 が 寝る 。\n", encoding="utf-8")
    en.write_text("a dog runs .\na cat sleeps .\n", encoding="utf-8")
    assert main(["eval", "seq2seq", "--ja", str(ja), "--en", str(en), "--beam", "2", "--json"], paths=paths) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["sentences"] == 2
    assert "ビーム探索（幅 2） 2/2 文" in err and "100%" in err and "\x1b" not in err and "\r" not in err


def test_download_progress_is_one_plain_line_in_a_log(capsys, paths, monkeypatch) -> None:
    from tutor.core import download

    def fake(dest, url, progress):
        for done in (2**20, 2 * 2**20, 3 * 2**20):
            progress(done, 3 * 2**20)
        return download.Installed(dest, {"train.ja": 1})

    monkeypatch.setattr(download, "download", fake)
    assert main(["data", "download"], paths=paths) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\r" not in err
    assert err.splitlines()[-1].startswith("  3.0 MB / 3.0 MB  100%") and "MB/秒" in err
