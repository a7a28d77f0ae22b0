"""L5 Transformer, the first two pages of the 実験 tab: positional encoding and Q/K/V by hand.

- 位置エンコーディング (C21): PE over positions × dimensions as a heatmap, for a
  d_model and a length the learner picks, and a few dimensions drawn as waves
  so the fast and slow ones can be told apart;
- Q・K・V (C22): the lesson's tiny example (「得意なスポーツは？」 against
  「野球が得意」) worked through one step at a time: dot products, ÷√d_k,
  softmax, the weighted sum of the values.

Everything is numpy on a handful of numbers: the panels draw at once, no model
and no torch. The numbers come from the pure functions below, which the tests
check against a hand computation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Select, Static

from ..core.positional import positional_encoding, wavelength
from ..widgets.bars import bar, fit
from ..widgets.heatmap import Heatmap, SparkRows
from ..widgets.state_strip import diverging
from .base import gone
from .legacy import DemoPanel

# -- positional encoding ----------------------------------------------------------------------

D_MODELS = (16, 32, 64, 128, 256)
LENGTHS = (10, 20, 40, 60)
DEFAULT_D_MODEL = 64
DEFAULT_LENGTH = 20
WAVE_LABEL = 20  # cells for "254 sin 波長 58,470"
#: Offsets whose similarity to position 0 the note quotes (those inside the length).
OFFSETS = (1, 5, 10)


def wave_dims(d_model: int) -> list[int]:
    """Dimensions to draw as waves: the fastest pair, then ever slower ones, up to the last sine."""
    picks = [0, 1, d_model // 8, d_model // 4, d_model // 2, d_model - 2]
    out: list[int] = []
    for d in picks:
        d -= d % 2 if d > 1 else 0  # the sine of its pair, except the cos of the first pair
        if 0 <= d < d_model and d not in out:
            out.append(d)
    return sorted(out)


def similarity_to_first(pe: np.ndarray, offsets: Sequence[int] = OFFSETS) -> list[tuple[int, float]]:
    """Cosine similarity of row 0 with each row ``offset`` further on (those that exist)."""
    first = pe[0]
    out = []
    for k in offsets:
        if k < len(pe):
            row = pe[k]
            out.append((k, float(first @ row / (np.linalg.norm(first) * np.linalg.norm(row)))))
    return out


def format_wavelength(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def wave_label(dim: int, d_model: int) -> str:
    fn = "sin" if dim % 2 == 0 else "cos"
    return f"{dim:>3} {fn} 波長 {format_wavelength(wavelength(dim, d_model)):>6}"


class PositionalPanel(DemoPanel):
    """PE as a heatmap (positions × dimensions) and a few dimensions as waves."""

    DEFAULT_CSS = """
    PositionalPanel #pe-knobs { grid-size: 4; grid-columns: 9 10 6 8; grid-rows: 1; height: auto; padding: 0 1; margin-bottom: 1; }
    PositionalPanel #pe-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    PositionalPanel #pe-knobs Select { width: 1fr; }
    PositionalPanel #pe-formula { height: auto; padding: 0 1; margin: 0 0 1 0; text-style: bold; }
    PositionalPanel Heatmap, PositionalPanel SparkRows { padding: 0 1; }
    PositionalPanel .section { height: auto; padding: 1 1 0 1; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="pe-scroll"):
            yield Static(
                "アテンションだけでは語順がわからないので、位置 pos ごとに決まったベクトル PE(pos) を単語の埋め込みに足します。",
                classes="hint",
            )
            yield Static(
                "PE(pos, 2i)   = sin(pos / 10000^(2i/d_model))\nPE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))",
                id="pe-formula",
            )
            with Grid(id="pe-knobs"):
                yield Label("d_model")
                yield Select([(str(d), d) for d in D_MODELS], value=DEFAULT_D_MODEL, allow_blank=False, id="pe-d-model", compact=True)
                yield Label("長さ")
                yield Select([(str(n), n) for n in LENGTHS], value=DEFAULT_LENGTH, allow_blank=False, id="pe-length", compact=True)
            yield Static(id="pe-legend", classes="hint")
            yield Heatmap(unit="次元", corner="pos", label_width=3, id="pe-heatmap")
            yield Static(id="pe-note", classes="hint")
            yield Static(id="pe-waves-title", classes="section")
            yield SparkRows(label_width=WAVE_LABEL, unit="位置", id="pe-waves")
            yield Static(
                "i が大きい次元ほど波長が長く、ゆっくり変わります。速い波と遅い波を組み合わせると、どの位置も見分けられます。",
                classes="hint",
            )

    def on_mount(self) -> None:
        if not gone(self):
            self.draw()

    @property
    def d_model(self) -> int:
        return int(self.query_one("#pe-d-model", Select).value)

    @property
    def length(self) -> int:
        return int(self.query_one("#pe-length", Select).value)

    @on(Select.Changed, "#pe-d-model, #pe-length")
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        self.draw()

    def draw(self) -> None:
        d_model, length = self.d_model, self.length
        pe = positional_encoding(length, d_model)
        self.query_one("#pe-heatmap", Heatmap).set_values(pe, [str(p) for p in range(length)])

        dark = self.app.current_theme.dark if self.app else True
        legend = Text("行 = 位置、列 = 次元、色 = 値  −1 ")
        for v in (-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0):
            legend.append(" ", style=diverging(v, dark))
        legend.append(" +1")
        self.query_one("#pe-legend", Static).update(legend)

        sims = similarity_to_first(pe)
        note = Text("近い位置ほど行が似ています（位置 0 の行とのコサイン類似度: ")
        note.append("、".join(f"{k} つ先 {s:.2f}" for k, s in sims) + "）。")
        note.append("式のかわりに位置ごとのベクトルを学習で決める方法（学習する位置埋め込み）もあり、GPT や BERT はそちらです。")
        self.query_one("#pe-note", Static).update(note)

        self.query_one("#pe-waves-title", Static).update(f"次元ごとの波（左端の数 = 次元、横軸 = 位置 0〜{length - 1}）")
        self.query_one("#pe-waves", SparkRows).set_rows([(wave_label(d, d_model), pe[:, d]) for d in wave_dims(d_model)])


