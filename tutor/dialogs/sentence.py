"""SentenceScreen: set "your sentence", typed or picked from the samples."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..core.text import clean
from ..curriculum.samples import Sample


def sample_options(samples: tuple[Sample, ...]) -> list[Option]:
    """One option per sample sentence (plain Text: sample files are data, not markup)."""
    return [Option(Text(s.text)) for s in samples]


class SentenceScreen(ModalScreen[str | None]):
    """Dismisses with the cleaned sentence, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "キャンセル", id="sentence.cancel")]
    AUTO_FOCUS = "#sentence-input"

    DEFAULT_CSS = """
    SentenceScreen { align: center middle; }
    SentenceScreen > Vertical {
        width: 90%; max-width: 90; height: 90%; max-height: 30;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    SentenceScreen OptionList { height: 1fr; }
    SentenceScreen #sentence-error { color: $error; height: auto; }
    SentenceScreen Horizontal { height: auto; align-horizontal: right; }
    SentenceScreen Horizontal Button { margin-left: 1; }
    """

    def __init__(self, current: str, samples: tuple[Sample, ...]) -> None:
        super().__init__()
        self.current = current
        self.samples = samples

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("あなたの文", style="bold"))
            yield Static(Text("どのレッスンもこの文から始まります。入力して Enter、またはサンプルから選んでください。",
                              style="dim"))
            yield Input(self.current, placeholder="文を入力して Enter", id="sentence-input")
            yield Static(id="sentence-error")
            yield Label("サンプル")
            yield OptionList(*sample_options(self.samples), id="sentence-samples")
            with Horizontal():
                yield Button("キャンセル", id="sentence-cancel", compact=True)
                yield Button("決定", id="sentence-ok", variant="primary", compact=True)

    def _submit(self, raw: str) -> None:
        text = clean(raw).text
        if not text:
            self.query_one("#sentence-error", Static).update("文が空です。何か入力するか、サンプルを選んでください。")
            return
        self.dismiss(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._submit(self.samples[event.option_index].text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sentence-ok":
            self._submit(self.query_one("#sentence-input", Input).value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
