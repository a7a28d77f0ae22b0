"""穴埋め: the learner's sentence with chosen tokens (or typed ``[MASK]`` s) hidden, and BERT's candidates
(C33, C34)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...core.bert_explain import TOP, default_blank
from ..base import Page
from .common import candidate_lines, masked_lm
from .rows import WidthText, token_row


class BlankPicker(SelectionList[int]):
    """The sentence's tokens, Space hiding or showing one; Enter asks for the text field (as on every page)."""

    BINDINGS = [Binding("enter", "edit_sentence", "文を編集", show=False)]

    def action_edit_sentence(self) -> None:
        page = next((a for a in self.ancestors if isinstance(a, Page)), None)
        if page is not None:
            page.action_edit()


class FillMaskPage(Page):
    """C33/C34: hide any tokens (or type [MASK]) and read BERT's candidates."""

    DEFAULT_CSS = """
    FillMaskPage #fm-input { width: 1fr; background: $boost; }
    FillMaskPage #fm-tokens { width: 26; height: 1fr; }
    FillMaskPage #fm-side { width: 1fr; }
    """

    MAIN = "#fm-tokens"
    INPUT = "#fm-input"

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("文")
            yield Input(placeholder="日本語の文。[MASK] と書いた所も空所になります (Enter で入力)", id="fm-input",
                        compact=True)
        yield Static(Text("左の一覧で隠す語を選びます (↑↓ で移動、Space で切り替え、Enter で文を書き換え)。"
                          "BERT は空所の左右を両方見て、入る語を当てます。"), classes="hint")
        with Horizontal():
            yield BlankPicker(id="fm-tokens")
            with VerticalScroll(id="fm-side"):
                yield WidthText(id="fm-result", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        box = self.query_one("#fm-input", Input)
        with self.prevent(Input.Changed):
            box.value = sentence
        self.fill_tokens(sentence, default_blank(sentence))

    def fill_tokens(self, text: str, chosen: int | None) -> None:
        from ...core.bert_lm import split_masks

        tokens, _ = split_masks(text)
        sel = self.query_one("#fm-tokens", SelectionList)
        with self.prevent(SelectionList.SelectedChanged):
            sel.clear_options()
            for i, t in enumerate(tokens):
                typed = t == "[MASK]"  # already a blank
                sel.add_option(Selection(Text(f"{i + 1:>2} {t}"), i, i == chosen and not typed, disabled=typed))
            if tokens:  # the cursor starts on the hidden token, so ↓ goes to the next one
                sel.highlighted = chosen if chosen is not None and chosen < len(tokens) else 0
        self.recompute()

    @on(Input.Changed, "#fm-input")
    def _typed(self, event: Input.Changed) -> None:
        from ...core.bert_lm import MASK_PATTERN

        event.stop()
        self.fill_tokens(event.value, None if MASK_PATTERN.search(event.value) else default_blank(event.value))

    @on(SelectionList.SelectedChanged, "#fm-tokens")
    def _picked(self, event) -> None:
        event.stop()
        self.recompute()

    def recompute(self) -> None:
        text = self.query_one("#fm-input", Input).value
        self.request(text, tuple(self.query_one("#fm-tokens", SelectionList).selected))

    def compute(self, text: str, chosen: tuple[int, ...]):
        from ...core.bert_lm import split_masks

        lm = masked_lm(self.models_dir, self.device)
        tokens, _ = split_masks(text)
        filled = lm.fill(text, top_k=TOP, extra_masks=chosen)
        return filled, {i: tokens[i] for i in chosen if i < len(tokens)}

    def show_error(self, text: str) -> None:
        self.query_one("#fm-result", WidthText).update("")
        super().show_error(text)

    def draw(self, result) -> None:
        filled, originals = result
        out = self.query_one("#fm-result", WidthText)
        if not filled.tokens:
            out.update("文が空です。日本語の文を入力してください。")
            return
        items = [("[CLS]", "dim"), *((t, "bold reverse yellow" if t == "[MASK]" else "") for t in filled.tokens),
                 ("[SEP]", "dim")]
        rest = Text("\n")
        for notice in filled.notices:
            rest.append(notice + "\n", style="dim")
        if not filled.blanks:
            rest.append("\n空所がありません。左の一覧で隠す語を選ぶか、文に [MASK] と書いてください。", style="dim")
        for n, blank in enumerate(filled.blanks, 1):
            original = originals.get(blank.index)
            rest.append(f"\n空所 {n} ({blank.index + 1} 語目)", style="bold")
            rest.append(f"  もとの語: {original}\n" if original else "  (あなたが書いた [MASK])\n", style="dim")
            rest.append_text(candidate_lines(blank.candidates, original))

        def make(width: int) -> Text:
            # The row BERT reads wraps between tokens only; the candidates below wrap as text does.
            return token_row("BERT が読む文: ", items, width) + rest

        out.show(make)
