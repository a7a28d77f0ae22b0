"""L5 Transformer, 実験 tab: the parts of the paper, then the trained translator opened up.

Tabs (each panel built when first shown):

- 位置エンコーディング and Q・K・V: computed from the formulas (transformer_basics);
- マルチヘッド: every layer × head of the encoder's self-attention on the
  learner's sentence, with filters, and one head's grid with its numbers;
- マスク: the causal mask and the decoder's masked self-attention;
- FFN と正規化: one token's vector through an encoder layer;
- 翻訳: the trained Transformer's translation with its encoder, decoder and
  cross-attention, next to the RNN's attention grid for the same sentence.

Models load in thread workers (torch is imported there) and stay cached.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Select, Static

from ..core import checkpoint
from ..core.variants import BUNDLED, GRID_DEFAULT, VARIANT_NAMES
from ..widgets.attention_grid import AttentionGrid
from ..widgets.bars import fit
from ..widgets.head_overview import HeadOverview
from ..widgets.state_strip import StateStrip
from .base import gone
from .legacy import DemoPanel, TabbedDemo
from .transformer_basics import PositionalPanel, QKVPanel

MODEL = "transformer"
THRESHOLDS = [("0 (すべて)", 0.0), ("0.05", 0.05), ("0.1", 0.1), ("0.2", 0.2), ("0.3", 0.3), ("0.5", 0.5)]
MEAN = -1  # the head select's value for "average over heads"
MISSING = "Transformer の翻訳モデルが見つかりません。`tutor train transformer --out models/transformer` で作れます。"


def transformer_available(models_dir) -> bool:
    return (models_dir / BUNDLED[MODEL] / checkpoint.WEIGHTS).is_file()


def mean_heads(heads: list) -> list[list[float]]:
    n = len(heads)
    return [[sum(h[r][c] for h in heads) / n for c in range(len(heads[0][r]))] for r in range(len(heads[0]))]


class Computed(Message):
    """A worker's result for one panel: ``token`` says which request it answers."""

    def __init__(self, token: int, result, error: str | None) -> None:
        super().__init__()
        self.token, self.result, self.error = token, result, error


class ModelPanel(DemoPanel):
    """A panel that runs the trained Transformer on the learner's sentence in a worker."""

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0
        self.result = None
        self._shape: tuple = ()  # what the layer/head selects were last filled for

    def fill_selects(self, layers: int, heads: int | None, *, all_layers: str | None = None,
                     all_heads: str = "平均", layer: int = 0) -> None:
        """Fill the panel's 層 (and ヘッド) selects for a model of this shape; once per shape, so a choice survives."""
        if (layers, heads) == self._shape:
            return
        self._shape = (layers, heads)
        with self.prevent(Select.Changed):
            layer_sel = self.query_one(".layer-select", Select)
            layer_sel.set_options(self.layer_options(layers, all_layers))
            layer_sel.value = layer
            if heads is not None:
                head_sel = self.query_one(".head-select", Select)
                head_sel.set_options(self.layer_options(heads, all_heads))
                head_sel.value = MEAN

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.compute(self._token, sentence)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def compute(self, token: int, sentence: str) -> None:
        from .models import load_translator

        if not transformer_available(self.models_dir):
            self.post_message(Computed(token, None, MISSING))
            return
        try:
            model = load_translator(self.models_dir, MODEL, self.demo.torch_device)
            result = self.run_model(model, sentence)
        except checkpoint.ModelError as exc:
            self.post_message(Computed(token, None, str(exc)))
            return
        if result is None or not result[0].source:
            self.post_message(Computed(token, None, "文が空です。日本語の文を入力してください。"))
            return
        self.post_message(Computed(token, result, None))

    def run_model(self, model, sentence: str):
        """In the worker: -> (Translation, anything else the panel draws)."""
        return model.translate(sentence), None

    def on_computed(self, message: Computed) -> None:
        message.stop()
        if message.token != self._token:
            return
        for box in self.query(".message"):
            box.update(message.error or "")
        self.result = message.result
        self.draw()

    def draw(self) -> None:
        """Redraw from ``self.result`` (None after an error) and the knobs."""

    def layer_options(self, layers: int, all_label: str | None = None) -> list[tuple[str, int]]:
        options = [(f"{i + 1}", i) for i in range(layers)]
        return ([(all_label, MEAN)] if all_label else []) + options


def knob_value(panel: DemoPanel, selector: str, default):
    value = panel.query_one(selector, Select).value
    return default if value is Select.BLANK else value


