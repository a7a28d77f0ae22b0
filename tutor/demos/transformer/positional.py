"""位置エンコーディング (C21): PE over positions × dimensions as a heatmap, and a few dimensions as waves.

The learner picks d_model and the length; the numbers come from
:func:`tutor.core.positional.positional_view` (numpy, no model, no torch).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Label, Select, Static

from ...core.positional import PositionalView, positional_view
from ...widgets.heatmap import Heatmap, SparkRows
from ...widgets.state_strip import diverging
from ..base import Page

D_MODELS = (16, 32, 64, 128, 256)
LENGTHS = (10, 20, 40, 60)
DEFAULT_D_MODEL = 64
DEFAULT_LENGTH = 20
WAVE_LABEL = 20  # cells for "254 sin 波長 58,470"


class PositionalPage(Page):
    """PE as a heatmap (positions × dimensions) and a few dimensions as waves; the d_model select has the keys."""

    MAIN = "#pe-d-model"

    DEFAULT_CSS = """
    PositionalPage #pe-knobs {
        grid-size: 4; grid-columns: 9 10 6 8; grid-rows: 1; height: auto; padding: 0 1; margin-bottom: 1;
    }
    PositionalPage #pe-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    PositionalPage #pe-knobs Select { width: 1fr; }
    PositionalPage #pe-formula { height: auto; padding: 0 1; margin: 0 0 1 0; text-style: bold; }
    PositionalPage Heatmap, PositionalPage SparkRows { padding: 0 1; }
    PositionalPage .section { height: auto; padding: 1 1 0 1; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="pe-scroll"):
            yield Static(
                "アテンションだけでは語順がわからないので、"
                "位置 pos ごとに決まったベクトル PE(pos) を単語の埋め込みに足します。",
                classes="hint",
            )
            yield Static(
                "PE(pos, 2i)   = sin(pos / 10000^(2i/d_model))\nPE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))",
                id="pe-formula",
            )
            with Grid(id="pe-knobs"):
                yield Label("d_model")
                yield Select([(str(d), d) for d in D_MODELS], value=DEFAULT_D_MODEL, allow_blank=False,
                             id="pe-d-model", compact=True)
                yield Label("長さ")
                yield Select([(str(n), n) for n in LENGTHS], value=DEFAULT_LENGTH, allow_blank=False,
                             id="pe-length", compact=True)
            yield Static(id="pe-legend", classes="hint")
            yield Heatmap(unit="次元", corner="pos", label_width=3, id="pe-heatmap")
            yield Static(id="pe-note", classes="hint")
            yield Static(id="pe-waves-title", classes="section")
            yield SparkRows(label_width=WAVE_LABEL, unit="位置", id="pe-waves")
            yield Static(
                "i が大きい次元ほど波長が長く、ゆっくり変わります。"
                "速い波と遅い波を組み合わせると、どの位置も見分けられます。",
                classes="hint",
            )

    @property
    def d_model(self) -> int:
        return int(self.query_one("#pe-d-model", Select).value)

    @property
    def length(self) -> int:
        return int(self.query_one("#pe-length", Select).value)

    def sentence_changed(self, sentence: str) -> None:
        # Not about the sentence: called on mount, this draws the page the first time.
        self.request(self.length, self.d_model)

    @on(Select.Changed, "#pe-d-model, #pe-length")
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        self.request(self.length, self.d_model)

    def compute(self, length: int, d_model: int) -> PositionalView:
        return positional_view(length, d_model)

    def draw(self, view: PositionalView) -> None:
        length = len(view.pe)
        self.query_one("#pe-heatmap", Heatmap).set_values(view.pe, [str(p) for p in range(length)])

        dark = self.app.current_theme.dark if self.app else True
        legend = Text("行 = 位置、列 = 次元、色 = 値  −1 ")
        for v in (-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0):
            legend.append(" ", style=diverging(v, dark))
        legend.append(" +1")
        self.query_one("#pe-legend", Static).update(legend)

        note = Text("近い位置ほど行が似ています（位置 0 の行とのコサイン類似度: ")
        note.append("、".join(f"{k} つ先 {s:.2f}" for k, s in view.similarities) + "）。")
        note.append("式のかわりに位置ごとのベクトルを学習で決める方法（学習する位置埋め込み）もあり、"
                    "GPT や BERT はそちらです。")
        self.query_one("#pe-note", Static).update(note)

        self.query_one("#pe-waves-title", Static).update(
            f"次元ごとの波（左端の数 = 次元、横軸 = 位置 0〜{length - 1}）")
        self.query_one("#pe-waves", SparkRows).set_rows(view.waves)
