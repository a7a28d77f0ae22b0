"""L4 アテンション付き seq2seq, 実験 tab: translate your sentence and watch where the model looks.

One page (:mod:`.translate`): the attention grid fills in row by row as each
English word is produced, at a speed the learner sets; with a beam wider than 1
the beam is replayed step by step; selecting a cell works that row's attention
step through with the model's numbers (:mod:`.step`). What is drawn from plain
data lives in :mod:`.views`; the numbers come from :mod:`tutor.core.seq2seq_steps`.
"""

from __future__ import annotations

from textual.app import ComposeResult

from ..base import LessonDemo
from .translate import AttentionPage

__all__ = ["AttentionDemo", "AttentionPage"]


class AttentionDemo(LessonDemo):
    """The L4 demo: a single page, so ``]`` / ``[`` have nothing to step through."""

    DEFAULT_CSS = """
    AttentionDemo > AttentionPage { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield AttentionPage(self, id="att-page")

    @property
    def page(self) -> AttentionPage | None:
        found = self.query(AttentionPage)
        return found.first() if found else None

    def focus_main(self) -> None:
        page = self.page
        if page is not None:
            page.focus_main()

    def rerun(self) -> None:
        """The device changed: decode again what the field holds (the learner may have typed their own)."""
        page = self.page
        if page is not None:
            page.schedule()
