"""L3 RNN の展開: the encoder GRU over the learner's sentence, h_t after each word, as a strip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...widgets.state_strip import StateStrip
from ..base import Page, PageError

if TYPE_CHECKING:
    from ...core.unroll import Unrolled

EMPTY = "文が空です。日本語の文を入力してください。"


@dataclass(frozen=True)
class UnrollResult:
    words: list[str]
    unrolled: Unrolled


def translator_for(models_dir, device: str, prefer: str = "plain"):
    """The bundled translator ``prefer`` (else the first there is), loaded in the worker; PageError if none."""
    from ...core import checkpoint
    from ..models import MISSING_TRANSLATOR, available_variants, load_translator

    variants = available_variants(models_dir)
    if not variants:
        raise PageError(MISSING_TRANSLATOR)
    try:
        return load_translator(models_dir, prefer if prefer in variants else variants[0], device)
    except checkpoint.ModelError as exc:
        raise PageError(str(exc)) from exc


def sentence_words(sentence: str) -> list[str]:
    from ...core.text import analyze

    return [t.surface for t in analyze(sentence).tokens]


class UnrollPage(Page):
    """h_t of the plain translator's encoder after each word, and the one vector its decoder gets."""

    MAIN = "#ur-scroll"  # nothing to press: the keys scroll the page

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="ur-message")
        with VerticalScroll(id="ur-scroll"):
            yield Static(
                "RNN は 1 語読むたびに隠れ状態 h を更新します: h_t = GRU(x_t, h_(t−1))。"
                "どの語でも同じ重みを使い回します。下の帯は翻訳モデル（アテンションなし）の"
                "エンコーダが、各語を読んだ直後に持っている h_t です。",
                classes="hint",
            )
            yield Static(id="ur-legend", classes="hint")
            yield StateStrip(id="ur-strip")
            yield Static(id="ur-summary", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.query_one("#ur-summary", Static).update(Text("計算中…", style="dim"))
        self.request(sentence)

    def compute(self, sentence: str) -> UnrollResult:
        from ...core.seq2seq_steps import unroll_words

        model = translator_for(self.models_dir, self.device)
        words = sentence_words(sentence)
        if not words:
            raise PageError(EMPTY)
        return UnrollResult(words, unroll_words(model, words))

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.query_one("#ur-summary", Static).update("")
        self.query_one("#ur-strip", StateStrip).set_rows([])

    def draw(self, result: UnrollResult) -> None:
        u, words = result.unrolled, result.words
        rows = [(f"{t + 1} {w}", h, f"{d:.1f}") for t, (w, h, d) in enumerate(zip(words, u.forward, u.change))]
        rows.append(("→ デコーダ", u.first, ""))
        self.query_one("#ur-strip", StateStrip).set_rows(rows)
        # How many dimensions fit is known once the strip is laid out at its width.
        self.call_after_refresh(self._legend, u.hidden)
        moved = max(range(len(u.change)), key=u.change.__getitem__)
        summary = Text()
        summary.append("右端の数 = その語で h がどれだけ動いたか（‖h_t − h_(t−1)‖）。"
                       f"いちばん動かしたのは「{words[moved]}」。\n")
        summary.append(
            f"アテンションなしのデコーダが受け取るのは最後の行の {u.hidden} 個の数だけです。"
            f"{len(words)} 語の文でも 30 語の文でも同じ大きさ: これがボトルネックです。",
            style="bold",
        )
        self.query_one("#ur-summary", Static).update(summary)

    def _legend(self, hidden: int) -> None:
        if not self.is_attached:
            return
        shown = self.query_one("#ur-strip", StateStrip).shown_dims()
        legend = Text("1 行 = 1 語読んだあとの h_t、1 マス = 1 次元。赤 = 正、青 = 負、濃いほど絶対値が大きい。")
        legend.append(f"\n{hidden} 次元のうち先頭 {shown} 次元を表示（右端の数は下の説明を参照）。", style="dim")
        self.query_one("#ur-legend", Static).update(legend)
