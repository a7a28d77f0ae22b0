"""Pilot tests of lesson L4's demo, on tiny translators trained from the team's sentences."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.worker import WorkerFailed

from pilot_helpers import settle as settle_workers
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos.attention import AttentionDemo, AttentionPage
from tutor.demos.attention.views import beam_view
from tutor.demos.base import PageError
from tutor.demos.models import MODELS as _cache
from tutor.widgets.attention_grid import AttentionGrid

SIZE = (120, 36)
TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> Path:
    from tutor.core.seq2seq import Seq2SeqConfig
    from tutor.core.text import tokenize
    from tutor.core.train.seq2seq import ParallelData, TrainConfig, train
    from tutor.core.translator import Translator
    from tutor.core.vocab import Vocab

    lines = TINY.read_text(encoding="utf-8").splitlines()
    pairs = [(tokenize(line), ["the", "dog" if "犬" in line else "thing", "."]) for line in lines]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:5])
    models = tmp_path_factory.mktemp("models")
    for variant in ("plain", "general"):
        cfg = Seq2SeqConfig(variant=variant, src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), emb=16,
                            hidden=24, max_len=6)
        model, figures = train(data, cfg, TrainConfig(epochs=3, batch_size=16, lr=5e-3))
        Translator(model, data.src_vocab, data.tgt_vocab, figures).save(models / f"seq2seq-{variant}")
    return models


def make(paths, models: Path):
    _cache.clear()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_demo(pilot) -> AttentionPage:
    """L4's 実験 tab, decoding at once; -> its page (the demo holds just the one)."""
    pilot.app.open_lesson("L4", "demo")
    await pilot.pause()
    demo = pilot.app.query_one(AttentionPage)
    demo.query_one("#att-speed", Select).value = 0.0
    await finish(pilot)
    return demo


async def finish(pilot) -> None:
    """Past the debounce, until every worker is done; a page's PageError (an empty sentence) is expected."""
    for _ in range(20):
        try:
            await settle_workers(pilot, 0.3)
            return
        except WorkerFailed as exc:
            if not isinstance(exc.error, PageError):
                raise
    raise AssertionError("the app's workers never settled")


def text_of(widget) -> str:
    return str(widget.render())


async def test_translation_fills_the_grid_row_by_row(paths, tiny_models) -> None:
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_demo(pilot)
        grid = demo.query_one(AttentionGrid)
        assert grid.source == ["私", "は", "毎朝", "犬", "と", "公園", "を", "散歩", "し", "ます", "。"]
        assert grid.rows and len(grid.rows) == len(grid.targets)
        assert all(abs(sum(r) - 1) < 1e-4 and len(r) == len(grid.source) for r in grid.rows)
        assert text_of(demo.query_one("#att-output", Static)).startswith("訳: ")

        demo.query_one("#att-mode", Select).value = "hard"
        await finish(pilot)
        assert grid.rows and all(max(r) == 1.0 and sum(r) == 1.0 for r in grid.rows)

        grid.focus()
        await pilot.press("right")
        assert "に置いた重み" in text_of(demo.query_one("#att-cell", Static))


async def test_typing_beam_and_plain(paths, tiny_models) -> None:
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_demo(pilot)
        demo.query_one("#att-input", Input).value = "猫が寝ている。"
        demo.query_one("#att-beam", Select).value = 3
        demo.query_one("#att-norm", Checkbox).value = False
        await finish(pilot)
        assert demo.query_one(AttentionGrid).source == ["猫", "が", "寝", "て", "いる", "。"]
        assert "ビーム探索の候補" in text_of(demo.query_one("#att-candidates", Static))

        demo.query_one("#att-variant", Select).value = "plain"
        demo.query_one("#att-beam", Select).value = 1
        await finish(pilot)
        assert demo.query_one(AttentionGrid).rows == []
        assert "アテンションなし" in text_of(demo.query_one("#att-cell", Static))

        demo.query_one("#att-input", Input).value = "  "
        await finish(pilot)
        assert "文が空です" in text_of(demo.query_one("#att-message", Static))


