"""The sentence bar above L1's pages: the sentence being analysed, three shortcuts and the notices.

It sits above the tabs, so what the learner typed stays put while they page
through 解析表 / 比較 / one-hot, and every page reads the same analysis.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ...core.text import Analysis
from ..base import SentenceChosen

SUMOMO = "すもももももももものうち"


class SentenceBar(Widget):
    """The sentence field (``#morph-input``), its buttons and ``#morph-notice``; the demo listens to the field."""

    DEFAULT_CSS = """
    SentenceBar { height: auto; }
    SentenceBar #morph-input-row { height: auto; }
    SentenceBar #morph-input-label { color: $text-muted; padding: 0 0 0 1; }
    SentenceBar #morph-input { width: 1fr; background: $boost; }
    SentenceBar #morph-input:focus { background: $primary 20%; }
    SentenceBar #morph-buttons { height: auto; padding: 0 1; }
    SentenceBar #morph-buttons Button { margin-right: 1; }
    SentenceBar #morph-notice { color: $warning; height: auto; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo  # the MorphologyDemo: the learner's sentence and the current analysis
        self._notice: str | None = None  # None: not drawn yet (the empty line must hide)

    @property
    def box(self) -> Input:
        return self.query_one("#morph-input", Input)

    def compose(self) -> ComposeResult:
        with Horizontal(id="morph-input-row"):
            # The key that brings the cursor here, said where it applies (Esc leaves: the footer says so).
            yield Label(Text.assemble("文 ", ("(Enter) ", "dim")), id="morph-input-label")
            yield Input(self.demo.sentence, placeholder="文を入力すると、すぐに解析します", id="morph-input",
                        compact=True)
        with Horizontal(id="morph-buttons"):
            yield Button("すもも…の例", id="morph-sumomo", compact=True, tooltip=SUMOMO)
            yield Button("元に戻す", id="morph-mine", compact=True, tooltip="あなたの文に戻す")
            yield Button("あなたの文にする", id="morph-keep", compact=True,
                         tooltip="この文を、すべてのレッスンで使う「あなたの文」にする")
        yield Static(id="morph-notice")

    def show_notices(self, analysis: Analysis) -> None:
        """Cut or cleaned input, or an empty sentence; redrawn only when the text changes (each update relayouts)."""
        notices = list(analysis.notices)
        if not analysis.tokens:
            notices.append("文が空です。何か入力してください。")
        text = "\n".join(notices)
        if text == self._notice:
            return
        self._notice = text
        notice = self.query_one("#morph-notice", Static)
        notice.update(Text(text))
        notice.display = bool(text)

    def set_text(self, text: str) -> None:
        if self.box.value != text:
            self.box.value = text

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "morph-sumomo":
            self.box.value = SUMOMO
        elif event.button.id == "morph-mine":
            self.box.value = self.demo.sentence
        elif event.button.id == "morph-keep":
            text = self.demo.analysis.text
            if text:
                self.post_message(SentenceChosen(text))
            else:
                self.notify("文が空です。", severity="warning")
