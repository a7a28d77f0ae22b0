"""What L1's three pages share: they draw the demo's current analysis, and Enter edits the sentence bar."""

from __future__ import annotations

from textual.widgets import Input

from ...core.text import Analysis
from ...widgets.page_tabs import shown
from ..base import Page


class AnalysisPage(Page):
    """A page drawn from the sentence bar's analysis; a hidden page catches up when shown."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._stale = True

    @property
    def analysis(self) -> Analysis:
        return self.demo.analysis  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        super().on_mount()
        self.analysis_changed()

    def analysis_changed(self) -> None:
        """The sentence in the bar changed: redraw now if on screen, else when next shown."""
        self._stale = True
        if shown(self):
            self.shown_again()

    def on_show(self) -> None:
        """Shown again: another inner tab, or the 実験 tab itself (the demo may be built behind the prose)."""
        self.shown_again()

    def shown_again(self) -> None:
        if self._stale:
            self._stale = False
            self.redraw()

    def redraw(self) -> None:
        """Draw ``self.analysis``."""

    def action_edit(self) -> None:
        """Enter: the sentence field lives in the bar above the tabs, not in the page."""
        self.demo.query_one("#morph-input", Input).focus()
