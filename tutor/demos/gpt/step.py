"""一歩ずつ: the learner picks every next token from the candidates (↑↓ and Enter), or lets the sampler pick
(C30, C31)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ...core.gpt_explain import NextChoices, default_prompt
from ...core.text import analyze
from ...widgets.bars import bar, fit
from ..base import Page
from .common import language_model

#: Candidates listed at each step.
CANDIDATES = 12
END = "</s>"


class StepPage(Page):
    """C30/C31 by hand: the learner chooses each next token from the candidates (↑↓ and Enter)."""

    DEFAULT_CSS = """
    StepPage #st-candidates { height: 14; }
    """

    #: The candidates take the keys as soon as the page shows: the hint announces ↑↓ and Enter.
    MAIN = "#st-candidates"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.words: list[str] = []
        self.seed = 0
        self.choices: NextChoices | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        yield Static(
            "次の語を自分で選びます (↑↓ で選んで Enter)。「サンプラーに任せる」は温度 1 のくじで 1 語選びます。",
            classes="hint",
        )
        with Horizontal(classes="row"):
            yield Button("サンプラーに任せる", id="st-sample", compact=True, variant="primary")
            yield Button("1 語戻す", id="st-undo", compact=True)
            yield Button("最初から", id="st-reset", compact=True)
        yield Static(id="st-text", classes="body")
        yield OptionList(id="st-candidates")

    def sentence_changed(self, sentence: str) -> None:
        self.words = [t.surface for t in analyze(default_prompt(sentence)).tokens]
        self.refresh_candidates()

    def refresh_candidates(self) -> None:
        self.choices = None  # until the new ones arrive, a pick from the old list means nothing
        self.query_one("#st-text", Static).update(Text("".join(self.words) + "▌", style="bold yellow"))
        self.request("".join(self.words), self.seed)

    def compute(self, text: str, seed: int) -> NextChoices:
        from ...core.gpt_explain import next_choices

        return next_choices(language_model(self.models_dir, self.device), text, CANDIDATES, seed)

    def draw(self, choices: NextChoices) -> None:
        self.choices = choices
        box = self.query_one("#st-candidates", OptionList)
        box.clear_options()
        for word, p in choices.candidates:
            label = Text(fit(word, 10) + f" {p:6.3f} ")
            label.append(bar(p, 25), style="green")
            box.add_option(Option(label))
        if choices.candidates:
            box.highlighted = 0

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.query_one("#st-candidates", OptionList).clear_options()

    def add(self, word: str) -> None:
        if word == END:
            self.choices = None
            self.query_one("#st-text", Static).update(Text("".join(self.words) + f"（文の終わり {END}）",
                                                           style="bold yellow"))
            self.query_one("#st-candidates", OptionList).clear_options()
            return
        self.words.append(word)
        self.refresh_candidates()

    @on(OptionList.OptionSelected, "#st-candidates")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.choices is not None and 0 <= event.option_index < len(self.choices.candidates):
            self.add(self.choices.candidates[event.option_index][0])

    @on(Button.Pressed, "#st-sample")
    def _sample(self, event: Button.Pressed) -> None:
        event.stop()
        if self.choices is None:
            return
        self.seed += 1  # the next draw uses a new seed: pressing again does not repeat the same luck
        self.add(self.choices.sampled)

    @on(Button.Pressed, "#st-undo")
    def _undo(self, event: Button.Pressed) -> None:
        event.stop()
        if self.words:
            self.words.pop()
        self.refresh_candidates()

    @on(Button.Pressed, "#st-reset")
    def _reset(self, event: Button.Pressed) -> None:
        event.stop()
        self.sentence_changed(self.sentence)
