"""L3 RNN と seq2seq, 実験 tab: a bigram model, an RNN unrolled, a plain seq2seq, and the bottleneck in figures.

Four pages, each built the first time its tab is shown (one module each):

- バイグラム (:mod:`.bigram`): the learner's sentence scored pair by pair from
  corpus counts, and text generated word by word with the counts behind every choice;
- RNN の展開 (:mod:`.unroll`): the encoder's hidden state after each word, drawn as a strip;
- 翻訳 (:mod:`.translate`): the plain seq2seq (no attention) next to the attention
  model on the learner's sentence, with the probability of every word it chose;
- 長さと BLEU (:mod:`.bleu`): dev BLEU by source length for every bundled
  translator, read from their config.json: the bottleneck shown with data.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import TabPane

from ...widgets.page_tabs import PageTabs
from ..base import Page, TabbedDemo
from .bigram import BigramPage
from .bleu import BleuPage
from .translate import TranslatePage
from .unroll import UnrollPage

__all__ = ["RnnDemo"]


class RnnDemo(TabbedDemo):
    """The L3 demo: four pages, each built when its tab is first shown."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "rnn-bigram": ("バイグラム", BigramPage),
        "rnn-unroll": ("RNN の展開", UnrollPage),
        "rnn-translate": ("翻訳 (アテンションなし)", TranslatePage),
        "rnn-bleu": ("長さと BLEU", BleuPage),
    }

    def compose(self) -> ComposeResult:
        # The tabs keep the lesson's own id (#rnn-tabs), which tests and snapshots reach them by.
        with PageTabs(id="rnn-tabs"):
            for pane_id, (title, _) in self.PAGES.items():
                yield TabPane(title, id=pane_id)

