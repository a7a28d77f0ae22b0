"""マスクのかけ方: the training's own masking function drawn on the sentence, and counted over many draws (C34)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from ...core.bert_explain import KEPT_OUT, MASKED, RANDOM, UNCHANGED, MaskCounts, MaskDraw, draw_masks, tokens_of
from ...widgets.bars import bar, fit
from ..base import Page, PageError
from .common import EMPTY, masked_lm
from .rows import WidthText, aligned_rows

FATE_STYLE = {KEPT_OUT: "dim", MASKED: "bold white on red", RANDOM: "bold black on yellow",
              UNCHANGED: "bold black on green"}
#: The rows of the counts table: (what, the learner's name for the share).
SHARES = {"chosen": "選ばれた語 / すべての語", "masked": "[MASK] / 選ばれた語",
          "random": "ランダムな語 / 選ばれた語", "unchanged": "そのまま / 選ばれた語"}
ROW_LABELS = ("もとの文", "モデルが読む", "当てる語")
LABEL_WIDTH = 13


def draw_view(last: MaskDraw, width: int) -> Text:
    """The last draw as three aligned rows (whole columns wrap together), then the legend."""
    columns = [[(t, ""), (seen, FATE_STYLE[f]), (t if f else "", "bold")]
               for t, f, seen in zip(last.tokens, last.fates, last.inputs)]
    out = Text("最後に引いた結果\n", style="bold")
    out.append_text(aligned_rows(ROW_LABELS, columns, width, LABEL_WIDTH))
    out.append("\n\n")
    for f, name in ((MASKED, "[MASK] に置換"), (RANDOM, "ランダムな語に置換"), (UNCHANGED, "そのまま (でも当てる)")):
        out.append(" " + name + " ", style=FATE_STYLE[f])
        out.append("  ")
    out.append(" 選ばれない (損失なし) ", style="dim")
    return out


def counts_table(counts: MaskCounts) -> Text:
    table = Text(f"\nこれまでに引いた回数: {counts.draws:,} 回 (語の数 {counts.real:,})\n", style="bold")
    for what, n, _, share, target in counts.shares():
        table.append(f"  {fit(SHARES[what], 26)} {n:>7,} {share:7.1%}  (目標 {target:.0%})  ")
        table.append(bar(share, 20) + "\n", style="cyan")
    table.append("\n回数を増やすほど、割合が目標に近づきます。", style="dim")
    return table


class MaskingPage(Page):
    """C34: the training's own masking function, drawn once and counted over many draws."""

    MAIN = "#mk-draw"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.seed = 0
        self.counts = MaskCounts()

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Button("もう一度引く", id="mk-draw", compact=True, variant="primary")
            yield Button("1000 回引く", id="mk-many", compact=True)
            yield Button("数え直す", id="mk-reset", compact=True)
        with VerticalScroll():
            yield Static(Text(
                "学習と同じ関数で、あなたの文の語の 15% を選び、選んだ語の 80% を [MASK]、10% をランダムな語、"
                "10% をそのままにします。短い文では、1 語も選ばれない回もあります。"),
                classes="hint",
            )
            yield WidthText(id="mk-draw-view", classes="body")
            yield Static(id="mk-counts", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.counts = MaskCounts()
        self.run(1)

    @on(Button.Pressed, "#mk-draw")
    def _draw(self, event: Button.Pressed) -> None:
        event.stop()
        self.run(1)

    @on(Button.Pressed, "#mk-many")
    def _many(self, event: Button.Pressed) -> None:
        event.stop()
        self.run(1000)

    @on(Button.Pressed, "#mk-reset")
    def _reset(self, event: Button.Pressed) -> None:
        event.stop()
        self.counts = MaskCounts()
        self.run(1)

    def run(self, draws: int) -> None:
        self.seed += 1  # a fresh draw each press, the same sequence each session
        self.request(self.sentence, self.seed, draws)

    def compute(self, sentence: str, seed: int, draws: int) -> tuple[MaskDraw, MaskCounts]:
        lm = masked_lm(self.models_dir, self.device)
        tokens = tokens_of(sentence)
        if not tokens:
            raise PageError(EMPTY)
        return draw_masks(lm, tokens, seed, draws)

    def draw(self, result: tuple[MaskDraw, MaskCounts]) -> None:
        last, counts = result
        self.counts = self.counts + counts
        self.query_one("#mk-draw-view", WidthText).show(lambda width: draw_view(last, width))
        self.query_one("#mk-counts", Static).update(counts_table(self.counts))
