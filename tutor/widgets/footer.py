"""KeyFooter: Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets after *every* bindings update,
and a lesson switch from the 実験 tab makes several (focus leaves the page, the
tab changes, the page's keys go): each rebuild mounts a dozen widgets and
restyles them, ~40 ms apiece on this machine, inside the new lesson's first
frame (issue 14, case 5). This footer compares what it would show with what it
shows and rebuilds once, after the frame, only when they differ.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # what the last compose showed
        self._pending = False

    def _signature(self) -> tuple:
        """The keys, labels and enabled states the footer would show now."""
        return tuple(
            (binding.key, binding.description, binding.action, enabled, binding.group and binding.group.description)
            for (_, binding, enabled, _tooltip) in self.screen.active_bindings.values()
            if binding.show
        ) + (self.compact, self.show_command_palette)

    def compose(self):
        if self._bindings_ready and self.is_attached:
            self._shown = self._signature()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._rebuild)

    def _rebuild(self) -> None:
        self._pending = False
        if self.is_attached and self._signature() != self._shown:
            self.call_next(self.recompose)  # in the footer's own context, which compose's data_bind needs
