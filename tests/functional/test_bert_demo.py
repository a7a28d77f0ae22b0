"""Pilot tests of lesson L7's demo, on a tiny BERT, classifier and GPT trained from the team's sentences."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, SelectionList, Static, TabbedContent
from textual.worker import WorkerFailed

from pilot_helpers import settle as settle_workers
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos.base import PageError
from tutor.demos.models import MODELS

SIZE = (120, 40)
SENTENCE = "犬が公園で走っている。"


@pytest.fixture(scope="module")
def l7_models(tiny_bert_models) -> tuple[Path, Path]:
    return tiny_bert_models


async def settle(pilot, delay: float = 0.1) -> None:
    """pilot_helpers.settle, where a page's PageError (a model missing on purpose) is not a test failure."""
    for _ in range(20):
        try:
            await settle_workers(pilot, delay)
            return
        except WorkerFailed as exc:
            if not isinstance(exc.error, PageError):
                raise
    raise AssertionError("the app's workers never settled")


def make(paths, models: Path):
    MODELS.clear()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L7", "demo")
    await pilot.pause()
    pilot.app.query_one("#demo-tabs", TabbedContent).active = tab
    await settle(pilot)


def text(app, selector: str) -> str:
    return str(app.query_one(selector).render())


async def test_fill_mask_blanks_chosen_tokens_and_typed_masks(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-fill")
        tokens = app.query_one("#fm-tokens", SelectionList)
        assert tokens.selected == [0]  # the first noun, 犬, starts hidden
        result = text(app, "#fm-result")
        assert "空所 1 (1 語目)" in result and "もとの語: 犬" in result and "[MASK]" in result
        tokens.select(2)  # 公園 too
        await settle(pilot)
        result = text(app, "#fm-result")
        assert "空所 2 (3 語目)" in result and "もとの語: 公園" in result
        app.query_one("#fm-input").value = "[MASK]が庭で寝ている。"
        await settle(pilot)
        result = text(app, "#fm-result")
        assert "あなたが書いた [MASK]" in result and "空所 2" not in result


async def test_gpt_and_bert_fill_the_same_blank(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-vs-gpt")
        assert "GPT (左だけ)" in text(app, "#vs-gpt") and "BERT (左右の両方)" in text(app, "#vs-bert")
        assert "もとの語: 犬" in text(app, "#vs-context")
        app.query_one("#vs-position", Select).value = 2
        await settle(pilot)
        context = text(app, "#vs-context")
        assert "もとの語: 公園" in context and "GPT が見る:  犬が＿＿" in context


async def test_masking_counts_converge_to_the_recipe(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-masking")
        assert "これまでに引いた回数: 1 回" in text(app, "#mk-counts")
        await pilot.click("#mk-many")
        await settle(pilot)
        counts = text(app, "#mk-counts")
        assert "1,001 回" in counts
        line = next(row for row in counts.splitlines() if "[MASK] / 選ばれた語" in row)
        share = float(line.split("%")[0].split()[-1])
        assert 75 <= share <= 85
        await pilot.click("#mk-reset")
        await settle(pilot)
        assert "これまでに引いた回数: 1 回" in text(app, "#mk-counts")


async def test_heads_overview_shows_every_layer_and_head(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-heads")
        panel = app.query_one("#bert-heads-page")
        assert "[CLS]" in text(app, "#hd-tokens") and "[SEP]" in text(app, "#hd-tokens")
        overview = panel.query_one("#hd-overview").render().plain
        assert "L2 H2" in overview and "L1 H1" in overview
        app.query_one("#hd-layer", Select).value = 1
        app.query_one("#hd-head", Select).value = 0
        await settle(pilot)
        assert "層 2 ヘッド 1" in text(app, "#hd-detail-title")


async def test_live_fine_tuning_runs_and_classifies(paths, l7_models, monkeypatch) -> None:
    models, corpus = l7_models
    monkeypatch.setenv("TUTOR_DATA_DIR", str(corpus))
    app = make(paths, models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-finetune")
        assert "同梱の分類器" in text(app, "#ft-verdict")
        await pilot.click("#ft-start")
        await settle(pilot)
        await settle(pilot)
        curves = text(app, "#ft-curves")
        assert "特徴量だけ" in curves and "ファインチューニング (全部の重み)" in curves and "正解率" in curves
        verdict = text(app, "#ft-verdict")
        assert "いま学習: 特徴量だけ" in verdict and "いま学習: ファインチューニング" in verdict
        assert not app.query_one("#ft-start", Button).disabled


async def test_without_models_the_panels_say_how_to_get_them(paths, tmp_path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    app = make(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        for tab in ("bert-fill", "bert-vs-gpt", "bert-masking", "bert-heads", "bert-finetune"):
            await open_tab(pilot, tab)
            message = str(app.query_one(f"#{tab}-page").query_one(".message", Static).render())
            assert "tutor train bert" in message, tab


#: The inner pages in order, with the control that must have the keys when each shows.
MAIN = {"bert-fill": "fm-tokens", "bert-vs-gpt": "vs-position", "bert-masking": "mk-draw",
        "bert-heads": "hd-layer", "bert-finetune": "ft-start"}


def active(app) -> str:
    return app.query_one("#demo-tabs", TabbedContent).active


async def step(pilot, key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_each_page_gives_its_main_control_the_keys_and_brackets_never_type(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-fill")
        box = app.query_one("#fm-input", Input)
        pages = list(MAIN)
        for n, page in enumerate(pages):
            assert active(app) == page
            focused = app.focused
            assert focused is not None and focused.id == MAIN[page], (page, focused)
            assert not isinstance(focused, Input), page
            if n + 1 < len(pages):
                await step(pilot, "right_square_bracket")
        assert box.value == SENTENCE  # `]` moved pages, it never typed into the sentence field
        for page in reversed(pages[:-1]):
            await step(pilot, "left_square_bracket")
            assert active(app) == page and app.focused is not None and app.focused.id == MAIN[page]


async def test_brackets_leave_a_page_after_its_main_control_was_used(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-fill")
        for key in ("down", "space"):  # hide 「が」 too, from the keyboard
            await step(pilot, key)
        await step(pilot, "right_square_bracket")
        assert active(app) == "bert-vs-gpt"
        for key in ("enter", "down", "down", "enter"):  # pick another blank in the select
            await step(pilot, key)
        assert app.query_one("#vs-position", Select).value == 2
        await step(pilot, "right_square_bracket")
        assert active(app) == "bert-masking"
        await step(pilot, "enter")  # もう一度引く
        assert "これまでに引いた回数: 2 回" in text(app, "#mk-counts")
        await step(pilot, "right_square_bracket")
        assert active(app) == "bert-heads"
        await step(pilot, "left_square_bracket")
        await pilot.pause(0.2)
        assert active(app) == "bert-masking"  # no snapping back to the page the focus came from
        await step(pilot, "left_square_bracket")
        await pilot.pause(0.2)
        assert active(app) == "bert-vs-gpt"


async def test_announced_keys_work_without_a_click(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-fill")
        tokens = app.query_one("#fm-tokens", SelectionList)
        assert tokens.selected == [0]
        await step(pilot, "down")  # ↑↓ で移動
        await step(pilot, "space")  # Space で切り替え
        assert tokens.selected == [0, 1]
        assert "空所 2 (2 語目)" in text(app, "#fm-result")
        await step(pilot, "enter")  # Enter で文を書き換え
        box = app.query_one("#fm-input", Input)
        assert app.focused is box
        await pilot.press("end", "]")
        assert box.value == SENTENCE + "]"  # while typing, `]` is a character
        await step(pilot, "escape")
        assert app.focused is not box
        await step(pilot, "right_square_bracket")
        assert active(app) == "bert-vs-gpt" and box.value == SENTENCE + "]"


async def test_enter_starts_the_live_run_without_a_click(paths, l7_models, monkeypatch) -> None:
    models, corpus = l7_models
    monkeypatch.setenv("TUTOR_DATA_DIR", str(corpus))
    app = make(paths, models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "bert-finetune")
        await pilot.press("enter")  # the start button has the keys
        await settle(pilot)
        await settle(pilot)
        assert "特徴量だけ" in text(app, "#ft-curves") and "いま学習: ファインチューニング" in text(app, "#ft-verdict")
        assert "学習が終わりました" in text(app, "#bert-finetune-page .message")
        assert not app.query_one("#bert-finetune-page").running


async def test_the_sentence_row_wraps_between_tokens_only(paths, l7_models) -> None:
    app = make(paths, l7_models[0])
    async with app.run_test(size=(64, 40)) as pilot:
        sentence = "友達に会いに行くために、朝早く起きて電車に乗りましたが、駅で会いたかった人に会いました。"
        app.set_sentence(sentence)
        await open_tab(pilot, "bert-fill")
        await pilot.pause()
        result = app.query_one("#fm-result")
        lines = result.render().plain.split("\n")
        row = lines[: next(i for i, line in enumerate(lines) if "[SEP]" in line) + 1]
        assert len(row) > 1  # it had to wrap
        from tutor.core.bert_lm import split_masks

        tokens = ["[CLS]", *["[MASK]" if i == 0 else t for i, t in enumerate(split_masks(sentence)[0])], "[SEP]"]
        words = " ".join(row).replace("BERT が読む文: ", "").split()
        assert words == tokens  # every line holds whole tokens: 「会い」 is never cut into 「会」 and 「い」
