"""A hidden state drawn as a strip: one cell per dimension, red for positive, blue for negative.

Rows are (label, values, note). The widget shows as many leading dimensions as
its width allows and says how many that is, so a narrow terminal still draws
every row on one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from .bars import fit

LABEL = 10  # cells for the row label
NOTE = 7  # cells for the note at the right


def diverging(value: float, dark: bool = True) -> Style:
    """-1 deep blue … 0 the background … +1 deep red."""
    v = max(-1.0, min(1.0, value))
    a = abs(v)
    base = (30, 30, 36) if dark else (245, 245, 245)
    tip = (220, 70, 50) if v > 0 else (50, 110, 230)
    r, g, b = (int(base[i] + (tip[i] - base[i]) * a) for i in range(3))
    return Style(bgcolor=f"rgb({r},{g},{b})")


class StateStrip(Widget):
    DEFAULT_CSS = """
    StateStrip { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, list[float], str]] = []

    def set_rows(self, rows: Sequence[tuple[str, Sequence[float], str]]) -> None:
        self.rows = [(label, list(values), note) for label, values, note in rows]
        self.refresh(layout=True)

    def shown_dims(self) -> int:
        width = self.content_size.width or 60
        longest = max((len(v) for _, v, _ in self.rows), default=0)
        return max(0, min(longest, width - LABEL - NOTE - 2))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows)

    def render(self) -> Text:
        dark = self.app.current_theme.dark if self.app else True
        n = self.shown_dims()
        out = Text(no_wrap=True, overflow="crop")
        for i, (label, values, note) in enumerate(self.rows):
            if i:
                out.append("\n")
            out.append(fit(label, LABEL), style="bold")
            out.append(" ")
            for v in values[:n]:
                out.append(" ", style=diverging(v, dark))
            out.append(" " + note.rjust(NOTE - 1), style="dim")
        return out
