"""Pilot tests of lesson L7's demo, on a tiny BERT, classifier and GPT trained from the team's sentences."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pilot_helpers import settle
from textual.widgets import Button, Select, SelectionList, Static, TabbedContent

from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos import bert as bert_screen
from tutor.demos.models import MODELS
from tutor.demos import gpt as gpt_screen

SIZE = (120, 40)
SENTENCE = "犬が公園で走っている。"


@pytest.fixture(scope="module")
def l7_models(tiny_bert_models) -> tuple[Path, Path]:
    return tiny_bert_models


def make(paths, models: Path):
    MODELS.clear()
    return build_app(paths=replace(paths, models_dir=models), resolve_device=lambda r: resolve(r, cuda_name=lambda: None),
                     device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L7", "demo")
    await pilot.pause()
    pilot.app.query_one("#bert-tabs", TabbedContent).active = tab
    await settle(pilot)


def text(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


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
        panel = app.query_one("#bert-heads-panel")
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
            message = str(app.query_one(f"#{tab}-panel").query_one(".message", Static).render())
            assert "tutor train bert" in message, tab
