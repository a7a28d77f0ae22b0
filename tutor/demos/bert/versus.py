"""GPT と BERT: one blank, filled by L6's GPT from the left side only and by BERT from both sides (C35)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select, Static

from ...core.bert_explain import Versus, default_blank, tokens_of, versus
from ..base import Page, PageError
from ..models import MISSING_GPT, gpt_available, load_lm
from .common import EMPTY, candidate_lines, masked_lm
from .rows import Item, WidthText, token_row

NOTE = ("GPT は空所の右側を知らないので、そこで文が続きそうな語を挙げます。BERT は右側も読むので、"
        "後ろの語とつながる語を選べます。その代わり BERT は、左から右へ一語ずつ文を書くことはできません。")
BLANK = "＿＿"


class VersusPage(Page):
    """C35: the same blank, GPT from the left only, BERT from both sides."""

    DEFAULT_CSS = """
    VersusPage #vs-position { width: 30; }
    VersusPage .column { width: 1fr; height: auto; padding: 0 1; }
    """

    MAIN = "#vs-position"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.tokens: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("空所にする語")
            yield Select([("1", 0)], value=0, allow_blank=False, id="vs-position", compact=True)
        with VerticalScroll():
            yield WidthText(id="vs-context", classes="body")
            with Horizontal(classes="row"):
                yield Static(id="vs-gpt", classes="column")
                yield Static(id="vs-bert", classes="column")
            yield Static(id="vs-note", classes="hint")

    def sentence_changed(self, sentence: str) -> None:
        self.tokens = tokens_of(sentence)
        sel = self.query_one("#vs-position", Select)
        with self.prevent(Select.Changed):
            if self.tokens:
                sel.set_options([(Text(f"{i + 1} {t}"), i) for i, t in enumerate(self.tokens)])
                sel.value = default_blank(sentence)
        self.recompute()

    @on(Select.Changed, "#vs-position")
    def _moved(self, event: Select.Changed) -> None:
        event.stop()
        self.recompute()

    def recompute(self) -> None:
        value = self.query_one("#vs-position", Select).value
        self.request(list(self.tokens), value if isinstance(value, int) else 0)

    def compute(self, tokens: list[str], index: int) -> Versus:
        if not tokens:
            raise PageError(EMPTY)
        bert = masked_lm(self.models_dir, self.device)
        gpt = load_lm(self.models_dir, self.device) if gpt_available(self.models_dir) else None
        return versus(bert, gpt, tokens, index)

    def show_error(self, text: str) -> None:
        for box in ("#vs-context", "#vs-gpt", "#vs-bert", "#vs-note"):
            self.query_one(box, Static).update("")
        super().show_error(text)

    def draw(self, result: Versus) -> None:
        tokens, index, original = result.tokens, result.index, result.original
        left: list[Item] = [(t, "") for t in tokens[:index]]
        blank: Item = (BLANK, "bold reverse yellow")

        def make(width: int) -> Text:
            # Both rows wrap between tokens only, so no word is cut in two at the edge.
            out = token_row("GPT が見る:  ", [*left, blank, *((t, "dim strike") for t in tokens[index + 1 :])],
                            width, "")
            out.append("\n")
            out.append_text(token_row("BERT が見る: ", [*left, blank, *((t, "") for t in tokens[index + 1 :])],
                                      width, ""))
            out.append(f"\nもとの語: {original}", style="dim")
            return out

        self.query_one("#vs-context", WidthText).show(make)
        gpt = Text("GPT (左だけ)\n", style="bold")
        if result.gpt is None:
            gpt.append("L6 の " + MISSING_GPT, style="red")
        else:
            gpt.append_text(candidate_lines(result.gpt, original, 12))
        self.query_one("#vs-gpt", Static).update(gpt)
        bert = Text("BERT (左右の両方)\n", style="bold")
        bert.append_text(candidate_lines(result.bert, original, 12))
        self.query_one("#vs-bert", Static).update(bert)
        self.query_one("#vs-note", Static).update(NOTE)
