"""PageTabs: tabs whose switch never loses the learner's keys, and which hand the keys to the page shown.

Textual blurs a focused widget when its pane is hidden and gives the focus to a
*sibling*, which sits in the same (now hidden) pane; that pane's TabPane then
asks its TabbedContent to be active again, so the switch flickers and snaps back
(``Widget._on_hide`` → ``Screen._reset_focus`` → ``TabPane._on_descendant_focus``;
textual 8.2.8). It cost learners inner-tab switches and quiz answers (issue 14,
cases 1 and 2). The fix lives here, in the one place tabs switch: focus inside
the pane being left is dropped at once, before the hide is processed, and once
the new pane is drawn its page's main control takes the keys (the focus model in
docs/FOCUS.md).
"""

from __future__ import annotations

from textual.walk import walk_breadth_first
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TabbedContent, TabPane


def shown(widget: Widget) -> bool:
    """Whether ``widget`` and every container above it are displayed (not inside a hidden tab)."""
    return widget.is_attached and all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


class FocusTarget:
    """Mixed into what a pane holds: ``focus_main`` gives the keys to its main control (or to nothing)."""

    def focus_main(self) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class PageTabs(TabbedContent):
    """A TabbedContent for pages: switching drops focus left inside the old pane and focuses the new page."""

    def _watch_active(self, active: str) -> None:
        super()._watch_active(active)
        if not self.is_attached:
            return
        screen = self.screen
        focused = screen.focused
        if focused is not None and self in focused.ancestors:
            pane = next((a for a in focused.ancestors if isinstance(a, TabPane) and a.parent is not None
                         and a.parent.parent is self), None)
            if pane is not None and pane.id != active:
                screen.set_focus(None)
        self.focus_active()

    def own_panes(self) -> list[TabPane]:
        """Its own panes (in its ContentSwitcher), not those of tabs nested deeper.

        Read off the switcher's children: a query would walk every prose block and demo widget
        (~15 ms on the lesson tabs, twice in each lesson switch).
        """
        switchers = [c for c in self.children if isinstance(c, ContentSwitcher)]
        return [pane for pane in switchers[0].children if isinstance(pane, TabPane)] if switchers else []

    def step(self, delta: int) -> None:
        """Show the page ``delta`` places on, wrapping around."""
        ids = [pane.id for pane in self.own_panes()]
        if self.active in ids:
            self.active = ids[(ids.index(self.active) + delta) % len(ids)]

    def focus_active(self) -> None:
        """Give the keys to the active pane's main control, when this tab bar is on screen."""
        if not self.is_attached or not shown(self):
            return
        pane = next((p for p in self.own_panes() if p.id == self.active), None)
        if pane is None:
            return
        focused = self.screen.focused
        if focused is not None and pane in focused.ancestors:
            return  # already inside the page (the learner clicked a control there)
        # breadth first and lazily: the page's control sits near the top, the prose's blocks below
        target = next((w for w in walk_breadth_first(pane, with_root=False) if isinstance(w, FocusTarget)), None)
        if target is not None:
            target.focus_main()
        elif focused is not None and self in focused.ancestors:
            self.screen.set_focus(None)
