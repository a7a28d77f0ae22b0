"""KeyFooter: Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets after *every* bindings update,
and a lesson switch from the 実験 tab makes several (focus leaves the page, the
tab changes, the page's keys go): each rebuild mounts a dozen widgets and
restyles them, ~40 ms apiece on this machine, inside the new lesson's first
frame (issue 14, case 5). This footer waits until the bindings have been quiet
for a moment (SETTLE seconds, so a switch's first frame is drawn first), then
compares what it would show with what it shows and rebuilds only when they differ.
The first keys are shown at once, with the app's first frame.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets (8.2.8, pinned)

SETTLE = 0.25  # seconds without a bindings change before the footer rebuilds


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # what the last compose showed
        self._timer: Timer | None = None
        self._first_asked = False  # the first build is on its way
        #: Actions whose keys are left out for lack of room (the app sets it by the terminal's width).
        self.hidden_actions: frozenset[str] = frozenset()

    def _signature(self) -> tuple:
        """The keys, labels and enabled states the footer would show now."""
        return tuple(
            (binding.key, binding.description, binding.action, enabled, binding.group and binding.group.description)
            for (_, binding, enabled, _tooltip) in self.screen.active_bindings.values()
            if binding.show
        ) + (self.compact, self.show_command_palette, self.hidden_actions)

    def compose(self):
        if self._bindings_ready and self.is_attached:
            self._shown = self._signature()
        for widget in super().compose():
            if not (isinstance(widget, FooterKey) and widget.action in self.hidden_actions):
                yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        if self._shown is None:  # nothing shown yet: the first keys go up with the first frame
            if not self._first_asked:
                self._first_asked = True
                self.call_after_refresh(self._rebuild)
            return
        self._timer = self.set_timer(SETTLE, self._rebuild)

    def _rebuild(self) -> None:
        self._timer = None
        signature = self._signature() if self.is_attached else None
        if signature is not None and signature != self._shown:
            self._shown = signature  # asked for once: compose records it again when it runs
            self.call_next(self.recompose)  # in the footer's own context, which compose's data_bind needs
