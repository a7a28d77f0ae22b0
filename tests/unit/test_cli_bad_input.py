"""Every text-taking command against the whole corpus of bad inputs, and every numeric option out of range.

Each run gives a result (exit 0) or a clear Japanese message on stderr with a
non-zero exit code; never a traceback (an exception out of ``main`` fails the
test), never more than BUDGET seconds (issue 15). The commands run in-process
on the bundled models, so torch is imported once for the whole file.
"""

from __future__ import annotations

import io
import math
import sys
import time

import pytest

from tutor.__main__ import main

#: Seconds one command may take on one bad input.
BUDGET = 30.0

BAD_TEXTS = {
    "empty": "",
    "spaces": "   \u3000 ",
    "100k": "吾輩は猫である。" * 12_500,
    "1M": "あ" * 1_000_000,
    "nul": "猫が\x00好き",
    "controls": "猫\x01が\x07好き\x7f\x9b",
    "esc": "\x1b[31m赤い\x1b[0m猫\x1b]0;title\x07",
    "surrogate": "猫\ud800が好き",
    "emoji-zwj": "家族👨\u200d👩\u200d👧\u200dと旅行🇯🇵",
    "markup": "[b]太字[/b] と [/] と [@click=app.quit]x[/]",
    "rtl": "שלום עולם",
    "rlo": "猫\u202eが好き",
    "halfwidth": "ｺﾝﾋﾟｭｰﾀｰｶﾞｽｷ",
    "latin": "hello world",
}
#: What arrives on stdin: the texts above as lines, plus bytes that are not UTF-8.
BAD_STDIN = {
    "invalid-utf8": b"\xff\xfe\x80abc\n\xe3\x81\n",
    "many-lines": "\n".join(["猫が好き", "", "[b]x[/]", "\x00"] * 25).encode(),
}

#: Each command with a TEXT argument: argv before and after the text.
COMMANDS = {
    "analyze": (["analyze"], []),
    "onehot": (["onehot"], []),
    "similar": (["similar"], []),
    "analogy": (["analogy", "王"], ["女"]),
    "translate": (["translate"], []),
    "translate-transformer": (["translate", "--variant", "transformer"], []),
    "generate": (["generate"], ["--max-tokens", "5"]),
    "fill-mask": (["fill-mask"], []),
    "classify": (["classify"], []),
}
#: Commands that read stdin when the text is left out.
STDIN_COMMANDS = ("analyze", "onehot", "translate", "translate-transformer")


class FakeStdin(io.TextIOWrapper):
    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")

    def isatty(self) -> bool:
        return False


def run(capsys, argv, paths, monkeypatch, stdin: bytes | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin))
    start = time.perf_counter()
    try:
        code = main(argv, paths=paths)
    except SystemExit as exc:  # argparse's own refusals: exit 2 with a usage line
        code = exc.code if isinstance(exc.code, int) else 1
    took = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert took < BUDGET, f"{argv[:3]} took {took:.1f} s (budget {BUDGET} s)"
    return code, out, err


def check(code: int, out: str, err: str, what: str) -> None:
    assert "Traceback" not in out + err, f"{what}: a traceback reached the learner:\n{err[-2000:]}"
    if code == 0:
        return
    assert code in (1, 2), f"{what}: exit code {code}"
    message = err.strip().splitlines()[-1] if err.strip() else ""
    assert message, f"{what}: exit {code} with nothing on stderr"
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in message), \
        f"{what}: the message is not in Japanese: {message!r}"


@pytest.mark.parametrize("text_name", list(BAD_TEXTS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_text(capsys, paths, monkeypatch, command, text_name) -> None:
    before, after = COMMANDS[command]
    text = BAD_TEXTS[text_name]
    if command == "fill-mask" and text.strip():
        text = text[:200] + "[MASK]" + text[200:]  # past the first words, so a cut input may lose it
    code, out, err = run(capsys, [*before, text, *after], paths, monkeypatch)
    check(code, out, err, f"{command} on {text_name}")
    if text.strip() and text_name not in ("esc", "controls", "nul") and code == 0:
        assert out.strip() or err.strip(), f"{command} on {text_name}: exit 0 and nothing said"


@pytest.mark.parametrize("stdin_name", list(BAD_STDIN))
@pytest.mark.parametrize("command", STDIN_COMMANDS)
def test_bad_stdin(capsys, paths, monkeypatch, command, stdin_name) -> None:
    before, after = COMMANDS[command]
    code, out, err = run(capsys, [*before, *after], paths, monkeypatch, stdin=BAD_STDIN[stdin_name])
    check(code, out, err, f"{command} reading {stdin_name}")
    assert code == 0, f"{command} reading {stdin_name}: one bad line must not stop the rest ({err[-500:]})"


BAD_OPTIONS = [
    *(["generate", "猫は", "--temperature", v] for v in ("0", "-1", "nan", "inf", "1e308")),
    *(["generate", "猫は", "--top-k", v] for v in ("0", "-5", str(10**9))),
    *(["generate", "猫は", "--top-p", v] for v in ("0", "1.5", "nan", "-0.1")),
    *(["generate", "猫は", "--max-tokens", v] for v in ("0", "-1", str(10**7))),
    *(["generate", "猫は", "--beam", v] for v in ("0", "100")),
    *(["translate", "猫が好き", "--beam", v] for v in ("0", "100")),
    ["fill-mask", "猫が好きです。"],
    ["fill-mask", "[MASK]" * 50],
    ["fill-mask", "[MASK]"],
    *(["fill-mask", "猫が[MASK]です。", "--top-k", v] for v in ("0", "-1", str(10**9))),
    *(["similar", "猫", "--topn", v] for v in ("0", "-1", str(10**9))),
]


@pytest.mark.parametrize("argv", BAD_OPTIONS, ids=lambda argv: " ".join(a[:12] for a in argv))
def test_out_of_range_option(capsys, paths, monkeypatch, argv) -> None:
    code, out, err = run(capsys, argv, paths, monkeypatch)
    check(code, out, err, " ".join(argv))
