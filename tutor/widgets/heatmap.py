"""A heatmap of values in [-1, 1], and rows of sparklines: both fit their width.

``Heatmap`` draws one coloured cell per value (red positive, blue negative: the
diverging colours of the state strip), rows down and columns across. With few
columns a cell widens to two or three terminal cells; with too many the widget
shows as many leading columns as its width allows and says how many on its
last line, so a row never wraps. The cells are spaces with a background colour,
so a terminal that gives East-Asian ambiguous glyphs two cells draws it the same.

``SparkRows`` draws labelled rows of ``▁▂▃▄▅▆▇█`` over a shared x axis (a wave per
row), cut to the leading values that fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from .bars import fit
from .state_strip import diverging

#: Eight heights, lowest first: a value at the bottom of the range draws ▁, at the top █.
LEVELS = "▁▂▃▄▅▆▇█"


def fit_columns(total: int, width: int, label_width: int, max_cell: int = 3) -> tuple[int, int]:
    """(columns shown, cells per column) for ``total`` columns in ``width`` terminal cells.

    The row label takes ``label_width`` cells and a space; a column gets up to
    ``max_cell`` cells when there is room, at least one.
    """
    room = max(0, width - label_width - 1)
    if total <= 0 or room <= 0:
        return 0, 1
    cell = max(1, min(max_cell, room // total))
    return min(total, room // cell), cell


def tick_step(cell: int) -> int:
    """Label every n-th column, n a power of two that leaves room for a 3-digit number."""
    step = 1
    while step * cell < 5:
        step *= 2
    return step


def tick_header(shown: int, cell: int, step: int) -> str:
    """The column numbers over ``shown`` columns of ``cell`` cells, every ``step``-th one, each at its column's start.

    Built by terminal cells: a label that would run past the last column is left out.
    """
    width = shown * cell
    out, used = "", 0
    for c in range(0, shown, step):
        x, label = c * cell, str(c)
        if x < used or x + cell_len(label) > width:
            continue
        out += " " * (x - used) + label
        used = x + cell_len(label)
    return out + " " * (width - used)


def sparkline(values: Sequence[float], lo: float = -1.0, hi: float = 1.0) -> str:
    """One block character per value, ``lo`` → ▁ … ``hi`` → █ (values outside are clamped)."""
    span = (hi - lo) or 1.0
    top = len(LEVELS) - 1
    return "".join(LEVELS[round(max(0.0, min(1.0, (float(v) - lo) / span)) * top)] for v in values)


def glyph_style(value: float, dark: bool = True) -> Style:
    """A glyph's colour for ``value`` in [-1, 1]: grey near 0, redder or bluer with the magnitude.

    The hues of the heatmap cells, but never fading into the background.
    """
    v = max(-1.0, min(1.0, value))
    a = abs(v)
    base = (150, 150, 150) if dark else (110, 110, 110)
    tip = (235, 85, 60) if v > 0 else (70, 130, 245)
    r, g, b = (int(base[i] + (tip[i] - base[i]) * a) for i in range(3))
    return Style(color=f"rgb({r},{g},{b})")


def _dark(widget: Widget) -> bool:
    try:
        return widget.app.current_theme.dark
    except Exception:  # noqa: BLE001 - no app yet (rendered outside one)
        return True


class Heatmap(Widget):
    """Values in [-1, 1] as coloured cells; ``set_values`` with a 2-D array and one label per row."""

    DEFAULT_CSS = """
    Heatmap { height: auto; width: 1fr; }
    """

    def __init__(self, *, unit: str = "列", corner: str = "", label_width: int = 4, max_cell: int = 3,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.unit = unit
        self.corner = corner
        self.label_width = label_width
        self.max_cell = max_cell
        self.values = np.zeros((0, 0))
        self.row_labels: list[str] = []

    def set_values(self, values, row_labels: Sequence[str] | None = None) -> None:
        self.values = np.atleast_2d(np.asarray(values, dtype=float))
        rows = self.values.shape[0]
        self.row_labels = list(row_labels) if row_labels is not None else [str(r) for r in range(rows)]
        self.refresh(layout=True)

    @property
    def total_cols(self) -> int:
        return self.values.shape[1] if self.values.size else 0

    def layout_now(self) -> tuple[int, int]:
        """(columns shown, cells per column) at the widget's current width."""
        return fit_columns(self.total_cols, self.content_size.width or 60, self.label_width, self.max_cell)

    def shown_cols(self) -> int:
        return self.layout_now()[0]

    def caption(self) -> str:
        shown, total = self.shown_cols(), self.total_cols
        if shown >= total:
            return f"全 {total} {self.unit}を表示"
        return f"{total} {self.unit}のうち先頭 {shown} {self.unit}を表示"

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.row_labels) + 2 if self.total_cols else 1

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="crop")
        if not self.total_cols:
            return out
        dark = _dark(self)
        shown, cell = self.layout_now()
        step = tick_step(cell)
        out.append(fit(self.corner, self.label_width) + " ", style="dim")
        out.append(tick_header(shown, cell, step), style="dim")
        for label, row in zip(self.row_labels, self.values):
            out.append("\n")
            pad = max(0, self.label_width - cell_len(label))
            out.append(" " * pad + fit(label, min(self.label_width, cell_len(label))) + " ", style="dim")
            for v in row[:shown]:
                out.append(" " * cell, style=diverging(float(v), dark))
        out.append("\n")
        out.append(self.caption(), style="dim")
        return out


class SparkRows(Widget):
    """Rows of (label, values) drawn as sparklines over a shared axis; values in [``lo``, ``hi``]."""

    DEFAULT_CSS = """
    SparkRows { height: auto; width: 1fr; }
    """

    def __init__(self, *, label_width: int = 24, lo: float = -1.0, hi: float = 1.0, unit: str = "点", **kwargs) -> None:
        super().__init__(**kwargs)
        self.label_width = label_width
        self.lo, self.hi = lo, hi
        self.unit = unit
        self.rows: list[tuple[str, list[float]]] = []

    def set_rows(self, rows: Sequence[tuple[str, Sequence[float]]]) -> None:
        self.rows = [(label, [float(v) for v in values]) for label, values in rows]
        self.refresh(layout=True)

    @property
    def total(self) -> int:
        return max((len(v) for _, v in self.rows), default=0)

    def shown(self) -> int:
        width = self.content_size.width or 60
        return max(0, min(self.total, width - self.label_width - 1))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows) + (0 if self.shown() >= self.total else 1)

    def render(self) -> Text:
        dark = _dark(self)
        n = self.shown()
        out = Text(no_wrap=True, overflow="crop")
        for i, (label, values) in enumerate(self.rows):
            if i:
                out.append("\n")
            out.append(fit(label, self.label_width) + " ")
            for v, ch in zip(values[:n], sparkline(values[:n], self.lo, self.hi)):
                out.append(ch, style=glyph_style(v, dark))
        if self.rows and n < self.total:
            out.append(f"\n{self.total} {self.unit}のうち先頭 {n} {self.unit}を表示", style="dim")
        return out
