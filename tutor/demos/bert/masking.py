"""マスクのかけ方: the training's own masking function drawn on the sentence, and counted over many draws (C34)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from ...core.bert_explain import KEPT_OUT, MASKED, RANDOM, UNCHANGED, MaskCounts, MaskDraw, draw_masks, tokens_of
from ...widgets.bars import bar, fit
from ..base import Page, PageError, hidden
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


@dataclass(frozen=True)
class Drawn:
    last: MaskDraw
    counts: MaskCounts
    reference: MaskCounts | None = None  # the project's draws, when the learner's function drew these
    problem: str = ""  # why the learner's function could not draw (the project's did)


#: Below this many draws the shares are too noisy to set side by side.
COMPARE_AFTER = 100


def mine_line(counts: MaskCounts, reference: MaskCounts, problem: str) -> Text:
    """The learner's mask_tokens() beside the project's: the shares over every draw so far."""
    if problem:
        line = Text("あなたの mask_tokens() が使えなかったので、プロジェクトの関数で引いています: ",
                    style="bold yellow")
        line.append(problem)
        return line
    line = Text("あなたの mask_tokens() で引いています。", style="bold green")
    if reference.draws < COMPARE_AFTER:
        line.append("「1000 回引く」で、プロジェクトの関数と割合を比べられます。", style="dim")
        return line
    line.append(f"同じ {reference.draws:,} 回をプロジェクトの関数で引いた割合: ")
    line.append("、".join(f"{SHARES[what].split(' / ')[0]} {share:.1%}" for what, _, _, share, _ in reference.shares()))
    return line


class MaskingPage(Page):
    """C34: the training's own masking function, drawn once and counted over many draws."""

    MAIN = "#mk-draw"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.seed = 0
        self.counts = MaskCounts()  # what the table shows: the learner's draws while 「自分の実装」 is on
        self.reference = MaskCounts()  # the project's function on the same draws, beside the learner's

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
            yield hidden(Static(id="mk-mine", classes="body"))  # shown while the learner's code runs the page
            yield WidthText(id="mk-draw-view", classes="body")
            yield Static(id="mk-counts", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.counts = self.reference = MaskCounts()
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
        self.counts = self.reference = MaskCounts()
        self.run(1)

    def run(self, draws: int) -> None:
        self.seed += 1  # a fresh draw each press, the same sequence each session
        self.request(self.sentence, self.seed, draws)

    def compute(self, sentence: str, seed: int, draws: int) -> Drawn:
        lm = masked_lm(self.models_dir, self.device)
        tokens = tokens_of(sentence)
        if not tokens:
            raise PageError(EMPTY)
        last, ours = draw_masks(lm, tokens, seed, draws)
        code = self.learner("mlm-mask")
        if code is None:
            return Drawn(last, ours)
        from ...core.bert_explain import OwnMaskingError, draw_masks_with
        from ...exercises.mine import Broken
        from ...exercises.wire import Rng

        def own(ids, seed, vocab_size, mask_id, special_ids):
            return code.call("mask_tokens", ids, Rng(seed), vocab_size, mask_id, special_ids)

        try:
            mine_last, mine = draw_masks_with(own, lm, tokens, seed, draws)
        except (Broken, OwnMaskingError) as exc:
            return Drawn(last, ours, problem=str(exc))
        return Drawn(mine_last, mine, reference=ours)

    def draw(self, result: Drawn) -> None:
        if result.reference is None and self.reference.draws:  # 「自分の実装」 was turned off, or broke: start again
            self.counts = self.reference = MaskCounts()
        self.counts = self.counts + result.counts
        if result.reference is not None:
            self.reference = self.reference + result.reference
        box = self.query_one("#mk-mine", Static)
        box.display = result.reference is not None or bool(result.problem)
        box.update(mine_line(self.counts, self.reference, result.problem))
        self.query_one("#mk-draw-view", WidthText).show(lambda width: draw_view(result.last, width))
        self.query_one("#mk-counts", Static).update(counts_table(self.counts))
