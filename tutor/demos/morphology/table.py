"""L1, 解析表: MeCab's analysis of the sentence as a table coloured by part of speech (MAIN: the table)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...widgets.pos_colors import legend
from ...widgets.token_table import TokenTable
from .page import AnalysisPage


class TablePage(AnalysisPage):
    """Redrawn on every keystroke, on the UI thread: MeCab takes well under a millisecond
    for a sentence, and the 30 ms keystroke budget (benchmarks/keystroke.py) leaves no
    room for a worker's round trip."""

    MAIN = "#morph-tokens"  # arrows scroll the rows; Enter edits the sentence; ] pages on

    DEFAULT_CSS = """
    TablePage #morph-legend { height: auto; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._legend = None  # plain text on screen: each update costs a relayout

    def compose(self) -> ComposeResult:
        yield Static(id="morph-legend")
        yield TokenTable(id="morph-tokens")

    def redraw(self) -> None:
        a = self.analysis
        self.query_one("#morph-tokens", TokenTable).show(a)
        text = legend([t.pos_major for t in a.tokens]) if a.tokens else Text("")
        if text.plain != self._legend:
            self._legend = text.plain
            box = self.query_one("#morph-legend", Static)
            box.update(text)
            box.display = bool(text.plain)
