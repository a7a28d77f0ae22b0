"""FFN と正規化 (C26): one token's vector through an encoder layer: LN, attention, residual, LN, FFN, residual."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Label, Select, Static

from ...core import checkpoint
from ...widgets.bars import fit
from ...widgets.state_strip import StateStrip
from ..base import Page, PageError
from ..heads import numbered, refill, select_value
from ..models import MISSING_TRANSFORMER, load_translator, transformer_available
from .translator_page import EMPTY, MODEL


class TracePage(Page):
    """The token and layer selects ask the model for a new trace; each stage is drawn as a strip and a row of
    numbers."""

    MAIN = "#tr-token"

    DEFAULT_CSS = """
    TracePage #tr-knobs { grid-size: 4; grid-columns: 4 18 4 8; grid-rows: 1; height: auto; }
    TracePage #tr-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._source: list[str] = []  # the tokens the token select was filled with
        self._layers = 0  # the layer count the layer select was filled for

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="tr-knobs"):
            yield Label("語")
            yield Select([], prompt="語", id="tr-token", compact=True)
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="tr-layer", compact=True)
        with VerticalScroll():
            yield Static(
                "エンコーダの 1 層の中で、1 つの語のベクトルがどう変わるか。各行がその時点のベクトル、"
                "1 マスが 1 次元です (赤 = 正、青 = 負、±3 で色が最も濃くなる)。",
                classes="hint",
            )
            yield StateStrip(id="tr-strip")
            yield Static(id="tr-table", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        # A new sentence starts at its first token; the layer the learner chose stays.
        self.request(sentence, 0, int(select_value(self, "#tr-layer", 0)))

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self._source:
            self.request(self.sentence, int(select_value(self, "#tr-token", 0)),
                         int(select_value(self, "#tr-layer", 0)))

    def compute(self, sentence: str, position: int, layer: int):
        from ...core.transformer_explain import trace_sentence  # imports torch: in the worker only

        if not transformer_available(self.models_dir):
            raise PageError(MISSING_TRANSFORMER)
        try:
            trace = trace_sentence(load_translator(self.models_dir, MODEL, self.device), sentence, layer, position)
        except checkpoint.ModelError as exc:
            raise PageError(str(exc)) from exc
        if not trace.stages:
            raise PageError(EMPTY)
        return trace

    def show_error(self, text: str) -> None:
        self._source = []
        self.query_one("#tr-strip", StateStrip).set_rows([])
        self.query_one("#tr-table", Static).update("")
        super().show_error(text)

    def draw(self, trace) -> None:
        if trace.source != self._source:
            self._source = list(trace.source)
            refill(self, "#tr-token", [(f"{i + 1} {t}", i) for i, t in enumerate(trace.source)], trace.position)
        if trace.layers != self._layers:
            self._layers = trace.layers
            refill(self, "#tr-layer", numbered(trace.layers), trace.layer)
        stages = trace.stages
        self.query_one("#tr-strip", StateStrip).set_rows(
            [(s.name, [max(-1.0, min(1.0, v / 3)) for v in s.vector], f"{s.std:.2f}") for s in stages]
        )
        table = Text(f"「{trace.source[trace.position]}」、層 {trace.layer + 1}（{len(stages[0].vector)} 次元）\n",
                     style="bold")
        table.append(f"{fit('段階', 18)} {'平均':>8} {'標準偏差':>8} {'長さ':>8}  式\n", style="dim")
        for s in stages:
            table.append(f"{fit(s.name, 18)} {s.mean:8.3f} {s.std:8.3f} {s.norm:8.2f}  ")
            table.append(s.formula + "\n", style="dim")
        table.append(
            "層正規化のすぐ後は平均がほぼ 0、標準偏差がほぼ 1 にそろいます (そのあと学習したγとβで少しずらす)。"
            "残差接続は入力をそのまま足すので、サブ層の出力が小さくても元の情報は残ります。右端の数は標準偏差です。",
            style="dim",
        )
        self.query_one("#tr-table", Static).update(table)
