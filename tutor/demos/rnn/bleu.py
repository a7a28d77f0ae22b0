"""L3 長さと BLEU: dev BLEU per source-length bucket, plain vs the attention models (measured at training time)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.bleu_buckets import BUCKET_ORDER, best_attention, bucket_size, gaps, top_bleu
from ...core.variants import VARIANT_NAMES
from ...widgets.bars import bar, fit
from ..base import Page

NO_FIGURES = "評価の数字がある翻訳モデルが見つかりません。`tutor eval seq2seq --update-card` で測れます。"


class BleuPage(Page):
    """The measured figures as bars, bucket by bucket, and how far attention is ahead in each."""

    MAIN = "#bl-scroll"  # nothing to press: the keys scroll the page

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="bl-scroll"):
            yield Static(id="bl-chart", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.request()  # the figures do not depend on the sentence, but the models on disk may have changed

    def compute(self) -> dict:
        from ...core.bleu_buckets import read_table

        return read_table(self.models_dir)

    def draw(self, table: dict) -> None:
        self.query_one("#bl-chart", Static).update(chart(table) if table else NO_FIGURES)


def chart(table: dict) -> Text:
    top = top_bleu(table) or 1.0
    best = best_attention(table)
    out = Text("dev 500 文の BLEU（貪欲法）を原文の長さ（MeCab の語数）で分けたもの\n\n", style="bold")
    for bucket in BUCKET_ORDER:
        out.append(f"{bucket} 語（{bucket_size(table, bucket)} 文）\n", style="bold")
        for v, ev in table.items():
            b = ev["greedy"]["buckets"].get(bucket)
            if b is None:
                continue
            style = "yellow" if v == "plain" else ("bold cyan" if v == best else "cyan")
            out.append(f"  {fit(VARIANT_NAMES[v], 24)} {b['bleu']:5.1f} ")
            out.append(bar(b["bleu"] / top, 30) + "\n", style=style)
        out.append("\n")
    if "plain" in table and best is not None:
        out.append(f"アテンションあり（dev BLEU 最高の {VARIANT_NAMES[best]}）となしの差: ", style="bold")
        out.append("、".join(f"{g.bucket} 語で +{g.difference:.1f}（{g.ratio:.2f} 倍）" for g in gaps(table, best)))
        out.append(
            "\n長い文ほど、最後の状態 1 本に詰め込むアテンションなしのモデルは苦しくなります。"
            "数字は各モデルの学習時に測ったもので、CARD.md と同じです。",
            style="dim",
        )
    return out
