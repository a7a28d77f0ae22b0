"""Pilot tests of lesson L6's demo, on a tiny GPT trained from the team's sentences."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Select, Static, TabbedContent
from textual.worker import WorkerFailed

from pilot_helpers import settle
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.core.gpt_explain import Compared, FirstStep
from tutor.core.sampling import Row
from tutor.core.text import tokenize
from tutor.demos.gpt import StepPage
from tutor.demos.gpt.diversity import table
from tutor.demos.gpt.examples import token_grid
from tutor.demos.gpt.playground import Knobs, bars
from tutor.demos.models import MODELS
from tutor.widgets.slider import Slider

SIZE = (120, 40)
TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"
SENTENCE = "犬が公園を走る。"


@pytest.fixture(scope="module")
def l6_models(tmp_path_factory) -> Path:
    from tutor.core.gpt import GPTConfig
    from tutor.core.gpt_lm import LanguageModel
    from tutor.core.train.gpt import GPTTrainConfig, MonolingualData, train
    from tutor.core.vocab import Vocab

    sentences = [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines()]
    data = MonolingualData(Vocab.build(sentences, 1), sentences, sentences[:5])
    cfg = GPTConfig(vocab=len(data.vocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0)
    model, figures = train(data, cfg, GPTTrainConfig(epochs=4, batch_size=16, lr=3e-3, warmup=5))
    models = tmp_path_factory.mktemp("models")
    LanguageModel(model, data.vocab, figures).save(models / "gpt")
    return models


def make(paths, models: Path):
    MODELS.clear()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L6", "demo")
    await pilot.pause()
    pilot.app.query_one("#demo-tabs", TabbedContent).active = tab
    await settle_failing(pilot)


async def settle_failing(pilot) -> None:
    """``settle``, where a page's request may end in a PageError (the model missing): the page shows it, not a
    failure."""
    for _ in range(10):
        try:
            await settle(pilot)
            return
        except WorkerFailed:
            pass


def text(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_training_examples_are_every_prefix(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-examples")
        table = text(app, "#ex-table")
        n = len(tokenize(SENTENCE))
        assert f"学習例: {n + 1} 個" in table and "<s> 犬 が  →  公園" in table and "→  </s>" in table


async def test_sliders_regenerate_and_the_bars_show_what_was_cut(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        first = text(app, "#pg-output")
        assert "続き" in first and "サンプリング" in first
        bars = text(app, "#pg-bars")
        assert "top-k で除外" not in bars and "top-p で除外" not in bars
        from rich.cells import cell_len

        top_k = app.query_one("#pg-top-k", Slider)
        drawn = top_k.render().plain
        # wide text right-aligned by cells
        assert drawn.rstrip().endswith("オフ") and cell_len(drawn) <= top_k.content_size.width
        app.query_one("#pg-top-k", Slider).value = 3
        await settle(pilot)
        bars = text(app, "#pg-bars")
        assert "top-k で除外" in bars and "残った語: 3 /" in bars
        app.query_one("#pg-temperature", Slider).value = 0.0
        await settle(pilot)
        assert "貪欲法" in text(app, "#pg-output")
        # The slider moves with the keyboard too.
        slider = app.query_one("#pg-seed", Slider)
        slider.focus()
        await pilot.press("right", "right")
        await settle(pilot)
        assert slider.value == 2
        # l is the app's key (the lesson list), even with a slider focused: sliders move with ← → only.
        lessons = app.query_one("#lesson-list")
        shown = not lessons.has_class("-hidden")
        await pilot.press("l")
        assert slider.value == 2 and lessons.has_class("-hidden") == shown


async def test_step_mode_picks_tokens_by_hand_and_by_sampler(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-step")
        panel = app.query_one("#gpt-step-page", StepPage)
        start = list(panel.words)
        box = app.query_one("#st-candidates", OptionList)
        assert box.option_count > 0
        box.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert len(panel.words) == len(start) + 1 or "</s>" in text(app, "#st-text")
        await pilot.click("#st-undo")
        await settle(pilot)
        assert panel.words == start


async def test_diversity_and_newest_attention(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-diversity")
        table = text(app, "#dv-table")
        assert "distinct-1" in table and "貪欲法" in table and "温度 1.5" in table
        await open_tab(pilot, "gpt-attention")
        bars = text(app, "#nw-bars")
        assert "最後の語「。」" in bars and "ヘッド 2" in bars


async def test_without_the_model_the_panels_say_how_to_get_it(paths, tmp_path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    app = make(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        for tab in ("gpt-playground", "gpt-step", "gpt-diversity", "gpt-attention"):
            await open_tab(pilot, tab)
            assert "tutor train gpt" in str(app.query_one(f"#{tab}-page").query_one(".message", Static).render())


# -- the focus model: every page's main control has the keys as soon as it shows ------------------
MAIN_CONTROLS = {
    "gpt-examples": "#ex-scroll",
    "gpt-playground": "#pg-temperature",
    "gpt-step": "#st-candidates",
    "gpt-diversity": "#dv-scroll",
    "gpt-attention": "#nw-layer",
}


def active(app) -> str:
    return app.query_one("#demo-tabs", TabbedContent).active


async def test_each_page_gives_its_main_control_the_keys_when_shown_with_the_bracket(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        app.open_lesson("L6", "demo")
        await settle(pilot)
        for n, (tab, main) in enumerate(MAIN_CONTROLS.items()):
            if n:
                await pilot.press("]")
                await settle(pilot)
            assert active(app) == tab
            focused = app.focused
            assert focused is app.query_one(main) and not isinstance(focused, Input), (tab, focused)
        assert isinstance(app.query_one("#ex-scroll"), VerticalScroll)
        assert isinstance(app.query_one("#nw-layer"), Select)


async def test_brackets_leave_a_page_after_its_main_control_was_used(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        await pilot.press("right")  # the temperature slider
        await settle(pilot)
        assert app.query_one("#pg-temperature", Slider).value == 1.1
        await pilot.press("]")
        await settle(pilot)
        assert active(app) == "gpt-step"
        await pilot.press("down")  # the candidates
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)
        assert active(app) == "gpt-diversity"
        await pilot.press("[")
        await settle(pilot)
        assert active(app) == "gpt-step" and app.focused is app.query_one("#st-candidates")
        await pilot.press("[")
        await settle(pilot)
        assert active(app) == "gpt-playground" and app.focused is app.query_one("#pg-temperature")


async def test_step_page_arrows_and_enter_work_without_a_click(paths, l6_models) -> None:
    """The hint says 「↑↓ で選んで Enter」: those keys pick a word as soon as the page shows."""
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        await pilot.press("]")
        await settle(pilot)
        page = app.query_one("#gpt-step-page", StepPage)
        assert "↑↓ で選んで Enter" in str(page.query_one(".hint", Static).render())
        start = list(page.words)
        box = app.query_one("#st-candidates", OptionList)
        await pilot.press("down")
        assert box.highlighted == 1
        second = page.choices.candidates[1][0]
        await pilot.press("enter")
        await settle(pilot)
        assert page.words == [*start, second] or second == "</s>"


async def test_playground_enter_edits_the_prompt_and_escape_leaves_it(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        assert app.focused is app.query_one("#pg-temperature")
        await pilot.press("enter")
        assert app.focused is app.query_one("#pg-prompt", Input)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.focused, Input)


# -- Japanese width: table headers line up with their values in terminal cells ---------------------
def field_ends(line: str) -> list[int]:
    """The cell offset where each space-separated field of ``line`` ends."""
    ends, cells, inside = [], 0, False
    for ch in line:
        if ch == " ":
            if inside:
                ends.append(cells)
            inside = False
        else:
            inside = True
        cells += cell_len(ch)
    if inside:
        ends.append(cells)
    return ends


def assert_right_aligned(header: str, row: str, columns: int) -> None:
    """The last ``columns`` header labels end in the same cell as the values under them."""
    assert field_ends(header)[-columns:] == field_ends(row)[-columns:], (header, row)


def test_first_step_bar_headers_line_up_with_the_values() -> None:
    rows = [("公園", Row(5, 0.412, 0.6)), ("走る", Row(6, 0.2, None, "top-k")), ("です", Row(7, 0.1, 0.4))]
    lines = bars(FirstStep(rows, 2, 100, 98, 0), Knobs(1.0, 2, None, 1, 20, 0)).plain.splitlines()
    header = lines[1]
    assert "モデル" in header and "フィルタ後" in header
    for row in (lines[2], lines[4]):
        assert_right_aligned(header, row.split(" █")[0].rstrip("█▏▎▍▌▋▊▉ "), 2)
    assert field_ends(header)[1] == field_ends(lines[3])[1]  # the model's column of a cut word too
    assert "top-k で除外" in lines[3]


def test_greedy_vs_sampling_headers_line_up_with_the_figures() -> None:
    rows = [Compared("貪欲法", [["犬"]], 0.25, 0.5, 0.125), Compared("温度 1.0、top-p 0.9", [["猫"]], 1.0, 1.0, 0.0)]
    lines = table("犬が", rows).plain.splitlines()
    header = next(line for line in lines if "繰り返し率" in line)
    for row in lines[lines.index(header) + 1 : lines.index(header) + 3]:
        assert_right_aligned(header, row, 3)


async def test_the_live_tables_line_up_too(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        lines = text(app, "#pg-bars").splitlines()
        assert "除外" not in lines[2]  # no filter is on: the most probable word is kept
        assert_right_aligned(lines[1], lines[2].rstrip("█▏▎▍▌▋▊▉ "), 2)
        await open_tab(pilot, "gpt-diversity")
        lines = text(app, "#dv-table").splitlines()
        header = next(line for line in lines if "繰り返し率" in line)
        assert_right_aligned(header, lines[lines.index(header) + 1], 3)


# -- the shifted input/target rows wrap between tokens and keep their labels ------------------------
def test_token_grid_wraps_between_tokens_with_the_labels_repeated() -> None:
    tokens = ["昨日", "は", "友だち", "と", "駅前", "の", "本屋", "に", "行き", "まし", "た", "。"]
    rows = [("入力", ["<s>", *tokens]), ("正解", [*tokens, "</s>"])]
    wide = token_grid(rows, 200)
    assert len(wide) == 2
    narrow = token_grid(rows, 30)
    assert len(narrow) > 2
    blocks = [narrow[i : i + 2] for i in range(0, len(narrow), 3)]
    seen_in, seen_out = [], []
    for inp, out in blocks:
        assert inp.startswith("入力") and out.startswith("正解")
        assert cell_len(inp) <= 30 and cell_len(out) <= 30
        seen_in += inp.split()[1:]
        seen_out += out.split()[1:]
        # Columns: a token and the one it predicts start in the same cell.
        assert ([cell_len(inp[: inp.index(t)]) for t in inp.split()[1:2]]
                == [cell_len(out[: out.index(t)]) for t in out.split()[1:2]])
    assert seen_in == ["<s>", *tokens] and seen_out == [*tokens, "</s>"]  # no token cut or lost


async def test_training_examples_keep_their_labels_in_a_small_terminal(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=(60, 24)) as pilot:
        app.set_sentence("昨日は友だちと駅前の本屋に行きました。")
        await open_tab(pilot, "gpt-examples")
        lines = [line for line in app.query_one("#ex-shifted").render().plain.splitlines() if line]
        assert len(lines) > 2 and all(line.startswith(("入力", "正解")) for line in lines)


def test_a_long_example_input_keeps_its_nearest_words_and_its_row() -> None:
    from tutor.demos.gpt.examples import fit_left

    words = ["<s>", "私", "は", "毎朝", "犬", "と", "公園", "を", "散歩", "し", "て", "コーヒー"]
    assert fit_left(words[:4], 40) == "<s> 私 は 毎朝"  # fits: shown whole
    assert fit_left(words, 6) == "… コーヒー"  # the nearest word stays whole, even past the cells
    for cells in (12, 20, 30):
        shown = fit_left(words, cells)
        assert cell_len(shown) <= cells and shown.startswith("… ")
        assert words[-1] in shown.split() and " ".join(words).endswith(shown[2:])  # the nearest words, whole
