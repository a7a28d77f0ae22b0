"""翻訳 (C23, C27): the trained translator's encoder self-, decoder self- and cross-attention, the RNN's grid
beside it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, ScrollableContainer, VerticalScroll
from textual.widgets import Label, Select, Static

from ...core.attention_steps import mean_heads
from ...core.variants import GRID_DEFAULT, VARIANT_NAMES
from ...widgets.attention_grid import AttentionGrid
from ..heads import select_value
from ..models import available_variants, load_translator
from .translator_page import MEAN, TranslatorPage


class TranslatePage(TranslatorPage):
    """The translation, one of its attention maps by view / layer / head, and an RNN's attention for the same
    sentence."""

    MAIN = "#tt-view"

    DEFAULT_CSS = """
    TranslatePage #tt-knobs { grid-size: 6; grid-columns: 6 34 4 8 8 10; grid-rows: 1; height: auto; }
    TranslatePage #tt-rnn-title { margin-top: 1; }
    TranslatePage #tt-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    TranslatePage .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    """

    VIEWS: ClassVar[list[tuple[str, str]]] = [
        ("交差アテンション (訳→原文)", "cross"),
        ("エンコーダの自己アテンション", "encoder"),
        ("デコーダの自己アテンション", "decoder"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="tt-knobs"):
            yield Label("表示")
            yield Select(self.VIEWS, value="cross", allow_blank=False, id="tt-view", compact=True)
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="tt-layer", classes="layer-select", compact=True)
            yield Label("ヘッド")
            yield Select([("平均", MEAN)], value=MEAN, allow_blank=False, id="tt-head", classes="head-select",
                         compact=True)
        with VerticalScroll():
            yield Static(id="tt-output", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="tt-grid")
            yield Static(id="tt-rnn-title", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="tt-rnn-grid")
            yield Static(id="tt-note", classes="hint")

    def run_model(self, model, sentence: str):
        translation = model.translate(sentence)
        rnn = None
        variants = [v for v in available_variants(self.models_dir) if v != "plain"]
        if variants and translation.source:
            variant = GRID_DEFAULT if GRID_DEFAULT in variants else variants[0]
            rnn = load_translator(self.models_dir, variant, self.device).translate(sentence)
        return translation, rnn

    def show(self) -> None:
        grid, rnn_grid = self.query_one("#tt-grid", AttentionGrid), self.query_one("#tt-rnn-grid", AttentionGrid)
        if self.result is None:
            grid.set_source([])
            rnn_grid.set_source([])
            for box in ("#tt-output", "#tt-rnn-title", "#tt-note"):
                self.query_one(box, Static).update("")
            return
        translation, rnn = self.result
        layers = len(translation.maps.cross)
        self.fill_selects(layers, len(translation.maps.cross[0]), layer=layers - 1)
        out = Text("Transformer の訳: ", style="bold")
        out.append(" ".join(translation.target) or "（空）")
        self.query_one("#tt-output", Static).update(out)
        if rnn is not None:
            rnn_grid.set_source(rnn.source)
            rnn_grid.set_rows(rnn.target, rnn.attention)
            title = Text(f"比べる: RNN {VARIANT_NAMES[rnn.variant]} の訳「{' '.join(rnn.target)}」とアテンション",
                         style="bold")
            self.query_one("#tt-rnn-title", Static).update(title)
        self.query_one("#tt-note", Static).update(
            "交差アテンションは RNN のアテンションと同じく「訳の語が原文のどこを見るか」です。"
            "RNN は 1 つの表だけですが、Transformer は層 × ヘッドの数だけ表を持ちます。"
        )
        self.show_grid()

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self.result is not None:
            self.show_grid()

    def show_grid(self) -> None:
        translation, _ = self.result
        view = select_value(self, "#tt-view", "cross")
        maps = getattr(translation.maps, view)
        layer = min(int(select_value(self, "#tt-layer", 0)), len(maps) - 1)
        head = select_value(self, "#tt-head", MEAN)
        rows = mean_heads(maps[layer]) if head == MEAN else maps[layer][head]
        inputs = ["<s>", *translation.target]
        if view == "cross":
            source, labels, rows = translation.source, translation.target, rows[: len(translation.target)]
        elif view == "encoder":
            source, labels = translation.source, translation.source
        else:
            source, labels = inputs, inputs
        grid = self.query_one("#tt-grid", AttentionGrid)
        grid.set_source(source)
        grid.set_rows(labels, rows)
