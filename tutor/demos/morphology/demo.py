"""L1 形態素解析, 実験 tab: the sentence bar, then three pages over one analysis of its sentence.

The bar's field is never focused by showing the tab (the focus model): the
table takes the keys, Enter puts the cursor in the field and Esc leaves it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, TabbedContent, TabPane

from ...core.text import Analysis, analyze
from ...widgets.page_tabs import PageTabs
from ..base import Page, TabbedDemo
from .compare import ComparePage
from .onehot import OneHotPage
from .page import AnalysisPage
from .sentence_bar import SentenceBar
from .table import TablePage


class MorphologyDemo(TabbedDemo):
    """Analyses the bar's sentence on every keystroke (``update_analysis``); each page draws it."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "morph-table": ("解析表", TablePage),
        "morph-compare": ("解析器の比較", ComparePage),
        "morph-onehot": ("one-hot", OneHotPage),
    }

    DEFAULT_CSS = """
    MorphologyDemo > PageTabs { height: 1fr; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.analysis: Analysis = analyze(self.sentence)

    def compose(self) -> ComposeResult:
        yield SentenceBar(self, id="morph-bar")
        with PageTabs(id="morph-tabs"):
            for pane_id, (title, _) in self.PAGES.items():
                yield TabPane(title, id=pane_id)


    def on_mount(self) -> None:
        if self.gone:
            return
        self.update_analysis(self.query_one("#morph-input", Input).value)

    @on(Input.Changed, "#morph-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.update_analysis(event.value)

    def update_analysis(self, raw: str) -> None:
        """Re-analyse; the page on screen redraws now, the others when next shown."""
        self.analysis = analyze(raw)
        self.query_one(SentenceBar).show_notices(self.analysis)
        for page in self.query(AnalysisPage):
            page.analysis_changed()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A page built earlier is shown again: it catches up with the sentence (TabbedDemo builds new ones)."""
        for page in event.pane.query(AnalysisPage):
            page.shown_again()

    def sentence_changed(self, sentence: str) -> None:
        """The learner's sentence changed (s, or あなたの文にする): the bar shows it, and the pages follow."""
        super().sentence_changed(sentence)
        if self.is_mounted:
            self.query_one(SentenceBar).set_text(sentence)
