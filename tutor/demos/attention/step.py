"""L4, under the grid: the selected row's attention step worked through with the model's numbers.

A page of its own inside the translation page, so working a row through never
cancels the decode that is still filling the grid (a page runs one request at a time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ..base import Page, PageError
from .views import explain_view

if TYPE_CHECKING:
    from ...core.attention_explain import StepExplanation


class StepPage(Page):
    """Scores, softmax and context of one grid row (:func:`tutor.core.seq2seq_steps.explain_row`)."""

    DEFAULT_CSS = """
    StepPage { height: auto; }
    StepPage #att-explain { height: auto; padding: 0 1; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: The row explained last and its numbers (row, explanation), for the current decode.
        self.explained: tuple[int, StepExplanation] | None = None
        self._column = 0  # the source token marked in the worked table
        self._words: tuple[list[str], list[str]] = ([], [])  # the grid's source and targets

    def compose(self) -> ComposeResult:
        yield Static(id="att-explain")

    def forget(self) -> None:
        """A new decode started: the old numbers, and any still being computed, no longer apply."""
        self.workers.cancel_node(self)
        self.explained = None
        self.query_one("#att-explain", Static).update("")

    def ask(self, row: int, col: int, source: list[str], targets: list[str], variant: str, src_ids: list[int],
            prefix: list[int], hard: bool) -> None:
        """Work row ``row`` through (``prefix``: the target ids before it); same row: only the marked column moves."""
        self._column, self._words = col, (list(source), list(targets))
        if self.explained is not None and self.explained[0] == row:
            self._show()
            return
        self.query_one("#att-explain", Static).update(Text("計算中…", style="dim"))
        self.request(row, variant, src_ids, prefix, hard)

    def compute(self, row: int, variant: str, src_ids: list[int], prefix: list[int], hard: bool):
        from ...core import checkpoint
        from ...core.seq2seq_steps import explain_row
        from ..models import load_translator

        try:
            model = load_translator(self.models_dir, variant, self.device)
        except checkpoint.ModelError as exc:
            raise PageError(str(exc)) from exc
        try:
            explanation = explain_row(model, src_ids, prefix, hard)
        except ValueError as exc:
            raise PageError("この行は計算できません。") from exc
        if explanation is None:
            raise PageError("アテンションなしのモデルなので、計算するアテンションがありません。")
        return row, explanation

    def show_error(self, text: str) -> None:
        self.query_one("#att-explain", Static).update(Text(text))

    def draw(self, result: tuple[int, StepExplanation]) -> None:
        self.explained = result
        self._show()

    def _show(self) -> None:
        if self.explained is None:
            return
        row, explanation = self.explained
        source, targets = self._words
        if row >= len(targets):
            return
        self.query_one("#att-explain", Static).update(explain_view(explanation, source, targets[row], row,
                                                                   self._column))
