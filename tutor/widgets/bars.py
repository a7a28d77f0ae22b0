"""Horizontal bars for scored words (similarities now, probabilities in later lessons).

Labels are padded by terminal cells, so Japanese words (two cells a character)
line up with ASCII ones. Everything is built as ``rich.text.Text``: a word from
the learner or the corpus is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

#: Eighth blocks give a bar eight steps per cell.
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"


def bar(fraction: float, width: int) -> str:
    """A bar ``fraction`` (0..1) of ``width`` cells long, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return _FULL * full + (_EIGHTHS[part] if part else "")


def fit(label: str, width: int) -> str:
    """``label`` cut or padded to exactly ``width`` cells."""
    out, used = [], 0
    for ch in label:
        w = cell_len(ch)
        if used + w > width - (1 if cell_len(label) > width else 0):
            break
        out.append(ch)
        used += w
    text = "".join(out)
    if cell_len(label) > width:
        text += "…"
        used += 1
    return text + " " * (width - used)


def bars(
    items: Sequence[tuple[str, float]],
    *,
    label_width: int = 12,
    bar_width: int = 20,
    scale: float = 1.0,
    value_format: str = "{:.3f}",
    style: str = "green",
    highlight: set[str] = frozenset(),
    highlight_style: str = "bold yellow",
) -> Text:
    """One line per item: label, value, bar. ``scale`` is the value of a full bar."""
    out = Text()
    for n, (label, value) in enumerate(items):
        if n:
            out.append("\n")
        marked = label in highlight
        out.append(fit(label, label_width), style="bold" if marked else "")
        out.append(" " + value_format.format(value) + " ", style="dim")
        out.append(bar(value / scale if scale else 0.0, bar_width), style=highlight_style if marked else style)
    return out


class BarChart(Widget):
    """A titled list of bars that fits its width: the bars shrink in a narrow column."""

    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(
        self,
        title: str,
        items: Sequence[tuple[str, float]],
        *,
        label_width: int = 12,
        highlight: set[str] = frozenset(),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.items = list(items)
        self.label_width = label_width
        self.highlight = highlight

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.items) + 1

    def render(self) -> Text:
        width = self.content_size.width or 40
        label_width = min(self.label_width, max(4, width // 3))
        bar_width = max(3, min(20, width - label_width - 8))
        out = Text(self.title + "\n", style="bold", overflow="ellipsis", no_wrap=True)
        out.append_text(bars(self.items, label_width=label_width, bar_width=bar_width, highlight=self.highlight))
        return out