# -- query, key, value ------------------------------------------------------------------------

#: The lesson's example (lessons/05-transformer/lesson.md, section 3).
QUERY_TEXT = "得意なスポーツは？"
MEMORY_TEXT = "野球が得意"
EXAMPLE_TOKENS = ("野球", "が", "得意")
EXAMPLE_Q = (2.0, 1.0, 0.0, 1.0)
EXAMPLE_K = ((2.0, 0.0, 0.0, 2.0), (0.0, 0.0, 1.0, 0.0), (0.0, 2.0, 0.0, 0.0))
EXAMPLE_V = ((1.0, 0.0), (0.0, 0.0), (0.0, 1.0))
TOKEN_WIDTH = 4  # cells for a token in the worked lines (得意 = 4)
BAR_WIDTH = 10  # cells for a weight of 1


@dataclass(frozen=True)
class Attention:
    """One query attending over keys and values: every intermediate number."""

    scores: np.ndarray  # q · k_j
    scale: float  # what the scores were divided by (√d_k, or 1 when not scaled)
    scaled: np.ndarray  # scores / scale
    exps: np.ndarray  # exp(scaled)
    total: float  # sum of exps
    weights: np.ndarray  # softmax: exps / total
    output: np.ndarray  # Σ_j w_j v_j


def attend(q, K, V, *, scale: bool = True) -> Attention:
    """Scaled dot-product attention for a single query, keeping each step's numbers."""
    q, K, V = np.asarray(q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = K @ q
    s = math.sqrt(K.shape[1]) if scale else 1.0
    scaled = scores / s
    exps = np.exp(scaled)  # the example's scores are small; no max-shift, so the lines match the sums shown
    total = float(exps.sum())
    weights = exps / total
    return Attention(scores, s, scaled, exps, total, weights, weights @ V)


@dataclass(frozen=True)
class Step:
    """One page of the walk-through: a title, worked lines (kept on one line each) and a takeaway."""

    title: str
    lines: list[str] = field(default_factory=list)
    note: str = ""
    key: int = -1  # the line holding the step's result, drawn bold (-1: none)
    bars: dict[int, float] = field(default_factory=dict)  # line -> a weight drawn as a bar after it


def num(x: float) -> str:
    """An integer without decimals, anything else to 3 decimals."""
    return str(round(x)) if abs(x - round(x)) < 1e-9 else f"{x:.3f}"


def vector(values) -> str:
    return "(" + ", ".join(num(float(v)) for v in values) + ")"


def qkv_steps(q, K, V, tokens: Sequence[str], *, scale: bool = True) -> list[Step]:
    """The five steps of attention for one query, with the arithmetic written out."""
    q, K, V = np.asarray(q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    a = attend(q, K, V, scale=scale)
    other = attend(q, K, V, scale=not scale)
    d_k = K.shape[1]
    names = [fit(t, TOKEN_WIDTH) for t in tokens]
    key_col = max(len(vector(k)) for k in K) + 2

    prepare = [f"クエリ q = {vector(q)}    d_k = {d_k}（キーの次元の数）", ""]
    prepare.append(f"{fit('', TOKEN_WIDTH)}  {'キー k'.ljust(key_col - 2)}バリュー v")
    for name, k, v in zip(names, K, V):
        prepare.append(f"{name}  {vector(k).ljust(key_col)}{vector(v)}")

    dots = [f"q·k_{name} = " + " + ".join(f"{num(x)}×{num(y)}" for x, y in zip(q, k)) + f" = {num(s)}" for name, k, s in zip(names, K, a.scores)]
    best = int(np.argmax(a.scores))

    if scale:
        divide = [f"√d_k = √{d_k} = {num(a.scale)}"]
        divide += [f"{name}  {num(s)} ÷ {num(a.scale)} = {num(x)}" for name, s, x in zip(names, a.scores, a.scaled)]
        divide_note = "d_k が大きいほど内積は大きくばらつくので、√d_k で割って softmax が極端にならないようにします。"
        divide_title = "√d_k で割る"
    else:
        divide = ["割らずに、内積をそのままスコアにします: " + ", ".join(num(s) for s in a.scores)]
        divide_note = f"（「√d_k で割らない」のチェックを外すと、√{d_k} = {num(other.scale)} で割ります）"
        divide_title = "√d_k で割らない"

    width = max(len(f"{e:.3f}") for e in a.exps)
    soft = [f"exp({num(x)}) = {a.exps[j]:>{width}.3f}   {tokens[j]}" for j, x in enumerate(a.scaled)]
    soft.append(f"合計 = {a.total:.3f}")
    soft.append("")
    bars = {}
    for name, e, w in zip(names, a.exps, a.weights):
        bars[len(soft)] = float(w)
        soft.append(f"w_{name} = {e:>{width}.3f} / {a.total:.3f} = {w:.3f}")
    soft.append(f"重みの合計 = {a.weights.sum():.3f}")
    weights = ", ".join(f"{w:.3f}" for w in a.weights)
    other_weights = ", ".join(f"{w:.3f}" for w in other.weights)
    if scale:
        soft_note = f"重みは 0 以上で合計 1。割らなかったら ({other_weights}) と、もっと一つに集中します。"
    else:
        soft_note = f"√d_k で割った場合の ({other_weights}) より、一つの語に集中しました（{weights}）。"

    terms = " + ".join(f"{w:.3f}×{vector(v)}" for w, v in zip(a.weights, V))
    out = "(" + ", ".join(f"{x:.3f}" for x in a.output) + ")"
    top = int(np.argmax(a.weights))
    total_note = (
        f"重みの {a.weights[top] * 100:.0f}% が「{tokens[top]}」に集まり、出力はほぼ「{tokens[top]}」のバリュー "
        f"{vector(V[top])} になりました。"
    )
    return [
        Step("Q・K・V を用意する", prepare,
             "クエリ = 探しているもの、キー = 各語の見出し（クエリと見比べる）、バリュー = 各語の中身（取り出す）。"
             "キーの 4 つの次元は、順に「スポーツ」「得意・上手」「助詞」「ものの名前」らしさ（説明用の意味づけ）。"),
        Step("内積 q·k で合い具合を測る", dots,
             f"クエリといちばん合うのは「{tokens[best]}」のキー。重なる次元がない「{tokens[int(np.argmin(a.scores))]}」は 0 です。"),
        Step(divide_title, divide, divide_note),
        Step("softmax で重みに変える", soft, soft_note, bars=bars),
        Step("重みでバリューを足し合わせる", [f"出力 = {terms}", f"     = {out}"], total_note, key=1),
    ]


class QKVPanel(DemoPanel, can_focus=True):
    """The lesson's Q/K/V example, one step at a time (◀ ▶ or the arrow keys)."""

    DEFAULT_CSS = """
    QKVPanel { layout: vertical; }
    QKVPanel:focus { background-tint: $foreground 3%; }
    QKVPanel #qkv-row { height: auto; padding: 0 1; }
    QKVPanel #qkv-row Button { margin-right: 1; width: auto; min-width: 8; }
    QKVPanel #qkv-counter { padding: 0 1; text-style: bold; }
    QKVPanel #qkv-raw { height: 1; border: none; padding: 0; margin-left: 1; }
    QKVPanel .step { height: auto; padding: 0 1; margin: 1 0 0 0; color: $text-muted; border-left: blank; }
    QKVPanel .step.-current { color: $text; background: $boost; border-left: thick $accent; }
    QKVPanel .step.-later { display: none; }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("left", "step(-1)", "前の手順", show=False),
        Binding("right", "step(1)", "次の手順", show=False),
        Binding("up", "scroll(-1)", show=False),
        Binding("down", "scroll(1)", show=False),
    ]

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.step = 0
        self.steps = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS)

    def compose(self) -> ComposeResult:
        with Horizontal(id="qkv-row"):
            yield Button("◀ 前へ", id="qkv-prev", compact=True)
            yield Button("次へ ▶", id="qkv-next", variant="primary", compact=True)
            yield Label("", id="qkv-counter")
            yield Checkbox("√d_k で割らない", False, id="qkv-raw", compact=True,
                           tooltip="スコアを割らずに softmax に入れると、重みがどう変わるか")
        with VerticalScroll(id="qkv-scroll", can_focus=False):
            yield Static(
                f"質問「{QUERY_TEXT}」をクエリにして、記憶「{MEMORY_TEXT}」の 3 語から答えを探します。"
                "式は Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V。数値は説明用の例です。"
                "「次へ ▶」か → キーで 1 手順ずつ進みます。",
                classes="hint",
            )
            for n in range(len(self.steps)):
                yield Static(id=f"qkv-step-{n}", classes="step")

    def on_mount(self) -> None:
        if not gone(self):
            self.show()

    @property
    def scaled(self) -> bool:
        return not self.query_one("#qkv-raw", Checkbox).value

    def action_step(self, delta: int) -> None:
        self.go(self.step + delta)

    def action_scroll(self, delta: int) -> None:
        scroll = self.query_one("#qkv-scroll", VerticalScroll)
        (scroll.scroll_down if delta > 0 else scroll.scroll_up)(animate=False)

    def go(self, step: int) -> None:
        step = max(0, min(len(self.steps) - 1, step))
        if step != self.step:
            self.step = step
            self.show()

    @on(Button.Pressed, "#qkv-prev")
    def _prev(self, event: Button.Pressed) -> None:
        event.stop()
        self.go(self.step - 1)

    @on(Button.Pressed, "#qkv-next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.go(self.step + 1)

    @on(Checkbox.Changed, "#qkv-raw")
    def _raw(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.steps = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS, scale=self.scaled)
        self.show()

    def show(self) -> None:
        total = len(self.steps)
        self.query_one("#qkv-counter", Label).update(f"手順 {self.step + 1} / {total}")
        self.query_one("#qkv-prev", Button).disabled = self.step == 0
        self.query_one("#qkv-next", Button).disabled = self.step == total - 1
        current = None
        for n, step in enumerate(self.steps):
            box = self.query_one(f"#qkv-step-{n}", Static)
            box.set_class(n == self.step, "-current")
            box.set_class(n > self.step, "-later")
            box.update(render_step(n, step, n == self.step))
            if n == self.step:
                current = box
        if current is not None:
            self.call_after_refresh(current.scroll_visible, animate=False)


def render_step(n: int, step: Step, current: bool) -> Group:
    """The title, the worked lines (cropped, never wrapped: they are aligned) and the note (wrapped)."""
    lines = Text(no_wrap=True, overflow="crop")
    for j, line in enumerate(step.lines):
        lines.append(line, style="bold" if j == step.key else "")
        if j in step.bars:
            lines.append("  " + bar(step.bars[j], BAR_WIDTH), style="cyan" if current else "dim cyan")
        lines.append("\n")
    lines.rstrip()
    parts = [Text(f"手順 {n + 1}  {step.title}", style="bold"), lines]
    if step.note:
        parts.append(Text(step.note, style="italic" if current else ""))
    return Group(*parts)
