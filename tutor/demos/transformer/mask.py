"""マスク (C25): the causal mask, and the decoder's self-attention that obeys it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, ScrollableContainer, VerticalScroll
from textual.widgets import Label, Select, Static

from ...core.attention_steps import causal_mask, mean_heads
from ...widgets.attention_grid import AttentionGrid
from ...widgets.bars import fit
from ..heads import select_value
from .translator_page import MEAN, TranslatorPage


class MaskPage(TranslatorPage):
    """The mask as ■ / · over the decoder's inputs, and one layer's (mean or one head's) masked self-attention."""

    MAIN = "#mk-layer"

    DEFAULT_CSS = """
    MaskPage #mk-knobs { grid-size: 4; grid-columns: 4 10 8 12; grid-rows: 1; height: auto; }
    MaskPage #mk-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    MaskPage .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="mk-knobs"):
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="mk-layer", classes="layer-select", compact=True)
            yield Label("ヘッド")
            yield Select([("平均", MEAN)], value=MEAN, allow_blank=False, id="mk-head", classes="head-select",
                         compact=True)
        with VerticalScroll():
            yield Static(
                "デコーダは訳を 1 語ずつ作るので、まだ出していない先の語を見てはいけません。"
                "学習では訳の全体を一度に入れるため、先を見えなくするマスクをかけます。",
                classes="hint",
            )
            yield Static(id="mk-mask", classes="body")
            yield Static(id="mk-title", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="mk-grid")

    def show(self) -> None:
        grid = self.query_one("#mk-grid", AttentionGrid)
        if self.result is None:
            grid.set_source([])
            self.query_one("#mk-mask", Static).update("")
            self.query_one("#mk-title", Static).update("")
            return
        translation, _ = self.result
        maps = translation.maps.decoder
        self.fill_selects(len(maps), len(maps[0]), layer=len(maps) - 1)
        inputs = ["<s>", *translation.target]
        mask = Text("マスク (行の語が見てよい列: ■ 見てよい、· 見てはいけない)\n", style="bold")
        mask.append(" " * 9 + " ".join(fit(t, 5) for t in inputs) + "\n", style="dim")
        for tok, row in zip(inputs, causal_mask(len(inputs))):
            mask.append(fit(tok, 8) + " ")
            for seen in row:
                mask.append(fit("■" if seen else "·", 5) + " ", style="cyan" if seen else "dim")
            mask.append("\n")
        self.query_one("#mk-mask", Static).update(mask)
        self.show_grid()

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self.result is not None:
            self.show_grid()

    def show_grid(self) -> None:
        translation, _ = self.result
        maps = translation.maps.decoder
        layer = int(select_value(self, "#mk-layer", len(maps) - 1))
        head = select_value(self, "#mk-head", MEAN)
        heads = maps[layer]
        rows = mean_heads(heads) if head == MEAN else heads[head]
        inputs = ["<s>", *translation.target]
        grid = self.query_one("#mk-grid", AttentionGrid)
        grid.set_source(inputs)
        grid.set_rows(inputs, rows[: len(inputs)])
        which = "ヘッドの平均" if head == MEAN else f"ヘッド {head + 1}"
        self.query_one("#mk-title", Static).update(
            Text(f"訳「{' '.join(translation.target)}」でのデコーダの自己アテンション（層 {layer + 1}、{which}）: "
                 "対角線より右上はすべて 0 です。", style="bold")
        )
