"""Q・K・V (C22): the lesson's tiny example worked through one step at a time.

「得意なスポーツは？」 as the query against 「野球が得意」: dot products, ÷√d_k,
softmax, the weighted sum of the values. The numbers and the worked lines come
from :func:`tutor.core.attention_steps.example_steps`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Static

from ...core.attention_steps import MEMORY_TEXT, QUERY_TEXT, STEP_COUNT, Step, example_steps
from ...widgets.bars import bar
from ..base import Page

BAR_WIDTH = 10  # cells for a weight of 1


class QKVPage(Page, can_focus=True):
    """The lesson's Q/K/V example, one step at a time (◀ ▶ or the arrow keys).

    The page itself takes the keys when shown (no ``MAIN``), so ← → step at once,
    as the hint on screen promises; they keep working after a click on a button,
    since the buttons sit inside the page.
    """

    DEFAULT_CSS = """
    QKVPage { layout: vertical; }
    QKVPage:focus { background-tint: $foreground 3%; }
    QKVPage #qkv-row { height: auto; padding: 0 1; }
    QKVPage #qkv-row Button { margin-right: 1; width: auto; min-width: 8; }
    QKVPage #qkv-counter { padding: 0 1; text-style: bold; }
    QKVPage #qkv-raw { height: 1; border: none; padding: 0; margin-left: 1; }
    QKVPage .step { height: auto; padding: 0 1; margin: 1 0 0 0; color: $text-muted; border-left: blank; }
    QKVPage .step.-current { color: $text; background: $boost; border-left: thick $accent; }
    QKVPage .step.-later { display: none; }
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
        self.steps: list[Step] = []

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
            for n in range(STEP_COUNT):
                yield Static(id=f"qkv-step-{n}", classes="step")

    @property
    def scaled(self) -> bool:
        return not self.query_one("#qkv-raw", Checkbox).value

    def sentence_changed(self, sentence: str) -> None:
        # Not about the sentence: called on mount, this works the example out the first time.
        self.request(self.scaled)

    def compute(self, scaled: bool) -> list[Step]:
        return example_steps(scale=scaled)

    def draw(self, steps: list[Step]) -> None:
        self.steps = steps
        self.show()

    def action_step(self, delta: int) -> None:
        self.go(self.step + delta)

    def action_scroll(self, delta: int) -> None:
        scroll = self.query_one("#qkv-scroll", VerticalScroll)
        (scroll.scroll_down if delta > 0 else scroll.scroll_up)(animate=False)

    def go(self, step: int) -> None:
        step = max(0, min(STEP_COUNT - 1, step))
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
        self.request(self.scaled)

    def show(self) -> None:
        self.query_one("#qkv-counter", Label).update(f"手順 {self.step + 1} / {STEP_COUNT}")
        self.query_one("#qkv-prev", Button).disabled = self.step == 0
        self.query_one("#qkv-next", Button).disabled = self.step == STEP_COUNT - 1
        if not self.steps:
            return
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
