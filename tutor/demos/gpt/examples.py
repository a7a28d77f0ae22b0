"""学習データ: one sentence turned into next-token examples, the input shifted right behind <s> (C28, C29)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from ...core.text import analyze
from ...widgets.bars import fit
from ..base import Page

#: Cells between two token columns.
GAP = 2
#: Examples listed one by one; a long sentence's list grows with the square of its length
#: (a 2000-character one took ~20 s to lay out), and a few dozen show the idea.
SHOWN_EXAMPLES = 30


def token_grid(rows: Sequence[tuple[str, Sequence[str]]], width: int) -> list[str]:
    """Rows of tokens as aligned columns, wrapped into blocks that fit ``width`` cells.

    Every block repeats each row's label, and a block breaks only between two
    columns, so no token is ever cut and no row loses its label. Columns are as
    wide as their widest token, counted in terminal cells. Blocks are separated
    by an empty line.
    """
    label_width = max(cell_len(label) for label, _ in rows) + GAP
    columns = max(len(tokens) for _, tokens in rows)
    widths = [max(cell_len(tokens[i]) if i < len(tokens) else 0 for _, tokens in rows) for i in range(columns)]
    room = max(1, width - label_width)
    blocks: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        need = w + (GAP if blocks[-1] else 0)
        if blocks[-1] and used + need > room:
            blocks.append([])
            used, need = 0, w
        blocks[-1].append(i)
        used += need
    lines: list[str] = []
    for b, block in enumerate(blocks):
        if b:
            lines.append("")
        for label, tokens in rows:
            cells = [fit(tokens[i] if i < len(tokens) else "", widths[i]) for i in block]
            lines.append((fit(label, label_width) + (" " * GAP).join(cells)).rstrip())
    return lines


def fit_left(words: Sequence[str], cells: int) -> str:
    """The words joined by spaces; when they need more than ``cells``, the nearest ones behind "…"
    (the last word always, whole), so an example keeps its own row and no word is cut across two."""
    if cell_len(" ".join(words)) <= cells:
        return " ".join(words)
    kept: list[str] = []
    for word in reversed(words):
        if kept and cell_len(" ".join(["…", word, *kept])) > cells:
            break
        kept.insert(0, word)
    return " ".join(["…", *kept])


class ExampleList(Static):
    """A sentence's next-word examples, one a row, laid out at the widget's own width when drawn
    (so it follows a resize, and the scrollbar's cells are already taken)."""

    DEFAULT_CSS = """
    ExampleList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tokens: list[str] = []

    def show(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.refresh(layout=True)

    def render(self) -> Text:
        tokens = self.tokens
        if not tokens:
            return Text("文が空です。s キーであなたの文を入力してください。")
        width = self.content_size.width or 80
        out = Text()
        out.append(f"あなたの文 ({len(tokens)} 語) から作られる学習例: {len(tokens) + 1} 個\n", style="bold")
        for i in range(min(len(tokens) + 1, SHOWN_EXAMPLES)):
            target = tokens[i] if i < len(tokens) else "</s>"
            out.append(f"  {i + 1:>2}. ", style="dim")
            out.append(fit_left(["<s>", *tokens[:i]], width - cell_len(f"  {i + 1:>2}.   →  {target}")))
            out.append("  →  ", style="dim")
            out.append(target + "\n", style="bold yellow")
        if len(tokens) + 1 > SHOWN_EXAMPLES:
            out.append(f"  … ほか {len(tokens) + 1 - SHOWN_EXAMPLES} 個"
                       f"（長い文なので最初の {SHOWN_EXAMPLES} 個だけ示します）\n", style="dim")
        out.append("\n学習では、この全部を 1 回の計算でまとめて予測します。", style="bold")
        return out


class TokenGrid(Widget):
    """:func:`token_grid` drawn at the widget's own width: it rewraps when the terminal is resized."""

    DEFAULT_CSS = """
    TokenGrid { height: auto; padding: 0 1; margin-top: 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, list[str]]] = []
        self.styles_by_row: list[str] = []

    def show(self, rows: list[tuple[str, list[str]]], styles: list[str]) -> None:
        self.rows, self.styles_by_row = rows, styles
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        if not self.rows:
            return []
        out = []
        for n, line in enumerate(token_grid(self.rows, width)):
            row = n % (len(self.rows) + 1)  # each block: one line per row, then a blank line
            out.append(Text(line, style=self.styles_by_row[row] if row < len(self.rows) else "", no_wrap=True))
        return out

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width or 80))


class ExamplesPage(Page):
    """C28/C29: a sentence is its own label: every prefix predicts the next token."""

    MAIN = "#ex-scroll"  # nothing to press here: the arrows scroll the examples

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ex-scroll"):
            yield Static(
                "GPT は、文の各位置で「次の語」を当てる練習をします。正解はその文自身に書いてあるので、"
                "ラベル付けの要らない自己教師あり学習です。",
                classes="hint",
            )
            yield ExampleList(id="ex-table", classes="body")
            yield TokenGrid(id="ex-shifted")
            yield Static(id="ex-note", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.request(sentence)

    def compute(self, sentence: str) -> list[str]:
        return [t.surface for t in analyze(sentence).tokens]

    def draw(self, tokens: list[str]) -> None:
        table = self.query_one("#ex-table", ExampleList)
        grid = self.query_one("#ex-shifted", TokenGrid)
        note = self.query_one("#ex-note", Static)
        if not tokens:
            table.show([])
            grid.show([], [])
            note.update("")
            return
        table.show(tokens)
        grid.show([("入力", ["<s>", *tokens]), ("正解", [*tokens, "</s>"])], ["", "yellow"])
        note.update(Text(
            "入力は正解を 1 つ右にずらし、先頭に <s> を置いたものです。因果マスクがあるので、"
            "各位置は自分より左しか見られず、答え (自分の右隣) を盗み見できません。",
            style="dim",
        ))
