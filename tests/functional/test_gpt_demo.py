"""Pilot tests of lesson L6's demo, on a tiny GPT trained from the team's sentences."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pilot_helpers import settle
from textual.widgets import OptionList, Static, TabbedContent

from tutor.app import build_app
from tutor.core.device import resolve
from tutor.core.text import tokenize
from tutor.demos import gpt as gpt_screen
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
    return build_app(paths=replace(paths, models_dir=models), resolve_device=lambda r: resolve(r, cuda_name=lambda: None),
                     device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L6", "demo")
    await pilot.pause()
    pilot.app.query_one("#gpt-tabs", TabbedContent).active = tab
    await settle(pilot)


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
        assert drawn.rstrip().endswith("オフ") and cell_len(drawn) <= top_k.content_size.width  # wide text right-aligned by cells
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


async def test_step_mode_picks_tokens_by_hand_and_by_sampler(paths, l6_models) -> None:
    app = make(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-step")
        panel = app.query_one("#gpt-step-panel")
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
            assert "tutor train gpt" in str(app.query_one(f"#{tab}-panel").query_one(".message", Static).render())
