"""The heads overview page shared by L5 (the Transformer's encoder) and L7 (BERT): every layer × head at once.

A lesson subclasses :class:`HeadsPage` and gives it

- ``compute(sentence)`` — runs in a worker (load the model through
  ``tutor.demos.models``, raise :class:`~tutor.demos.base.PageError` with the
  text the learner reads when the model is missing or the sentence is empty) and
  returns any result;
- ``view(result)`` — turns that result into ``(tokens, maps)`` where
  ``maps[layer][head][query][key]`` are plain floats. The default takes the result
  to *be* that pair, so a model that already returns ``(tokens, maps)`` needs no
  override;
- optionally ``HINT`` — the sentence under the knobs saying what the maps are.

The page asks for a new result when the learner's sentence (or the device)
changes; the 層 / ヘッド / しきい値 selects only redraw the last result. Widget
ids (``#hd-layer``, ``#hd-head``, ``#hd-threshold``, ``#hd-overview``,
``#hd-grid``, ``#hd-tokens`` a :class:`TokenLine`) are the same in every lesson, so tests and styles
share them. The 層 select takes the keys when the page shows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, ScrollableContainer, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from ..widgets.attention_grid import AttentionGrid
from ..widgets.head_overview import HeadOverview
from .base import Page

#: A layer or head select's value for "all of them" (or "their average", by page).
ALL = -1
THRESHOLDS = [("0 (すべて)", 0.0), ("0.05", 0.05), ("0.1", 0.1), ("0.2", 0.2), ("0.3", 0.3), ("0.5", 0.5)]


def numbered(count: int, all_label: str | None = None) -> list[tuple[str, int]]:
    """Options "1".."count" with values 0..count-1, after an ``all_label`` (value ``ALL``) if given."""
    return ([(all_label, ALL)] if all_label else []) + [(f"{i + 1}", i) for i in range(count)]


def select_value(page: Page, selector: str, default: Any) -> Any:
    """The value of the select ``selector`` in ``page``, or ``default`` while it is blank."""
    value = page.query_one(selector, Select).value
    return default if value is Select.BLANK else value


def refill(page: Page, selector: str, options: list[tuple[str, int]], value: int) -> None:
    """Give a select new options without announcing a change (the page redraws itself)."""
    select = page.query_one(selector, Select)
    with page.prevent(Select.Changed):
        select.set_options(options)
        select.value = value


def wrap_tokens(tokens: list[str], width: int, indent: int = 0) -> list[list[str]]:
    """Tokens into lines of at most ``width`` cells, one space apart, breaking only between tokens.

    The first line already holds ``indent`` cells (a label). A token wider than a
    line gets a line of its own (and is cropped there, never split).
    """
    lines: list[list[str]] = [[]]
    used = indent
    for token in tokens:
        cells = cell_len(token)
        if lines[-1] or used:
            if used + 1 + cells > width:
                lines.append([])
                used = 0
            else:
                used += 1
        lines[-1].append(token)
        used += cells
    return lines if lines[-1] or len(lines) == 1 else lines[:-1]


class TokenLine(Widget):
    """A label and the sentence's tokens, wrapped to the widget's width between tokens only (never inside one)."""

    DEFAULT_CSS = """
    TokenLine { height: auto; width: 1fr; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, label: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.tokens: list[str] = []

    def set_tokens(self, tokens: list[str]) -> None:
        self.tokens = list(tokens)
        self.refresh(layout=True)

    def text(self, width: int) -> Text:
        if not self.tokens:
            return Text("")
        lines = wrap_tokens(self.tokens, max(1, width), cell_len(self.label))
        out = Text(self.label, no_wrap=True, overflow="ellipsis")
        out.append("\n".join(" ".join(line) for line in lines))
        return out

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.text(width).plain.split("\n")))

    def render(self) -> Text:
        return self.text(self.content_size.width or 100)


