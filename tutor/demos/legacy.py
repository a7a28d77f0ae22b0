"""The old panel classes, kept only while lessons move to :class:`tutor.demos.base.Page` (issue 14)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TabPane

from ..widgets.page_tabs import PageTabs, shown
from .base import Focusable, LessonDemo, gone


class DemoPanel(Focusable, Widget):
    """One inner tab of a lesson's demo, built the first time its tab is shown.

    ``demo`` is the lesson's :class:`LessonDemo`; the panel is told when the
    learner's sentence changes and redraws for it (slow work in thread workers).
    """

    DEFAULT_CSS = """
    DemoPanel { height: 1fr; }
    DemoPanel .row { height: auto; }
    DemoPanel .row Button { margin-right: 1; width: auto; min-width: 6; }
    DemoPanel .row Label { padding: 0 1 0 0; }
    DemoPanel .hint { height: auto; color: $text-muted; padding: 0 1; }
    DemoPanel .message { height: auto; color: $warning; padding: 0 1; }
    DemoPanel .body { height: auto; padding: 0 1; }
    """

    def __init__(self, demo: LessonDemo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo

    @property
    def models_dir(self):
        return self.app.paths.models_dir  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        if not gone(self):
            self.sentence_changed(self.demo.sentence)

    def sentence_changed(self, sentence: str) -> None:
        """Redraw for the learner's (new) sentence."""


class TabbedDemo(LessonDemo):
    """A demo made of inner tabs; ``PANELS`` maps each TabPane id to its DemoPanel class."""

    DEFAULT_CSS = """
    TabbedDemo > TabbedContent { height: 1fr; }
    """

    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {}
    TABS: ClassVar[dict[str, str]] = {}  # pane id -> tab title, in order

    def compose(self) -> ComposeResult:
        with PageTabs(id=f"{self.TABS_ID}"):
            for pane_id, title in self.TABS.items():
                yield TabPane(title, id=pane_id)

    TABS_ID = "demo-tabs"

    def main_control(self):
        return None

    def focus_main(self) -> None:
        self.query_one(PageTabs).focus_active()

    async def on_tabbed_content_tab_activated(self, event) -> None:
        event.stop()
        pane = event.pane
        cls = self.PANELS.get(pane.id or "")
        if cls is not None and not pane.query(DemoPanel):
            panel = cls(self, id=f"{pane.id}-panel")
            await pane.mount(panel)
            if shown(panel) and pane.id == self.query_one(PageTabs).active:
                panel.focus_main()

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        for panel in self.query(DemoPanel):
            panel.sentence_changed(sentence)

    def rerun(self) -> None:
        for panel in self.query(DemoPanel):
            panel.sentence_changed(self.sentence)
