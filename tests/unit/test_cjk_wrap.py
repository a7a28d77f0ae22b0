"""Japanese line breaking in Textual's wrapper (tutor.widgets.cjk_wrap)."""

from __future__ import annotations

import pytest
from rich._wrap import divide_line
from textual._wrap import compute_wrap_offsets

from tutor.widgets import cjk_wrap

WRAPPERS = {
    "rich": lambda text, width: divide_line(text, width),
    "textual": lambda text, width: compute_wrap_offsets(text, width, tab_size=4),
}


@pytest.fixture(params=sorted(WRAPPERS))
def lines(request):
    wrap = WRAPPERS[request.param]

    def split(text: str, width: int) -> list[str]:
        bounds = [0, *wrap(text, width), len(text)]
        return [text[a:b] for a, b in zip(bounds, bounds[1:])]

    return split


def test_japanese_breaks_between_characters_and_fills_each_line(lines) -> None:
    assert cjk_wrap.install()
    text = "コンピュータに日本語を扱わせるとき、最初にやるのは文を単語に分けることです。"
    out = lines(text, 20)  # 10 wide characters per line
    assert "".join(out) == text
    assert all(len(line) <= 10 for line in out)
    assert len(out[0]) >= 9  # filled, not left ragged


def test_closing_punctuation_never_starts_a_line(lines) -> None:
    cjk_wrap.install()
    text = "あいうえおかきくけ、こさしすせそ。たちつてと"
    for width in range(6, 30, 2):
        for line in lines(text, width):
            assert line[0] not in "、。", (width, line)


def test_punctuation_after_a_latin_word_or_number_stays_with_it(lines) -> None:
    cjk_wrap.install()
    text = "同じ向きなら 1、直交なら 0、正反対なら -1。skip-gram は遅い。"
    for width in range(6, 40):
        for line in lines(text, width):
            assert line.lstrip()[:1] not in "、。", (width, line)


def test_latin_words_still_break_at_spaces(lines) -> None:
    cjk_wrap.install()
    out = lines("MeCab と UniDic で解析する", 12)
    assert "".join(out) == "MeCab と UniDic で解析する"
    assert not any(line.startswith("Cab") or line.startswith("Dic") for line in out)
    english = "the quick brown fox jumps over the lazy dog"
    assert all(line.strip() in english.split() or " " in line.strip() for line in lines(english, 10))



async def test_a_missing_hook_is_told_to_the_learner_not_passed_over(monkeypatch, tmp_path) -> None:
    """A Rich whose private wrapper changed: the app still starts, and says why Japanese wraps badly."""
    import rich._wrap

    from tutor.app import build_app
    from tutor.core.device import resolve
    from tutor.settings import Paths

    monkeypatch.delattr(rich._wrap, "re_word")
    assert cjk_wrap.install() is False
    monkeypatch.undo()  # Rich itself needs the name to draw anything; the app sees the failure as install() saw it
    monkeypatch.setattr(cjk_wrap, "install", lambda: False)
    app = build_app(Paths(tmp_path / "d", tmp_path / "c"), resolve_device=lambda r: resolve(r, cuda_name=lambda: None),
                    device_check_delay=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        shown = [str(n.message) for n in app._notifications]
    assert any("日本語の折り返し" in n for n in shown)


def test_importing_the_app_changes_no_wrapper() -> None:
    """Only build_app switches the rule on: importing tutor.app leaves Rich as it was."""
    import subprocess
    import sys

    code = "import rich._wrap as w; before = w.re_word; import tutor.app; print(w.re_word is before)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
