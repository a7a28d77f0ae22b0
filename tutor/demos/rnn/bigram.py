"""L3 バイグラム: p(word | previous word) from counts; the learner's sentence scored, and text generated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from ...widgets.bars import bar, fit
from ..base import Page, PageError

if TYPE_CHECKING:
    from ...core.bigram_explain import Generated, SentenceScore

MAX_WORDS = 25
TOP_CANDIDATES = 4


@dataclass(frozen=True)
class BigramResult:
    notices: tuple[str, ...]
    score: SentenceScore | None  # None: the sentence is empty
    generated: Generated


class BigramPage(Page):
    """The learner's sentence scored pair by pair, and a sentence drawn word by word (「別の乱数で」 draws again)."""

    MAIN = "#bg-reseed"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seed = 1

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="bg-message")
        with VerticalScroll():
            yield Static(
                "前の 1 語だけを見て次の語を当てるモデルです。確率は数えた回数の比 "
                "p(語 | 前の語) = 回数(前の語, 語) / 回数(前の語)。",
                classes="hint",
            )
            yield Static(Text("数え上げを読み込み中…", style="dim"), id="bg-score", classes="body")
            with Horizontal(classes="row"):
                yield Button("文を生成", id="bg-generate", variant="primary", compact=True)
                yield Button("別の乱数で", id="bg-reseed", compact=True)
                yield Label("", id="bg-seed", classes="hint")
            yield Static(id="bg-generated", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.request(sentence, self.seed)

    @on(Button.Pressed, "#bg-generate")
    def _generate(self, event: Button.Pressed) -> None:
        event.stop()
        self.request(self.sentence, self.seed)

    @on(Button.Pressed, "#bg-reseed")
    def _reseed(self, event: Button.Pressed) -> None:
        event.stop()
        self.seed += 1
        self.request(self.sentence, self.seed)

    def compute(self, sentence: str, seed: int) -> BigramResult:
        from ...core import bigram_explain, checkpoint
        from ...core.text import analyze
        from ..models import load_bigram

        try:
            lm = load_bigram(self.models_dir)
        except checkpoint.ModelError as exc:
            raise PageError(f"{exc}\n`tutor train bigram --out models/bigram-ja` で作り直せます。") from exc
        analysis = analyze(sentence)
        words = [t.surface for t in analysis.tokens]
        score = bigram_explain.score(lm, words) if words else None
        return BigramResult(analysis.notices, score, bigram_explain.generate(lm, seed, MAX_WORDS, TOP_CANDIDATES))

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.query_one("#bg-score", Static).update("")

    def draw(self, result: BigramResult) -> None:
        self.query_one("#bg-message", Static).update(Text("\n".join(result.notices)))
        score = self.query_one("#bg-score", Static)
        score.update(score_view(result.score) if result.score else "文が空です。上の欄に日本語の文を入力してください。")
        self.query_one("#bg-seed", Label).update(f"乱数の種 {result.generated.seed}")
        self.query_one("#bg-generated", Static).update(generated_view(result.generated))


def score_view(score: SentenceScore) -> Text:
    out = Text("あなたの文を 2 語ずつ\n", style="bold")
    # 56 cells a row: it fits beside the lesson list at 80 columns without the bar wrapping.
    out.append(f"{fit('前の語', 10)} {fit('語', 10)} {fit('回数 / 前の語の回数', 19)} 確率\n", style="dim")
    for p in score.pairs:
        out.append(f"{fit(p.prev, 10)} {fit(p.word, 10)} {p.count:>7,} / {p.total:<8,} ")
        out.append(f"{p.prob:.4f}", style="bold red" if p.unseen else "")
        out.append(" " + bar(p.prob, 8), style="red" if p.unseen else "green")
        if p.unseen:
            out.append(" 見たことのない組（平滑化でわずかに残す）", style="red")
        out.append("\n")
    out.append(
        f"文の確率 = 積 = {score.prob:.3g}（対数 {score.logprob:.1f}）、"
        f"1 語あたりのパープレキシティ {score.perplexity:.1f}",
        style="bold",
    )
    return out


def generated_view(generated: Generated) -> Text:
    out = Text("生成した文: ", style="bold")
    out.append("".join(generated.words) or "（空）")
    out.append("\n\n1 語ずつ: 前の語のあとに来た回数に比例したくじで選ぶ\n", style="dim")
    for d in generated.draws:
        out.append(f"{fit(d.prev, 8)} → ")
        out.append(fit(d.word, 8), style="bold yellow")
        out.append(f" {d.count:>6,} 回 / {d.total:,}  候補: ")
        out.append("  ".join(f"{w} {c:,}" for w, c in d.candidates), style="dim")
        out.append("\n")
    return out
