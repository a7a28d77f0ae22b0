"""Every text-taking command against the whole corpus of bad inputs, and every numeric option out of range.

Each run gives a result (exit 0) or a clear Japanese message on stderr with a
non-zero exit code; never a traceback (an exception out of ``main`` fails the
test), never more than BUDGET seconds (issue 15). The commands run in-process
on the bundled models, so torch is imported once for the whole file.
"""

from __future__ import annotations

import io
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


# -- issue 20: files, seeds, tiny temperatures and model folders of another kind ----------------------------

def bad_files(tmp_path):
    """Each kind of unusable --ja / --en file, by name."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (tmp_path / "binary").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1").write_bytes("café とは\n".encode("latin-1", errors="replace") + b"\xe9\xff\n")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "blank").write_text("\n  \n\u3000\n", encoding="utf-8")
    return {"missing": tmp_path / "nope.ja", "folder": folder, "binary": tmp_path / "binary",
            "not-utf8": tmp_path / "latin1", "empty": tmp_path / "empty", "blank-lines": tmp_path / "blank"}


EVAL_COMMANDS = {
    "eval seq2seq": ["eval", "seq2seq"],
    "eval transformer": ["eval", "transformer"],
    "eval gpt": ["eval", "gpt"],
    "eval bert": ["eval", "bert"],
}
FILE_CASES = ["missing", "folder", "binary", "not-utf8", "empty", "blank-lines"]


@pytest.mark.parametrize("case", FILE_CASES)
@pytest.mark.parametrize("command", list(EVAL_COMMANDS))
def test_an_unusable_file_is_refused_with_a_message(capsys, paths, monkeypatch, tmp_path, command, case) -> None:
    bad = bad_files(tmp_path)[case]
    good = tmp_path / "good.en"
    good.write_text("i like cats .\n", encoding="utf-8")
    argv = [*EVAL_COMMANDS[command], "--ja", str(bad)]
    if command in ("eval seq2seq", "eval transformer"):
        argv += ["--en", str(good)]
    code, out, err = run(capsys, argv, paths, monkeypatch)
    check(code, out, err, f"{command} --ja {case}")
    assert code != 0 and ("--ja" in err or "コーパス" in err), err


@pytest.mark.parametrize("command", ["eval seq2seq", "eval transformer"])
def test_the_reference_file_is_checked_too_and_must_match_line_for_line(capsys, paths, monkeypatch, tmp_path,
                                                                         command) -> None:
    ja, en = tmp_path / "x.ja", tmp_path / "x.en"
    ja.write_text("猫が好きです。\n犬が好きです。\n", encoding="utf-8")
    for en_bytes, says in ((b"\xff\xfe\n", "--en"), ("i like cats .\n".encode(), "行数が合いません"), (b"", "--en")):
        en.write_bytes(en_bytes)
        code, out, err = run(capsys, [*EVAL_COMMANDS[command], "--ja", str(ja), "--en", str(en)], paths, monkeypatch)
        check(code, out, err, f"{command} --en {en_bytes[:8]!r}")
        assert code != 0 and says in err, err
    code, out, err = run(capsys, [*EVAL_COMMANDS[command], "--ja", str(ja)], paths, monkeypatch)
    assert code != 0 and "両方" in err


def test_pre_split_japanese_reads_as_written(tmp_path) -> None:
    """The corpus's own files (words split by spaces) are read as the learner would write them."""
    from tutor.cli_common import read_lines

    f = tmp_path / "dev.ja"
    f.write_text("兄 は 港町 の 学生 で す 。\nhello world と 言っ た 。\n", encoding="utf-8")
    assert read_lines(f, "--ja", japanese=True) == ["兄は港町の学生です。", "hello world と言った。"]


@pytest.mark.parametrize("seed", ["99999999999999999999999", "-1", str(2**64), "abc"])
def test_a_seed_outside_64_bits_is_refused(capsys, paths, monkeypatch, seed) -> None:
    code, out, err = run(capsys, ["generate", "猫は", "--seed", seed, "--max-tokens", "3"], paths, monkeypatch)
    check(code, out, err, f"--seed {seed}")
    assert code == 2 and "--seed" in err


def test_the_largest_seed_is_used(capsys, paths, monkeypatch) -> None:
    code, out, err = run(capsys, ["generate", "猫は", "--seed", str(2**64 - 1), "--max-tokens", "3"], paths,
                         monkeypatch)
    assert code == 0 and out.strip().startswith("猫は")


@pytest.mark.parametrize("temperature", ["1e-40", "0.001", "5e-324"])
def test_a_temperature_below_the_minimum_is_greedy(capsys, paths, monkeypatch, temperature) -> None:
    code, greedy, _ = run(capsys, ["generate", "彼女は駅で", "--temperature", "0", "--max-tokens", "8"], paths,
                          monkeypatch)
    assert code == 0
    code, out, err = run(capsys, ["generate", "彼女は駅で", "--temperature", temperature, "--max-tokens", "8",
                                  "--seed", "3"], paths, monkeypatch)
    check(code, out, err, f"--temperature {temperature}")
    assert code == 0 and out == greedy


#: Each command that takes --dir, and the kind of folder it needs.
DIR_COMMANDS = {
    "translate": (["translate", "猫が好き"], ("seq2seq", "transformer")),
    "eval seq2seq": (["eval", "seq2seq"], ("seq2seq", "transformer")),
    "generate": (["generate", "猫は"], ("gpt",)),
    "fill-mask": (["fill-mask", "猫が[MASK]です。"], ("bert",)),
    "classify": (["classify", "楽しい"], ("bert-classifier",)),
    "similar": (["similar", "猫"], ("word2vec",)),
    "analogy": (["analogy", "兄", "弟", "妹"], ("word2vec",)),
    "eval gpt": (["eval", "gpt"], ("gpt",)),
    "eval bert": (["eval", "bert"], ("bert",)),
}
FOLDERS = {"seq2seq": "seq2seq-general", "transformer": "transformer", "gpt": "gpt", "bert": "bert",
           "bert-classifier": "bert-sentiment", "word2vec": "word2vec-cbow", "bigram": "bigram-ja"}


WRONG_DIRS = [(command, kind) for command, (_, accepts) in DIR_COMMANDS.items()
              for kind in FOLDERS if kind not in accepts]


@pytest.mark.parametrize(("command", "kind"), WRONG_DIRS)
def test_a_model_folder_of_another_kind_is_refused_by_the_loader(capsys, paths, monkeypatch, command, kind) -> None:
    argv, _ = DIR_COMMANDS[command]
    code, out, err = run(capsys, [*argv, "--dir", str(paths.models_dir / FOLDERS[kind])], paths, monkeypatch)
    check(code, out, err, f"{command} --dir {FOLDERS[kind]}")
    assert code == 1 and "このフォルダは" in err and "のモデルです" in err, err
