"""The top bar: which lesson and its state, the learner's sentence, the device the models run on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class TopBar(Horizontal):
    """Three cells; the app tells it what to show. Cells keep their ids (#top-lesson …) for styles and tests."""

    def compose(self) -> ComposeResult:
        yield Static(id="top-lesson")
        yield Static(id="top-sentence")
        yield Static(id="top-device")

    def _cell(self, name: str) -> Static | None:
        """None once the bar is gone (the app is closing; workers may still report)."""
        if not self.is_attached:
            return None
        return self.query_one(f"#top-{name}", Static)

    def show_lesson(self, label: str, state: str) -> None:
        if cell := self._cell("lesson"):
            cell.update(Text(f"{label}  {state}"))

    def show_sentence(self, sentence: str) -> None:
        if cell := self._cell("sentence"):
            text = Text("あなたの文: ", style="dim")
            text.append(sentence)  # appended as plain text: markup-looking sentences stay as typed
            cell.update(text)

    def show_device(self, requested: str, device: str | None, fallback: bool) -> None:
        """``device`` None while the check is still running."""
        if cell := self._cell("device"):
            cell.update(Text(f"デバイス: {requested}…" if device is None else f"デバイス: {device.upper()}"))
            cell.set_class(device is not None and fallback, "-fallback")
