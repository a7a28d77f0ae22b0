"""Token rows that wrap between tokens only, never inside one (issue 14, case 6).

Textual (with :mod:`tutor.widgets.cjk_wrap`) may break Japanese between any
two characters, which splits a token such as 「会い」 across lines. These rows
are laid out here instead, for the width the widget has: whole tokens per line,
aligned columns kept together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ...widgets.bars import fit

#: A token as drawn: its text and its style.
Item = tuple[str, str]


def lines_of(widths: Sequence[int], width: int, indent: int = 0, gap: int = 1, hang: int = 0) -> list[list[int]]:
    """Indices of items ``widths`` cells wide, grouped into lines of at most ``width`` cells, ``gap`` cells apart.

    The first line already holds ``indent`` cells (a label), the others ``hang``
    (the label's room left blank); a line never ends inside an item. An item
    wider than a line gets a line of its own.
    """
    lines: list[list[int]] = [[]]
    used = indent
    for i, w in enumerate(widths):
        if lines[-1] and used + gap + w > width or not lines[-1] and len(lines) == 1 and used and used + w > width:
            lines.append([])
            used = hang
        elif lines[-1]:
            used += gap
        lines[-1].append(i)
        used += w
    return lines


def token_row(label: str, items: Sequence[Item], width: int, gap: str = " ", label_style: str = "bold") -> Text:
    """``label`` then the items, ``gap`` apart, wrapped between items; later lines start under the first item."""
    width = max(1, width)
    hang = cell_len(label) if cell_len(label) * 2 <= width else 0
    room = max(1, width - hang)
    cells = [min(cell_len(t), room) for t, _ in items]
    out = Text(label, style=label_style)
    for n, line in enumerate(lines_of(cells, width, cell_len(label), cell_len(gap), hang)):
        if n:
            out.append("\n" + " " * hang)
        for j, i in enumerate(line):
            text, style = items[i]
            if j:
                out.append(gap)
            out.append(text if cell_len(text) <= room else fit(text, room), style=style)
    return out


def aligned_rows(labels: Sequence[str], columns: Sequence[Sequence[Item]], width: int, label_width: int) -> Text:
    """Rows (one per label) of aligned columns; when they do not fit, whole columns move to a next block."""
    widths = [max((cell_len(t) for t, _ in column), default=0) for column in columns]
    room = max(1, width - label_width)
    widths = [min(w, room) for w in widths]
    out = Text()
    for b, block in enumerate(lines_of(widths, room, 0, 1)):
        if b:
            out.append("\n\n")
        for r, label in enumerate(labels):
            if r:
                out.append("\n")
            out.append(fit(label, label_width))
            for j, i in enumerate(block):
                if j:
                    out.append(" ")
                text, style = columns[i][r]
                out.append(fit(text, widths[i]), style=style)
    return out


class WidthText(Static):
    """A Static whose text is laid out for the width it has (``show(make)``, ``make(width) -> Text``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._make: Callable[[int], Text] | None = None

    def show(self, make: Callable[[int], Text]) -> None:
        self._make = make
        self.refresh(layout=True)

    def update(self, content="", *, layout: bool = True) -> None:
        self._make = None
        super().update(content, layout=layout)

    def render(self):
        if self._make is None:
            return super().render()
        return self._make(self.content_size.width or 80)

    def get_content_height(self, container, viewport, width: int) -> int:
        if self._make is None:
            return super().get_content_height(container, viewport, width)
        return len(self._make(width).wrap(self.app.console, max(1, width)))
