"""アテンション: where the newest (last) token of the learner's sentence looks, per layer and head."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select, Static

from ...widgets.bars import bar, fit
from ..base import Page, PageError
from .common import language_model

Attention = tuple[list[str], list[list[list[float]]]]  # tokens (<s> first), [layer][head][position]


class NewestPage(Page):
    """Where the newest token looks: the last position's causal attention, per head."""

    MAIN = "#nw-layer"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.data: Attention | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="nw-layer", compact=True)
        with VerticalScroll():
            yield Static("あなたの文のいちばん新しい (最後の) 語が、それより前のどの語を見ているか。"
                         "ヘッドごとに重みの棒で示します。",
                         classes="hint")
            yield Static(id="nw-bars", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.request(sentence)

    def compute(self, sentence: str) -> Attention:
        from ...core.gpt_explain import newest_attention

        tokens, maps = newest_attention(language_model(self.models_dir, self.device), sentence)
        if not tokens:
            raise PageError("文が空です。")
        return tokens, maps

    def draw(self, data: Attention) -> None:
        self.data = data
        layer = self.query_one("#nw-layer", Select)
        with self.prevent(Select.Changed):
            layer.set_options([(str(i + 1), i) for i in range(len(data[1]))])
            layer.value = len(data[1]) - 1
        self.draw_layer()

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.data = None
        self.draw_layer()

    @on(Select.Changed, "#nw-layer")
    def _layer(self, event: Select.Changed) -> None:
        event.stop()
        self.draw_layer()

    def draw_layer(self) -> None:
        if not self.data:
            self.query_one("#nw-bars", Static).update("")
            return
        tokens, maps = self.data
        value = self.query_one("#nw-layer", Select).value
        layer = maps[value if isinstance(value, int) and value < len(maps) else -1]
        out = Text(f"最後の語「{tokens[-1]}」の見ている先\n", style="bold")
        for h, weights in enumerate(layer):
            out.append(f"\nヘッド {h + 1}\n", style="bold")
            for t, w in zip(tokens, weights):
                out.append(f"  {fit(t, 10)} {w:5.2f} ")
                out.append(bar(w, 25) + "\n", style="cyan")
        self.query_one("#nw-bars", Static).update(out)