class HeadsPage(Page):
    """C24 / C36: one sentence's self-attention, every layer × head, with filters and one head up close."""

    HINT: ClassVar[str] = ("各語 (行) が、同じ文のどの語 (列) を見ているか。"
                           "小さな表 1 つが 1 つのヘッドです (L = 層、H = ヘッド)。")
    MAIN = "#hd-layer"

    DEFAULT_CSS = """
    HeadsPage #hd-knobs { grid-size: 6; grid-columns: 4 12 8 12 10 14; grid-rows: 1; height: auto; }
    HeadsPage #hd-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    HeadsPage .grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.result: Any = None
        self._shape: tuple[int, int] = (0, 0)  # layers × heads the selects were last filled for

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Grid(id="hd-knobs"):
            yield Label("層")
            yield Select([("すべて", ALL)], value=ALL, allow_blank=False, id="hd-layer", compact=True)
            yield Label("ヘッド")
            yield Select([("すべて", ALL)], value=ALL, allow_blank=False, id="hd-head", compact=True)
            yield Label("しきい値")
            yield Select(THRESHOLDS, value=0.0, allow_blank=False, id="hd-threshold", compact=True)
        with VerticalScroll():
            yield Static(Text(self.HINT), classes="hint")
            yield TokenLine("行と列の語 (左上から): ", id="hd-tokens")
            yield HeadOverview(id="hd-overview")
            yield Static(id="hd-detail-title", classes="body")
            with ScrollableContainer(classes="grid-scroll"):
                yield AttentionGrid(id="hd-grid")

    # -- what a lesson provides --------------------------------------------------------
    def compute(self, sentence: str) -> Any:  # pragma: no cover - the interface
        """In a worker: the model's attention on ``sentence`` (anything ``view`` understands)."""
        raise NotImplementedError

    def view(self, result: Any) -> tuple[list[str], list]:
        """``result`` -> (the tokens, ``maps[layer][head][query][key]``). By default the result is that pair."""
        tokens, maps = result
        return tokens, maps

    # -- the page ----------------------------------------------------------------------
    def sentence_changed(self, sentence: str) -> None:
        self.request(sentence)

    def show_error(self, text: str) -> None:
        self.result = None
        self._clear()
        super().show_error(text)

    def _clear(self) -> None:
        self.query_one("#hd-overview", HeadOverview).set_maps([])
        self.query_one("#hd-grid", AttentionGrid).set_source([])
        self.query_one("#hd-tokens", TokenLine).set_tokens([])
        self.query_one("#hd-detail-title", Static).update("")

    def draw(self, result: Any) -> None:
        self.result = result
        tokens, maps = self.view(result)
        if not maps:
            self._clear()
            return
        shape = (len(maps), len(maps[0]))
        if shape != self._shape:  # once per model shape, so the learner's choice survives a new sentence
            self._shape = shape
            refill(self, "#hd-layer", numbered(shape[0], "すべて"), ALL)
            refill(self, "#hd-head", numbered(shape[1], "すべて"), ALL)
        self.query_one("#hd-tokens", TokenLine).set_tokens(tokens)
        self.query_one("#hd-overview", HeadOverview).set_maps(maps)
        self.apply_filter()

    @on(Select.Changed)
    def _knob(self, event: Select.Changed) -> None:
        event.stop()
        if self.result is not None:
            self.apply_filter()

    def apply_filter(self) -> None:
        tokens, maps = self.view(self.result)
        layer = select_value(self, "#hd-layer", ALL)
        head = select_value(self, "#hd-head", ALL)
        threshold = float(select_value(self, "#hd-threshold", 0.0))
        self.query_one("#hd-overview", HeadOverview).set_filter(
            None if layer == ALL else layer, None if head == ALL else head, threshold
        )
        grid = self.query_one("#hd-grid", AttentionGrid)
        title = self.query_one("#hd-detail-title", Static)
        if layer == ALL or head == ALL:
            grid.set_source([])
            title.update(Text("層とヘッドを 1 つずつ選ぶと、その表を数字付きで拡大します。", style="dim"))
            return
        grid.set_source(tokens)
        grid.set_rows(tokens, maps[layer][head])
        title.update(Text(f"層 {layer + 1} ヘッド {head + 1}（行の語が列の語に置いた重み、百分率）", style="bold"))
