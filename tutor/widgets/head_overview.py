"""Every layer × head attention map at once, as small heatmaps (like bertviz's model view).

One mini map per (layer, head): a cell per (query, key) weight, shaded from
the background (0) to deep blue (1). Filters pick a layer, a head and a
threshold under which a weight is not drawn; the whole picture is one
``rich.text.Text`` built from plain lists, so a filter change redraws at once.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from .attention_grid import shade
from .bars import fit

GAP = 2  # cells between two mini maps
LABEL = 6  # "L1 H1"


def overview_text(
    maps: list,
    *,
    layer: int | None = None,
    head: int | None = None,
    threshold: float = 0.0,
    dark: bool = True,
    width: int = 200,
) -> Text:
    """``maps[layer][head][query][key]`` -> the mini maps, one row of maps per layer.

    ``layer``/``head`` None means all of them. As many maps per row as fit in ``width``.
    """
    out = Text(no_wrap=True, overflow="crop")
    styles: dict[int, Style] = {}  # one Style per shade level: thousands of cells, a few dozen objects

    def style(w: float) -> Style:
        level = round(w * 100)
        if level not in styles:
            styles[level] = shade(level / 100, dark)
        return styles[level]

    layers = [layer] if layer is not None else list(range(len(maps)))
    blank = Style(bgcolor="rgb(30,30,36)" if dark else "rgb(245,245,245)")
    first = True
    for li in layers:
        heads = [head] if head is not None else list(range(len(maps[li])))
        grids = [(hi, maps[li][hi]) for hi in heads]
        if not grids:
            continue
        q, k = len(grids[0][1]), len(grids[0][1][0]) if grids[0][1] else 0
        cell = 2 if k <= 20 else 1
        block = max(k * cell, LABEL)  # a map is as wide as its cells, or its label if wider
        per_row = max(1, (width + GAP) // (block + GAP))
        for start in range(0, len(grids), per_row):
            chunk = grids[start : start + per_row]
            if not first:
                out.append("\n")
            first = False
            for n, (hi, _) in enumerate(chunk):
                out.append(fit(f"L{li + 1} H{hi + 1}", block) + (" " * GAP if n < len(chunk) - 1 else ""), style="bold")
            for r in range(q):
                out.append("\n")
                for n, (_, grid) in enumerate(chunk):
                    for w in grid[r]:
                        out.append(" " * cell, style=style(w) if w >= threshold and w > 0 else blank)
                    out.append(" " * (block - k * cell))
                    if n < len(chunk) - 1:
                        out.append(" " * GAP)
            out.append("\n")
    return out


class HeadOverview(Widget):
    DEFAULT_CSS = """
    HeadOverview { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.maps: list = []
        self.only_layer: int | None = None  # (Widget already has a `layer`: the CSS one)
        self.only_head: int | None = None
        self.threshold = 0.0

    def set_maps(self, maps: list) -> None:
        self.maps = maps
        self.refresh(layout=True)

    def set_filter(self, layer: int | None, head: int | None, threshold: float) -> None:
        self.only_layer, self.only_head, self.threshold = layer, head, threshold
        self.refresh(layout=True)

    def text(self, width: int) -> Text:
        if not self.maps:
            return Text("")
        dark = self.app.current_theme.dark if self.app else True
        return overview_text(self.maps, layer=self.only_layer, head=self.only_head, threshold=self.threshold, dark=dark,
                             width=max(20, width))

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.text(width).plain.split("\n")))

    def render(self) -> Text:
        return self.text(self.content_size.width or 100)
