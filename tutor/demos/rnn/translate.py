"""L3 翻訳 (アテンションなし): the plain seq2seq and the best attention model on the learner's sentence, word by
word."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.variants import BEST, VARIANT_NAMES
from ...widgets.bars import bar, fit
from ..base import Page, PageError
from .unroll import EMPTY, sentence_words


@dataclass(frozen=True)
class Translations:
    source: list[str]
    results: list[tuple[str, list[tuple[str, float]]]]  # (variant, [(word, probability)])


def compared_variants(present: list[str]) -> list[str]:
    """plain, then the best attention model that is bundled (BEST if there, else the first)."""
    attention = [v for v in present if v != "plain"]
    best = BEST if BEST in attention else (attention[0] if attention else None)
    return [v for v in ("plain", best) if v in present]


class TranslatePage(Page):
    """Greedy translations, each word with the probability the decoder gave it."""

    MAIN = "#tr-scroll"  # nothing to press: the keys scroll the page

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="tr-message")
        with VerticalScroll(id="tr-scroll"):
            yield Static(
                "エンコーダが文を読み終えた状態から、デコーダが英語を 1 語ずつ出します。"
                "各語の右の数は、デコーダがその語に付けた確率です（貪欲法: 毎回いちばん高い語）。",
                classes="hint",
            )
            yield Static(id="tr-output", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.query_one("#tr-output", Static).update(Text("翻訳中…", style="dim"))
        self.request(sentence)

    def compute(self, sentence: str) -> Translations:
        from ...core import checkpoint
        from ...core.seq2seq_steps import greedy_words
        from ..models import MISSING_TRANSLATOR, available_variants, load_translator

        variants = compared_variants(available_variants(self.models_dir))
        if not variants:
            raise PageError(MISSING_TRANSLATOR)
        words = sentence_words(sentence)
        if not words:
            raise PageError(EMPTY)
        results = []
        for variant in variants:
            try:
                model = load_translator(self.models_dir, variant, self.device)
            except checkpoint.ModelError as exc:
                raise PageError(str(exc)) from exc
            results.append((variant, greedy_words(model, words)))
        return Translations(words, results)

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.query_one("#tr-output", Static).update("")

    def draw(self, result: Translations) -> None:
        out = Text()
        for variant, words in result.results:
            plain = variant == "plain"
            out.append(f"{VARIANT_NAMES[variant]}\n", style="bold")
            out.append("  " + " ".join(w for w, _ in words) + "\n", style="bold yellow" if plain else "bold cyan")
            for w, p in words:
                out.append(f"    {fit(w, 12)} {p:.2f} ")
                out.append(bar(p, 15) + "\n", style="yellow" if plain else "cyan")
            out.append("\n")
        out.append(
            f"原文 {len(result.source)} 語。"
            "アテンションなしのモデルは、その全部を 1 本のベクトルに詰めてから訳し始めます。"
            "長い文ほど途中の語を落としやすくなります（「長さと BLEU」のタブ）。",
            style="dim",
        )
        self.query_one("#tr-output", Static).update(out)