async def test_without_models_the_demo_says_how_to_make_one(paths, tmp_path) -> None:
    empty = tmp_path / "none"
    empty.mkdir()
    app = make(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("L4", "demo")
        await pilot.pause()
        demo = app.query_one(AttentionDemo)
        assert "tutor train seq2seq" in text_of(demo.query_one("#att-message", Static))


def struck(view: Text) -> list[str]:
    return [view.plain[span.start : span.end] for span in view.spans if str(span.style) == "strike dim"]


def test_the_beam_view_marks_finished_and_strikes_pruned_candidates() -> None:
    view = beam_view(1, 2, True, [("the dog", -0.5)], [("the", -0.7)], [("a cat", -2.25)])
    assert "2 語目 (幅 2)" in view.plain and "/ 長さ" in view.plain
    assert "the dog" in view.plain and "✓ 完了" in view.plain.split("the  ")[1]
    assert struck(view) == ["    -2.250  a cat"]
    assert "（空）" in beam_view(0, 2, False, [], [("", -1.0)], []).plain  # ended at once


async def test_beam_search_grows_and_prunes_step_by_step(paths, tiny_models) -> None:
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_demo(pilot)
        box = demo.query_one("#att-candidates", Static)
        views: list = []
        update = box.update

        def record(content="", *args, **kwargs):
            views.append(content)
            return update(content, *args, **kwargs)

        box.update = record
        demo.query_one("#att-beam", Select).value = 3
        await finish(pilot)
        steps = [v for v in views if isinstance(v, Text) and "(幅 3)" in v.plain]
        assert steps and steps[0].plain.startswith("ビーム探索: 1 語目 (幅 3)")
        assert [v.plain.split(" 語目")[0] for v in steps] == [f"ビーム探索: {i + 1}" for i in range(len(steps))]
        pruned = [line for v in steps for line in struck(v)]
        assert pruned and all(float(line.split()[0]) <= 0 for line in pruned)  # each with its score
        assert "捨てた候補" in steps[0].plain
        # then the final ranked list, and the grid holds the best candidate
        assert "ビーム探索の候補" in text_of(box)
        grid = demo.query_one(AttentionGrid)
        assert grid.rows and len(grid.rows) == len(grid.targets)


async def test_selecting_a_cell_works_its_row_through(paths, tiny_models) -> None:
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_demo(pilot)
        grid = demo.query_one(AttentionGrid)
        assert len(grid.rows) > 1
        grid.focus()
        await pilot.press("down")  # row 2, first source token
        await finish(pilot)
        assert grid.cursor == (1, 0)
        row, ex = demo.explained
        assert row == 1 and ex.weights == pytest.approx(grid.rows[1], abs=1e-5)
        shown = text_of(demo.query_one("#att-explain", Static))
        assert f"「{grid.targets[1]}」(2 語目)" in shown and "e_i = sᵀW h_i" in shown
        assert "24 次元" in shown  # the tiny models' hidden size
        lines = shown.splitlines()
        for tok, w, e in zip(grid.source, grid.rows[1], ex.scores):
            assert any(tok in line and f"{w:.3f}" in line and f"{e:.3f}" in line for line in lines)
        assert next(line for line in lines if line.startswith(">")).split()[1] == grid.source[0]

        await pilot.press("right")  # same row: the marked source token moves, the numbers stay
        await finish(pilot)
        assert demo.explained[0] == 1
        marked = [line for line in text_of(demo.query_one("#att-explain", Static)).splitlines() if line.startswith(">")]
        assert marked[0].split()[1] == grid.source[1]

        demo.query_one("#att-mode", Select).value = "hard"
        await finish(pilot)
        assert demo.explained is None and text_of(demo.query_one("#att-explain", Static)) == ""
        grid.focus()
        await pilot.press("down")
        await finish(pilot)
        row, ex = demo.explained
        assert ex.hard and ex.weights == grid.rows[row] and max(ex.weights) == 1.0
        assert "ハード" in text_of(demo.query_one("#att-explain", Static))

        demo.query_one("#att-input", Input).value = ""
        await finish(pilot)
        await pilot.press("down")  # an empty grid: nothing to select, nothing to explain
        await finish(pilot)
        assert demo.explained is None and text_of(demo.query_one("#att-explain", Static)) == ""


async def open_with_keys(pilot) -> AttentionPage:
    """L4 from the keyboard: the lesson, then its 実験 tab with ``2``."""
    pilot.app.open_lesson("L4", "prose")
    await finish(pilot)
    await pilot.press("2")
    await finish(pilot)
    return pilot.app.query_one(AttentionPage)


async def test_the_model_select_has_the_keys_when_the_page_shows_and_enter_edits(paths, tiny_models) -> None:
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_with_keys(pilot)
        assert app.focused is page.query_one("#att-variant", Select)
        page.query_one("#att-grid", AttentionGrid).focus()
        await pilot.press("enter")  # Enter on the page (not on a select) asks for the sentence field
        assert app.focused is page.query_one("#att-input", Input)
        await pilot.press("escape")
        assert not isinstance(app.focused, Input)


async def test_after_picking_a_model_3_shows_the_quiz_and_never_types(paths, tiny_models) -> None:
    """Issue 14, case 2: pick a モデル, press 3: the quiz shows; a second 3 types nowhere."""
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_with_keys(pilot)
        variant = page.query_one("#att-variant", Select)
        sentence = page.query_one("#att-input", Input).value
        await pilot.press("enter")  # open the select
        await pilot.press("up", "enter")  # pick the other model
        await finish(pilot)
        assert variant.value == "plain" and app.focused is variant
        await pilot.press("3")
        await finish(pilot)
        assert app.progress.tab == "quiz"
        assert isinstance(app.focused, OptionList) and app.focused.id == "quiz-choices"
        await pilot.press("3")
        await finish(pilot)
        assert app.progress.tab == "quiz"
        assert page.query_one("#att-input", Input).value == sentence
        assert all("3" not in box.value for box in app.query(Input))


async def test_brackets_on_the_page_never_type_into_the_field(paths, tiny_models) -> None:
    """Issue 14, case 3: ] and [ with the page's controls focused leave the sentence alone."""
    app = make(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_with_keys(pilot)
        box = page.query_one("#att-input", Input)
        sentence = box.value
        for focus in ("#att-variant", "#att-grid", "#att-beam"):
            page.query_one(focus).focus()
            await pilot.press("right_square_bracket", "left_square_bracket")
            await finish(pilot)
            assert box.value == sentence and not box.has_focus, focus
        # Typed into the field, then Esc: the keys are the app's again.
        page.action_edit()
        await pilot.press("escape", "right_square_bracket")
        await finish(pilot)
        assert box.value == sentence and not box.has_focus


async def test_a_sentence_longer_than_the_training_range_gets_a_notice_on_the_page(make_app) -> None:
    """Issue 18: the grid still fills, and the page says the model was trained on shorter sentences."""
    from textual.widgets import Static

    from pilot_helpers import settle

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_sentence("昨日、駅の近くで古い友人に会い、一緒に昼ご飯を食べてから、長い間話していなかった昔の学校の先生や"
                         "友だちのことについて、夕方になるまでずっと話し続けました。")
        app.open_lesson("L4", "demo")
        await settle(pilot, 0.5)
        page = app.query_one("AttentionPage")
        page.query_one("#att-speed").value = 0.0
        await settle(pilot, 0.5)
        assert "語くらいまでの短い文で学習した" in str(page.query_one("#att-message", Static).render())
