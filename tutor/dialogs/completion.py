"""CompletionScreen (修了): shown when the last lesson's quiz is passed; what was learned and where to go next.

The text is lesson data (``lessons/ending.md``); the screen adds which lessons are
not complete yet, if any (the course counts as complete when every lesson is).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

ENDING = "ending.md"


def ending_text(lessons_dir: Path) -> str:
    try:
        return (lessons_dir / ENDING).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "# 修了おめでとうございます\n\nL0 から L7 までを終えました。"


class CompletionScreen(ModalScreen[None]):
    """修了: the ending text, and the lessons still open (their labels)."""

    BINDINGS = [Binding("escape,q,enter", "close", "閉じる", id="completion.close")]
    AUTO_FOCUS = "VerticalScroll"  # arrow keys scroll the text

    DEFAULT_CSS = """
    CompletionScreen { align: center middle; }
    CompletionScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: thick $success; background: $surface; padding: 0 1;
    }
    CompletionScreen #completion-open { color: $warning; margin-bottom: 1; }
    CompletionScreen #completion-close { color: $text-muted; }
    """

    def __init__(self, text: str, still_open: list[str]) -> None:
        super().__init__()
        self.text = text
        self.still_open = still_open

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self.text, id="completion-text")
            if self.still_open:
                yield Static(Text("まだ完了していないレッスン: " + "、".join(self.still_open)
                                  + "。クイズに合格すると、コースの修了になります。"), id="completion-open")
            yield Static(Text("Esc・Enter・q で閉じます。レッスン一覧の「修了」から、いつでもまた開けます。"),
                         id="completion-close")

    def action_close(self) -> None:
        self.dismiss(None)