class HeadsPanel(ModelPanel):
    """C24: the encoder's self-attention, every layer × head, with filters and one head up close."""

    HINT: ClassVar[str] = (
        "エンコーダの自己アテンション: 文の各語 (行) が、同じ文のどの語 (列) を見ているか。"
        "小さな表 1 つが 1 つのヘッドです (L = 層、H = ヘッド)。ヘッドごとに違う関係を見ていることがあります。"
    )

    DEFAULT_CSS = """
    HeadsPanel #hd-knobs { grid-size: 6; grid-columns: 4 12 8 12 10 14; grid-rows: 1; height: auto; }
    HeadsPanel #hd-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    HeadsPanel .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="hd-knobs"):
            yield Label("層")
            yield Select([("すべて", MEAN)], value=MEAN, allow_blank=False, id="hd-layer", classes="layer-select", compact=True)
            yield Label("ヘッド")
            yield Select([("すべて", MEAN)], value=MEAN, allow_blank=False, id="hd-head", classes="head-select", compact=True)
            yield Label("しきい値")
            yield Select(THRESHOLDS, value=0.0, allow_blank=False, id="hd-threshold", compact=True)
        with VerticalScroll():
            yield Static(Text(self.HINT), classes="hint")
            yield Static(id="hd-tokens", classes="hint")
            yield HeadOverview(id="hd-overview")
            yield Static(id="hd-detail-title", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="hd-grid")

    def draw(self) -> None:
        overview = self.query_one("#hd-overview", HeadOverview)
        grid = self.query_one("#hd-grid", AttentionGrid)
        if self.result is None:
            overview.set_maps([])
            grid.set_source([])
            self.query_one("#hd-tokens", Static).update("")
            self.query_one("#hd-detail-title", Static).update("")
            return
        tokens, maps = self.view()
        self.fill_selects(len(maps), len(maps[0]), all_layers="すべて", all_heads="すべて", layer=MEAN)
        self.query_one("#hd-tokens", Static).update(
            Text("行と列の語 (左上から): " + " ".join(tokens))
        )
        overview.set_maps(maps)
        self.apply_filter()

    def view(self) -> tuple[list[str], list]:
        """-> (the tokens, self-attention maps[layer][head][query][key]) to draw."""
        translation, _ = self.result
        return translation.source, translation.maps.encoder

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self.result is not None:
            self.apply_filter()

    def apply_filter(self) -> None:
        tokens, maps = self.view()
        layer = knob_value(self, "#hd-layer", MEAN)
        head = knob_value(self, "#hd-head", MEAN)
        threshold = float(knob_value(self, "#hd-threshold", 0.0))
        self.query_one("#hd-overview", HeadOverview).set_filter(
            None if layer == MEAN else layer, None if head == MEAN else head, threshold
        )
        grid = self.query_one("#hd-grid", AttentionGrid)
        title = self.query_one("#hd-detail-title", Static)
        if layer == MEAN or head == MEAN:
            grid.set_source([])
            title.update(Text("層とヘッドを 1 つずつ選ぶと、その表を数字付きで拡大します。", style="dim"))
            return
        grid.set_source(tokens)
        grid.set_rows(tokens, maps[layer][head])
        title.update(Text(f"層 {layer + 1} ヘッド {head + 1}（行の語が列の語に置いた重み、百分率）", style="bold"))


class MaskPanel(ModelPanel):
    """C25: the causal mask, and the decoder's self-attention that obeys it."""

    DEFAULT_CSS = """
    MaskPanel #mk-knobs { grid-size: 4; grid-columns: 4 10 8 12; grid-rows: 1; height: auto; }
    MaskPanel #mk-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    MaskPanel .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="mk-knobs"):
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="mk-layer", classes="layer-select", compact=True)
            yield Label("ヘッド")
            yield Select([("平均", MEAN)], value=MEAN, allow_blank=False, id="mk-head", classes="head-select", compact=True)
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

    def draw(self) -> None:
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
        for r, tok in enumerate(inputs):
            mask.append(fit(tok, 8) + " ")
            for c in range(len(inputs)):
                mask.append(fit("■" if c <= r else "·", 5) + " ", style="cyan" if c <= r else "dim")
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
        layer = int(knob_value(self, "#mk-layer", len(maps) - 1))
        head = knob_value(self, "#mk-head", MEAN)
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


class TracePanel(ModelPanel):
    """C26: one token's vector through an encoder layer: LN, attention, residual, LN, FFN, residual."""

    DEFAULT_CSS = """
    TracePanel #tr-knobs { grid-size: 4; grid-columns: 4 18 4 8; grid-rows: 1; height: auto; }
    TracePanel #tr-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="tr-knobs"):
            yield Label("語")
            yield Select([], prompt="語", id="tr-token", compact=True)
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="tr-layer", classes="layer-select", compact=True)
        with VerticalScroll():
            yield Static(
                "エンコーダの 1 層の中で、1 つの語のベクトルがどう変わるか。各行がその時点のベクトル、"
                "1 マスが 1 次元です (赤 = 正、青 = 負、±3 で色が最も濃くなる)。",
                classes="hint",
            )
            yield StateStrip(id="tr-strip")
            yield Static(id="tr-table", classes="body")

    def run_model(self, model, sentence: str):
        translation = model.translate(sentence)
        return translation, model

    def draw(self) -> None:
        if self.result is None:
            self.query_one("#tr-strip", StateStrip).set_rows([])
            self.query_one("#tr-table", Static).update("")
            return
        translation, model = self.result
        tok_sel = self.query_one("#tr-token", Select)
        with self.prevent(Select.Changed):
            tok_sel.set_options([(f"{i + 1} {t}", i) for i, t in enumerate(translation.source)])
            tok_sel.value = 0
        self.fill_selects(len(model.model.encoder), None)
        self.trace()

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self.result is not None:
            self.trace()

    def trace(self) -> None:
        from ..core.transformer_explain import (
            trace_token,  # torch is loaded by now (the model is)
        )

        translation, model = self.result
        position = int(knob_value(self, "#tr-token", 0))
        layer = int(knob_value(self, "#tr-layer", 0))
        ids = model.src_vocab.encode(translation.source)
        stages = trace_token(model.model, ids, layer, position)
        self.query_one("#tr-strip", StateStrip).set_rows(
            [(s.name, [max(-1.0, min(1.0, v / 3)) for v in s.vector], f"{s.std:.2f}") for s in stages]
        )
        table = Text(f"「{translation.source[position]}」、層 {layer + 1}（{len(stages[0].vector)} 次元）\n", style="bold")
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


class TranslatePanel(ModelPanel):
    """C23/C27: the trained translator: encoder self-, decoder self- and cross-attention, and the RNN's grid beside it."""

    DEFAULT_CSS = """
    TranslatePanel #tt-knobs { grid-size: 6; grid-columns: 6 34 4 8 8 10; grid-rows: 1; height: auto; }
    TranslatePanel #tt-rnn-title { margin-top: 1; }
    TranslatePanel #tt-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    TranslatePanel .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
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
            yield Select([("平均", MEAN)], value=MEAN, allow_blank=False, id="tt-head", classes="head-select", compact=True)
        with VerticalScroll():
            yield Static(id="tt-output", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="tt-grid")
            yield Static(id="tt-rnn-title", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="tt-rnn-grid")
            yield Static(id="tt-note", classes="hint")

    def run_model(self, model, sentence: str):
        from .models import available_variants, load_translator

        translation = model.translate(sentence)
        rnn = None
        variants = [v for v in available_variants(self.models_dir) if v != "plain"]
        if variants and translation.source:
            variant = GRID_DEFAULT if GRID_DEFAULT in variants else variants[0]
            rnn = load_translator(self.models_dir, variant, self.demo.torch_device).translate(sentence)
        return translation, rnn

    def draw(self) -> None:
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
            title = Text(f"比べる: RNN {VARIANT_NAMES[rnn.variant]} の訳「{' '.join(rnn.target)}」とアテンション", style="bold")
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
        view = knob_value(self, "#tt-view", "cross")
        maps = getattr(translation.maps, view)
        layer = min(int(knob_value(self, "#tt-layer", 0)), len(maps) - 1)
        head = knob_value(self, "#tt-head", MEAN)
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


class TransformerDemo(TabbedDemo):
    """The L5 demo."""

    TABS_ID = "tf-tabs"
    TABS: ClassVar[dict[str, str]] = {
        "tf-position": "位置エンコーディング",
        "tf-qkv": "Q・K・V",
        "tf-heads": "マルチヘッド",
        "tf-mask": "マスク",
        "tf-ffn": "FFN と正規化",
        "tf-translate": "翻訳",
    }
    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {
        "tf-position": PositionalPanel,
        "tf-qkv": QKVPanel,
        "tf-heads": HeadsPanel,
        "tf-mask": MaskPanel,
        "tf-ffn": TracePanel,
        "tf-translate": TranslatePanel,
    }


__all__ = ["TransformerDemo", "gone"]
