"""Pilot tests of lesson L5's model pages, on a tiny Transformer trained from the team's sentences; focus and keys
on every page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Select, Static, TabbedContent

from pilot_helpers import settle
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.core.text import tokenize
from tutor.demos.base import LessonDemo
from tutor.demos.heads import TokenLine, wrap_tokens
from tutor.demos.models import MODELS as _cache
from tutor.demos.transformer.qkv import QKVPage
from tutor.widgets.attention_grid import AttentionGrid
from tutor.widgets.head_overview import HeadOverview, overview_text
from tutor.widgets.state_strip import StateStrip

SIZE = (120, 40)
TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"
SENTENCE = "犬が公園を走る。"


@pytest.fixture(scope="module")
def l5_models(tmp_path_factory) -> Path:
    from tutor.core.seq2seq import Seq2SeqConfig
    from tutor.core.train.seq2seq import ParallelData, TrainConfig, train
    from tutor.core.train.transformer import TransformerTrainConfig, train as train_tf
    from tutor.core.transformer import TransformerConfig
    from tutor.core.transformer_translator import TransformerTranslator
    from tutor.core.translator import Translator
    from tutor.core.vocab import Vocab

    lines = TINY.read_text(encoding="utf-8").splitlines()
    pairs = [(tokenize(line), ["the", "dog" if "犬" in line else "thing", "runs", "."]) for line in lines]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:5])
    models = tmp_path_factory.mktemp("models")
    cfg = TransformerConfig(src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), d_model=16, heads=2, d_ff=32,
                            layers=2, max_len=6)
    model, figures = train_tf(data, cfg, TransformerTrainConfig(epochs=3, batch_size=16, lr=5e-3, warmup=5, average=1))
    TransformerTranslator(model, data.src_vocab, data.tgt_vocab, figures).save(models / "transformer")
    rnn_cfg = Seq2SeqConfig(variant="general", src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), emb=16,
                            hidden=24, max_len=6)
    rnn, rnn_figures = train(data, rnn_cfg, TrainConfig(epochs=1, batch_size=16))
    Translator(rnn, data.src_vocab, data.tgt_vocab, rnn_figures).save(models / "seq2seq-general")
    return models


def make(paths, models: Path):
    _cache.clear()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L5", "demo")
    await settle(pilot)
    pilot.app.query_one("#demo-tabs", TabbedContent).active = tab
    await settle(pilot)


def test_overview_filters_by_layer_head_and_threshold() -> None:
    maps = [[[[0.7, 0.3], [0.05, 0.95]], [[0.5, 0.5], [0.5, 0.5]]],
            [[[1.0, 0.0], [0.0, 1.0]], [[0.2, 0.8], [0.9, 0.1]]]]
    everything = overview_text(maps).plain
    assert all(f"L{layer} H{h}" in everything for layer in (1, 2) for h in (1, 2))
    only = overview_text(maps, layer=1, head=0).plain
    assert "L2 H1" in only and "L1" not in only and "H2" not in only
    # Above the threshold a cell is shaded; below it the cell has the blank style.
    low, high = overview_text(maps, layer=0, head=0, threshold=0.0), overview_text(maps, layer=0, head=0, threshold=0.5)
    assert len({str(s.style) for s in low.spans}) > len({str(s.style) for s in high.spans})


async def test_heads_overview_and_one_head_up_close(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "tf-heads")
        overview = app.query_one("#hd-overview", HeadOverview)
        n = len(tokenize(SENTENCE))
        assert len(overview.maps) == 2 and len(overview.maps[0]) == 2 and len(overview.maps[0][0]) == n
        assert app.query_one("#hd-grid", AttentionGrid).rows == []
        app.query_one("#hd-layer", Select).value = 1
        app.query_one("#hd-head", Select).value = 0
        await pilot.pause()
        grid = app.query_one("#hd-grid", AttentionGrid)
        assert grid.rows == overview.maps[1][0] and grid.source == tokenize(SENTENCE)
        assert "L2 H1" in overview.text(100).plain and "L1" not in overview.text(100).plain
        app.query_one("#hd-threshold", Select).value = 0.3
        await pilot.pause()
        assert overview.threshold == 0.3


async def test_mask_and_masked_decoder_attention(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "tf-mask")
        grid = app.query_one("#mk-grid", AttentionGrid)
        assert grid.source[0] == "<s>" and len(grid.rows) == len(grid.source)
        for r, row in enumerate(grid.rows):
            assert all(w == 0 for w in row[r + 1 :]) and abs(sum(row) - 1) < 1e-4
        mask = str(app.query_one("#mk-mask", Static).render()).split("\n", 2)[2]  # below the legend and the header
        assert mask.count("■") == len(grid.source) * (len(grid.source) + 1) // 2


async def test_one_token_through_a_layer(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "tf-ffn")
        strip = app.query_one("#tr-strip", StateStrip)
        assert [r[0] for r in strip.rows][:2] == ["入力 x", "層正規化"] and len(strip.rows) == 7
        first = str(app.query_one("#tr-table", Static).render())
        assert "「犬」" in first
        app.query_one("#tr-token", Select).value = 2
        await settle(pilot)  # a new token is a new trace, computed in the page's worker
        assert "「公園」" in str(app.query_one("#tr-table", Static).render())


async def test_translation_views_and_the_rnn_beside_it(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "tf-translate")
        grid = app.query_one("#tt-grid", AttentionGrid)
        n = len(tokenize(SENTENCE))
        assert grid.source == tokenize(SENTENCE) and all(abs(sum(r) - 1) < 1e-4 for r in grid.rows)
        assert app.query_one("#tt-rnn-grid", AttentionGrid).source == tokenize(SENTENCE)
        assert "RNN" in str(app.query_one("#tt-rnn-title", Static).render())
        app.query_one("#tt-view", Select).value = "encoder"
        await pilot.pause()
        assert len(grid.rows) == n and grid.targets == tokenize(SENTENCE)
        app.query_one("#tt-view", Select).value = "decoder"
        await pilot.pause()
        assert grid.source[0] == "<s>"


async def test_without_the_model_every_panel_says_how_to_get_it(paths, tmp_path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    app = make(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        for tab in ("tf-heads", "tf-mask", "tf-ffn", "tf-translate"):
            await open_tab(pilot, tab)
            panel = app.query_one(f"#{tab}-page")
            assert "tutor train transformer" in str(panel.query_one(".message", Static).render())
        for demo in app.query(LessonDemo):  # an empty sentence straight to the pages (the app refuses one)
            demo.sentence_changed("")
        await settle(pilot)


# -- focus and keys (issue 14: cases 1, 4 and 6) ------------------------------------------------

MAIN_CONTROLS = {
    "tf-position": "#pe-d-model",
    "tf-qkv": "#tf-qkv-page",  # the page itself: ← → step through the example
    "tf-heads": "#hd-layer",
    "tf-mask": "#mk-layer",
    "tf-ffn": "#tr-token",
    "tf-translate": "#tt-view",
}


async def test_every_page_gives_its_main_control_the_keys_when_shown_with_brackets(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        app.open_lesson("L5", "demo")
        await settle(pilot)
        tabs = app.query_one("#demo-tabs", TabbedContent)
        order = list(MAIN_CONTROLS)
        assert tabs.active == order[0]
        assert app.focused is app.query_one(MAIN_CONTROLS[order[0]])
        for pane in order[1:]:
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert tabs.active == pane
            assert app.focused is app.query_one(MAIN_CONTROLS[pane]), (pane, app.focused)
            assert not isinstance(app.focused, Input)
        for pane in reversed(order[:-1]):
            await pilot.press("left_square_bracket")
            await settle(pilot)
            assert tabs.active == pane and app.focused is app.query_one(MAIN_CONTROLS[pane])


async def test_qkv_arrows_work_at_once_and_brackets_leave_after_next(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        app.open_lesson("L5", "demo")
        await settle(pilot)
        tabs = app.query_one("#demo-tabs", TabbedContent)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        page = app.query_one(QKVPage)
        # The page announces → on screen: it works with no click first.
        assert "→ キーで 1 手順ずつ" in page.query_one(".hint", Static).render().plain
        await pilot.press("right")
        assert page.step == 1
        await pilot.press("left")
        assert page.step == 0
        await pilot.click("#qkv-next")
        await pilot.pause()
        assert page.step == 1
        await pilot.press("right")  # still the page's keys with the button focused
        assert page.step == 2
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert tabs.active == "tf-heads"  # and it stays there: no snap back to Q・K・V
        await pilot.pause(0.2)
        assert tabs.active == "tf-heads" and app.focused is app.query_one("#hd-layer")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tabs.active == "tf-qkv" and app.focused is page and page.step == 2


async def test_heads_brackets_move_on_after_the_head_select_is_used(paths, l5_models) -> None:
    app = make(paths, l5_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "tf-heads")
        tabs = app.query_one("#demo-tabs", TabbedContent)
        head = app.query_one("#hd-head", Select)
        await pilot.click("#hd-head")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert head.value == 0
        assert app.query_one("#hd-overview", HeadOverview).only_head == 0
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.pause(0.2)
        assert tabs.active == "tf-mask" and app.focused is app.query_one("#mk-layer")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tabs.active == "tf-heads" and app.focused is app.query_one("#hd-layer")
        assert head.value == 0  # the learner's choice survived the round trip


def test_word_lists_break_between_tokens_only() -> None:
    tokens = ["私", "は", "昨日", "の", "夜", "、", "駅", "の", "近く", "の", "小さな", "店", "で", "古い", "友だち"]
    for width in range(6, 40):
        lines = wrap_tokens(tokens, width, indent=4)
        assert [t for line in lines for t in line] == tokens  # every token, whole, in order
        assert cell_len(" ".join(lines[0])) + (1 if lines[0] else 0) + 4 <= width or len(lines[0]) <= 1
        assert all(cell_len(" ".join(line)) <= width or len(line) == 1 for line in lines[1:])
    assert wrap_tokens(["とても長い一つの語です"], 6) == [["とても長い一つの語です"]]  # cropped, never split


async def test_the_heads_word_list_wraps_between_tokens_at_80_columns(paths, l5_models) -> None:
    sentence = "私は昨日の夜、駅の近くの小さな店で古い友だちと一緒に長い時間話しました。"
    app = make(paths, l5_models)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_sentence(sentence)
        await open_tab(pilot, "tf-heads")
        line = app.query_one("#hd-tokens", TokenLine)
        tokens = tokenize(sentence)
        assert line.tokens == tokens
        width = line.content_size.width
        rendered = line.render().plain.split("\n")
        assert len(rendered) > 1 and all(cell_len(row) <= width for row in rendered)
        words = " ".join(rendered).split(":", 1)[1].split()
        assert words == tokens  # no token cut across two lines
