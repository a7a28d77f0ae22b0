"""An attention grid: target tokens down, source tokens across, each cell shaded by its weight.

Rows appear as the decoder produces them (``add_row``), so the grid fills in
live. The selected cell (arrow keys, or a click) is outlined and its exact
weight is shown under the grid; every cell also carries its weight in
percent, so the picture can be read without colour.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from .bars import fit

ROW_LABEL = 10  # cells for the target token at the left of each row


def column_width(token: str) -> int:
    """Terminal cells of ``token``'s column: its header, 3 to 6 cells (a kana or kanji takes two)."""
    return max(3, min(6, cell_len(token)))


def header_cell(token: str, width: int) -> str:
    """``token`` cut to ``width`` cells and right-aligned by cells, as the weights below it are.

    A one-character header (2 cells) in a 3-cell column used to sit at the left
    while the numbers sat at the right, so it read as the previous column's.
    """
    label = fit(token, min(width, cell_len(token))).rstrip(" ")  # fit pads a cut wide label: drop that
    return " " * (width - cell_len(label)) + label


def header_line(source: list[str]) -> str:
    """The grid's first line: the row-label gutter, then one right-aligned header per source token."""
    return " " * (ROW_LABEL + 1) + "".join(header_cell(tok, column_width(tok)) + " " for tok in source)


def weight_cell(weight: float, width: int) -> str:
    """A weight in percent, right-aligned in ``width`` cells."""
    return f"{round(weight * 100):>{width}}"[-width:]


def shade(weight: float, dark: bool = True) -> Style:
    """Blue, deeper for a larger weight; the text stays readable on both themes."""
    w = max(0.0, min(1.0, weight))
    if dark:
        r, g, b = int(20 + 30 * w), int(30 + 110 * w), int(45 + 200 * w)
        fg = "white" if w > 0.25 else "grey62"
    else:
        r, g, b = int(250 - 200 * w), int(250 - 130 * w), int(255 - 40 * w)
        fg = "white" if w > 0.55 else "grey35"
    return Style(bgcolor=f"rgb({r},{g},{b})", color=fg)


def grid_text(source: list[str], targets: list[str], rows: list[list[float]], dark: bool = True,
              cursor: tuple[int, int] | None = None, empty: bool = False) -> Text:
    """The grid as text: the widget draws it, and ``tutor translate --svg`` prints it into its picture.

    ``cursor`` (row, column) is outlined; ``empty`` adds the line that says where the rows will appear.
    """
    out = Text(no_wrap=True, overflow="crop")
    out.append(header_line(source), style="bold")
    for r, (target, weights) in enumerate(zip(targets, rows)):
        out.append("\n")
        out.append(fit(target, ROW_LABEL) + " ", style="bold")
        for c, (tok, w) in enumerate(zip(source, weights)):
            width = column_width(tok)
            style = shade(w, dark)
            if (r, c) == cursor:
                style = style + Style(reverse=True, bold=True)
            out.append(weight_cell(w, width), style=style)
            out.append(" ")
    if empty:
        out.append("\n")
        out.append(" " * (ROW_LABEL + 1) + "（訳が出ると、ここに重みが 1 行ずつ並びます）", style="dim")
    return out


def grid_width(source: list[str]) -> int:
    """Terminal cells the grid of ``source`` takes (the widget is at least 40 wide)."""
    return ROW_LABEL + 1 + sum(column_width(t) + 1 for t in source)


class AttentionGrid(Widget, can_focus=True):
    """Weights of one translation; ``set_source`` then ``add_row`` per target token."""

    DEFAULT_CSS = """
    AttentionGrid { height: auto; width: auto; min-height: 3; padding: 0 1; }
    AttentionGrid:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "上", show=False),
        Binding("down", "move(1, 0)", "下", show=False),
        Binding("left", "move(0, -1)", "左", show=False),
        Binding("right", "move(0, 1)", "右", show=False),
    ]

    class Selected(Message):
        """The learner selected a cell: target row, source column, and the weight there."""

        def __init__(self, row: int, col: int, weight: float) -> None:
            super().__init__()
            self.row, self.col, self.weight = row, col, weight

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source: list[str] = []
        self.targets: list[str] = []
        self.rows: list[list[float]] = []

    def set_source(self, tokens: list[str]) -> None:
        self.source, self.targets, self.rows = list(tokens), [], []
        self.cursor = (0, 0)
        self.refresh(layout=True)

    def add_row(self, token: str, weights: list[float]) -> None:
        self.targets.append(token)
        self.rows.append(list(weights))
        self.refresh(layout=True)

    def set_rows(self, targets: list[str], rows: list[list[float]]) -> None:
        self.targets, self.rows = list(targets), [list(r) for r in rows]
        r, c = self.cursor
        self.cursor = (min(r, max(len(rows) - 1, 0)), c)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.rows)) + 1

    def get_content_width(self, container, viewport) -> int:
        """As wide as its columns: a long sentence scrolls sideways instead of wrapping."""
        return max(grid_width(self.source), 40)

    def action_move(self, dr: int, dc: int) -> None:
        if not self.rows:
            return
        r, c = self.cursor
        self.cursor = (max(0, min(len(self.rows) - 1, r + dr)), max(0, min(len(self.source) - 1, c + dc)))
        r, c = self.cursor
        self.post_message(self.Selected(r, c, self.rows[r][c]))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1
        x = event.x - ROW_LABEL - 1
        col, pos = -1, 0
        for i, tok in enumerate(self.source):
            w = column_width(tok) + 1
            if pos <= x < pos + w:
                col = i
                break
            pos += w
        if 0 <= row < len(self.rows) and col >= 0:
            self.cursor = (row, col)
            self.post_message(self.Selected(row, col, self.rows[row][col]))

    def render(self) -> Text:
        dark = self.app.current_theme.dark if hasattr(self.app, "current_theme") else True
        cursor = self.cursor if self.has_focus else None
        return grid_text(self.source, self.targets, self.rows, dark, cursor, empty=not self.rows)
