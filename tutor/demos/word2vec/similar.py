"""L2, 類似語: a word -> its nearest neighbours, one column per model (MAIN: the results; Enter: the word)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Input, Label, Static

from ...core.text import normalize
from ...core.word2vec import Neighbor, UnknownWord, WordVectors
from .vectors import VectorsPage, model_label, neighbor_chart, rarity_notes

TOPN = 10
HINT = (
    "数値はコサイン類似度 (1 に近いほど同じ向き)。同じ語でも CBOW と skip-gram で並びが違います。"
    "文脈で置き換えられる語 (同じ品詞・同じ話題) が上に来ることが多いはずです。"
)


@dataclass(frozen=True)
class Similar:
    word: str
    columns: list[tuple[str, list[Neighbor]]]  # (model label, neighbours)
    unknown: list[tuple[str, UnknownWord]]  # (model label, why)
    notes: list[str]


class SimilarPage(VectorsPage):
    MAIN = "#sim-scroll"  # not the word field: ] and the lesson keys work at once (issue 14, case 3)
    INPUT = "#sim-word"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("単語")
            yield Input(placeholder="例: 犬", id="sim-word", compact=True)
            yield Label(" Enter で単語を入力", classes="hint")
        with Horizontal(classes="row"):
            yield Label("あなたの文の語:", classes="hint")
            yield Horizontal(id="sim-chips", classes="row")
        yield Static(classes="message", id="sim-message")
        with VerticalScroll(id="sim-scroll"):
            yield Horizontal(id="sim-columns", classes="columns")
            yield Static(classes="hint", id="sim-hint")

    def sentence_changed(self, sentence: str) -> None:
        words = self.words
        chips = self.query_one("#sim-chips")
        chips.remove_children()
        chips.mount_all(Button(w, compact=True, classes="chip", name=w) for w in words)
        box = self.query_one("#sim-word", Input)
        if words and (not box.value or box.value not in words):
            with self.prevent(Input.Changed):
                box.value = next((w for w in words if any(w in wv for wv in self.models.values())), words[0])
        self.redraw()

    @on(Button.Pressed, ".chip")
    def _chip(self, event: Button.Pressed) -> None:
        event.stop()
        self.query_one("#sim-word", Input).value = event.button.name or ""

    @on(Input.Changed, "#sim-word")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.redraw()

    def refresh_view(self) -> None:
        try:
            box, message = self.query_one("#sim-word", Input), self.query_one("#sim-message", Static)
        except NoMatches:  # the models finished loading after the learner had left the lesson (CI, once)
            return
        word = normalize(box.value).strip()
        if not self.models:
            self._clear()
            message.update(self.status)
            return
        if not word:
            self._clear()
            message.update("単語を入力するか、あなたの文の語を選んでください。")
            return
        self.request(word, dict(self.models))

    def _clear(self) -> None:
        self.query_one("#sim-columns").remove_children()
        self.query_one("#sim-hint", Static).update("")

    def compute(self, word: str, models: dict[str, WordVectors]) -> Similar:
        columns, unknown = [], []
        for key, wv in models.items():
            try:
                columns.append((model_label(key, wv), wv.similar(word, TOPN)))
            except UnknownWord as exc:
                unknown.append((model_label(key, wv), exc))
        return Similar(word, columns, unknown, rarity_notes([word], models))

    def draw(self, result: Similar) -> None:
        columns = self.query_one("#sim-columns")
        columns.remove_children()
        columns.mount_all(neighbor_chart(f"{label}: 「{result.word}」に近い語", ns) for label, ns in result.columns)
        if result.columns:
            notes = [f"{label}: {exc}" for label, exc in result.unknown]
        else:  # every model says the same: once, unlabelled
            notes = [str(result.unknown[0][1])] if result.unknown else []
        self.query_one("#sim-message", Static).update(Text("\n".join(notes + result.notes)))
        self.query_one("#sim-hint", Static).update(HINT if result.columns else "")
