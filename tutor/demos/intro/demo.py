"""L0 はじめに, 実験 tab: the device in use, and "your sentence" with the samples (MAIN: the samples list)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static

from ...core.device import DeviceChoice
from ...core.text import clean
from ...dialogs.sentence import sample_options
from ..base import LessonDemo, SentenceChosen


def device_text(device: DeviceChoice | None, requested: str) -> Text:
    text = Text("デバイス: ", style="bold")
    if device is None:
        text.append(f"{requested}（確認中…）")
        return text
    text.append(device.name)
    text.append(f"（指定: {device.requested}）", style="dim")
    if device.notice:
        text.append(f"\n{device.notice}", style="yellow")
    text.append("\nd キーで auto / cpu / cuda を切り替えられます。"
                "このチューターの小さなモデルは CPU でも十分に動きます。", style="dim")
    return text


class IntroDemo(LessonDemo):
    MAIN = "#intro-samples"  # arrows and Enter pick a sample; the lesson keys keep working

    DEFAULT_CSS = """
    IntroDemo VerticalScroll { padding: 0 1; }
    IntroDemo .section { margin-top: 1; text-style: bold; }
    IntroDemo Horizontal { height: auto; }
    IntroDemo #intro-input { width: 1fr; }
    IntroDemo OptionList { height: auto; max-height: 12; }
    """

    def compose(self) -> ComposeResult:
        samples = self.app.samples  # type: ignore[attr-defined]
        with VerticalScroll():
            yield Static(id="intro-device")
            yield Label("あなたの文", classes="section")
            yield Static(id="intro-current")
            with Horizontal():
                yield Input(self.sentence, placeholder="文を入力して Enter", id="intro-input", compact=True)
                yield Button("設定", id="intro-set", variant="primary", compact=True)
            yield Static(id="intro-error")
            yield Label("サンプルから選ぶ", classes="section")
            yield OptionList(*sample_options(samples), id="intro-samples")

    def on_mount(self) -> None:
        if self.gone:
            return
        self._show_sentence()
        self._show_device()

    def _show_sentence(self) -> None:
        text = Text("いまの文: ", style="dim")
        text.append(self.sentence, style="bold")
        self.query_one("#intro-current", Static).update(text)

    def _show_device(self) -> None:
        requested = getattr(self.app, "requested_device", "auto")
        self.query_one("#intro-device", Static).update(device_text(self.device, requested))

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        if self.is_mounted:
            self._show_sentence()
            self.query_one("#intro-input", Input).value = sentence

    def device_changed(self, device: DeviceChoice) -> None:
        super().device_changed(device)
        if self.is_mounted:
            self._show_device()

    def _choose(self, raw: str) -> None:
        text = clean(raw).text
        error = self.query_one("#intro-error", Static)
        if not text:
            error.update(Text("文が空です。", style="red"))
            return
        error.update("")
        self.post_message(SentenceChosen(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._choose(self.query_one("#intro-input", Input).value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self.app.samples[event.option_index].text)  # type: ignore[attr-defined]
