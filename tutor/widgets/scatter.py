"""A labelled scatter plot drawn with characters: words placed by their 2-D coordinates.

Each point is a ``+`` marker with its word to the right (or to the left when the
right side is taken). Japanese labels take two cells a character; a label that
would overlap another is left out and counted, so the plot never turns into a
smear. The plot redraws for the widget's current size.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

MARKER = "+"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    style: str = ""


def layout(points: list[Point], width: int, height: int) -> tuple[list[list[tuple[str, str]]], int]:
    """Place points on a ``height`` x ``width`` grid of (character, style) cells.

    Returns the grid (a wide character's second cell holds ``""``) and how many
    labels were left out for lack of room.
    """
    grid = [[(" ", "") for _ in range(width)] for _ in range(height)]
    taken = [[False] * width for _ in range(height)]
    if not points or width < 3 or height < 1:
        return grid, len(points)
    xs, ys = [p.x for p in points], [p.y for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    # Leave room on the right for labels of the rightmost points.
    plot_w = max(1, width - min(8, width // 4) - 1)

    def col(x: float) -> int:
        return 0 if x1 == x0 else round((x - x0) / (x1 - x0) * (plot_w - 1))

    def row(y: float) -> int:
        return height // 2 if y1 == y0 else round((y1 - y) / (y1 - y0) * (height - 1))

    placed = [(col(p.x), row(p.y), p) for p in points]
    for c, r, p in placed:  # markers first, so no label covers a point
        grid[r][c] = (MARKER, p.style or "bold")
        taken[r][c] = True
    dropped = 0
    for c, r, p in placed:
        w = cell_len(p.label)
        spots = [c + 1, c - w]  # right of the marker, else left of it
        for start in spots:
            if start < 0 or start + w > width or any(taken[r][start : start + w]):
                continue
            x = start
            for ch in p.label:
                cw = cell_len(ch)
                grid[r][x] = (ch, p.style)
                if cw == 2:
                    grid[r][x + 1] = ("", p.style)
                x += cw
            for i in range(start, start + w):
                taken[r][i] = True
            break
        else:
            dropped += 1
    return grid, dropped


def render_grid(grid: list[list[tuple[str, str]]]) -> Text:
    out = Text(no_wrap=True, overflow="crop")
    for n, line in enumerate(grid):
        if n:
            out.append("\n")
        for ch, style in line:
            if ch:
                out.append(ch, style=style)
    return out


class ScatterPlot(Widget):
    """Words at their 2-D positions; set :attr:`points` to redraw."""

    DEFAULT_CSS = """
    ScatterPlot { height: 1fr; min-height: 8; border: round $primary 40%; }
    """

    class Drawn(Message):
        """Posted when the number of labels left out for lack of room changes."""

        def __init__(self, dropped: int) -> None:
            super().__init__()
            self.dropped = dropped

    points: reactive[tuple[Point, ...]] = reactive(tuple, layout=False)
    #: Labels left out at the last draw, for lack of room.
    dropped: int = 0

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        grid, dropped = layout(list(self.points), width, height) if self.points else ([], 0)
        if dropped != self.dropped:  # placement depends on the size: known only now
            self.dropped = dropped
            self.post_message(self.Drawn(dropped))
        if not self.points:
            return Text("（表示する単語がありません）", style="dim")
        return render_grid(grid)
