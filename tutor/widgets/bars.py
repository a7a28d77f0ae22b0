"""Horizontal bars for scored words (similarities now, probabilities in later lessons).

Labels are padded by terminal cells, so Japanese words (two cells a character)
line up with ASCII ones. Everything is built as ``rich.text.Text``: a word from
the learner or the corpus is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

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
