"""`tutor translate --svg` and `tutor similar --map` (issue 19): the pictures hold what the commands compute;
paths that cannot take them are refused in Japanese with exit 1, before any model loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tutor.__main__ import main

SENTENCE = "犬が公園を走る。"


def run(capsys, argv, paths):
    code = main(argv, paths=paths)
    out, err = capsys.readouterr()
    return code, out, err


def texts(svg: str) -> str:
    """The picture's text: the text elements' contents run together (rich may give a wide character an
    element of its own), its non-breaking spaces as spaces."""
    return re.sub(r"<[^>]*>", "", svg).replace("&#160;", " ")


def test_translate_svg_draws_the_grid_of_the_translation(capsys, paths, tmp_path: Path) -> None:
    out = tmp_path / "grid.svg"
    code, stdout, _ = run(capsys, ["--device", "cpu", "translate", SENTENCE, "--beam", "1", "--json"], paths)
    assert code == 0
    expected = json.loads(stdout)
    code, stdout, stderr = run(capsys, ["--device", "cpu", "translate", SENTENCE, "--beam", "1", "--svg", str(out)],
                               paths)
    assert code == 0
    assert stdout.strip() == " ".join(expected["target"])  # the translation still goes to stdout
    assert str(out) in stderr and "書き出しました" in stderr
    raw = out.read_text(encoding="utf-8")
    svg = texts(raw)
    assert raw.startswith("<svg") and "アテンションの重み" in svg
    assert all(tok in svg for tok in expected["source"]) and all(word in svg for word in expected["target"])
    # The cells say the weights in percent, as the app's grid does: each row's largest one is there.
    for row in expected["attention"]:
        assert f">{round(max(row) * 100)}<" in raw.replace("&#160;", "")


def test_translate_svg_with_stdin_draws_every_sentence(capsys, paths, tmp_path: Path, monkeypatch) -> None:
    import io

    out = tmp_path / "two.svg"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("犬が走る。\n猫が寝る。\n".encode())))
    code, stdout, _ = run(capsys, ["--device", "cpu", "translate", "--beam", "1", "--svg", str(out)], paths)
    assert code == 0 and len(stdout.splitlines()) == 2
    svg = texts(out.read_text(encoding="utf-8"))
    assert "犬が走る" in svg and "猫が寝る" in svg


@pytest.mark.parametrize("command", [["translate", SENTENCE, "--svg"], ["similar", "犬", "--map"]],
                         ids=["translate", "similar"])
def test_paths_that_cannot_take_the_picture_are_refused(capsys, paths, tmp_path: Path, command) -> None:
    option = command[-1]
    a_file = tmp_path / "note.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = {
        tmp_path / "missing" / "out.svg": "保存先のフォルダがありません",
        tmp_path: "フォルダではなくファイル名を指定してください",
        a_file / "out.svg": "はフォルダではありません",
        tmp_path / "out.png": ".svg で終わるファイル名",
    }
    for path, says in cases.items():
        code, stdout, stderr = run(capsys, ["--device", "cpu", *command, str(path)], paths)
        assert code == 1, (path, stderr)
        assert stderr.startswith(f"tutor: {option} ") and says in stderr, stderr
        assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt"]  # nothing written anywhere


def test_a_write_that_fails_is_a_message_not_a_traceback(capsys, paths, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "map.svg"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    code, _, stderr = run(capsys, ["similar", "犬", "--map", str(out)], paths)
    assert code == 1 and "書き込めませんでした" in stderr and "書き込む権限がありません" in stderr


def test_plain_has_no_attention_to_draw(capsys, paths, tmp_path: Path) -> None:
    out = tmp_path / "plain.svg"
    code, _, stderr = run(capsys, ["--device", "cpu", "translate", SENTENCE, "--variant", "plain", "--svg", str(out)],
                          paths)
    assert code == 2 and "plain" in stderr and not out.exists()


def test_similar_map_places_the_word_and_its_neighbours(capsys, paths, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    code, stdout, _ = run(capsys, ["similar", "犬", "--topn", "5", "--json"], paths)
    neighbours = [n["word"] for n in json.loads(stdout)["neighbors"]]
    code, stdout, stderr = run(capsys, ["similar", "犬", "--topn", "5", "--map", str(out)], paths)
    assert code == 0 and "「犬」に近い単語" in stdout and str(out) in stderr
    svg = texts(out.read_text(encoding="utf-8"))
    assert "「犬」に近い単語の地図" in svg and "分散の" in svg
    placed = [w for w in neighbours if w in svg]
    assert len(placed) >= 4, (neighbours, placed)  # a label may be left out where two overlap (the note says so)
