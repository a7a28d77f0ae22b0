"""TokenTable: MeCab's analysis of a sentence as a table, coloured by part of speech.

A Line-API widget rather than a DataTable: the table is redrawn on every
keystroke, and a DataTable re-renders every visible row after any change
(~0.5 ms a row with Japanese cells), which alone broke the 30 ms keystroke
budget. Here each row is turned into segments once, when it changes, and
painting a line only pads and crops them.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core.text import Analysis, Token
from .pos_colors import pos_style

COLUMNS = ("表層形", "品詞", "原形", "読み")
GAP = 2  # cells between columns

Cells = tuple[Text, Text, Text, Text]


def token_cells(t: Token) -> Cells:
    """表層形 / 品詞 / 原形 / 読み for one token. User text is always plain Text, never markup."""
    style = pos_style(t.pos_major)
    reading = Text(t.reading) if t.reading else Text("（未知語）" if t.unknown else "", style="italic dim")
    return (Text(t.surface, style=style), Text("-".join(t.pos), style=style), Text(t.lemma), reading)


class TokenTable(ScrollView, can_focus=True):
    """One row per morpheme under a fixed header; scrolls with the arrow keys when focused."""

    DEFAULT_CSS = """
    TokenTable { height: 1fr; }
    TokenTable > .token-table--header { text-style: bold; background: $panel; }
    TokenTable > .token-table--stripe { background: $boost; }
    """
    COMPONENT_CLASSES = {"token-table--header", "token-table--stripe"}
    # Not in the footer (as the attention grid's arrows are not): four arrow keys took the room of
    # ? and q, which fell off the end at 80 and 100 columns on L1's 実験 tab.
    BINDINGS = [Binding("up", "scroll_up", "上へ", show=False),
                Binding("down", "scroll_down", "下へ", show=False),
                Binding("left", "scroll_left", "左へ", show=False),
                Binding("right", "scroll_right", "右へ", show=False)]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[Cells] = []
        self._plain: list[tuple[str, ...]] = []
        self._widths = [cell_len(c) for c in COLUMNS]
        self._segments: dict[int, list[Segment]] = {}  # row index -> its unpadded line

    # -- data -------------------------------------------------------------------------------
    def show(self, analysis: Analysis) -> None:
        """Replace the rows with ``analysis``'s tokens; unchanged rows keep their rendering."""
        rows = [token_cells(t) for t in analysis.tokens]
        plain = [tuple(c.plain for c in row) + (str(row[0].style),) for row in rows]
        widths = [max([cell_len(h)] + [cell_len(r[i]) for r in plain]) for i, h in enumerate(COLUMNS)]
        if widths != self._widths:
            self._segments.clear()
        else:
            for i in range(min(len(plain), len(self._plain))):
                if plain[i] != self._plain[i]:
                    self._segments.pop(i, None)
            for i in range(len(plain), len(self._plain)):
                self._segments.pop(i, None)
        self._rows, self._plain, self._widths = rows, plain, widths
        self.virtual_size = Size(sum(widths) + GAP * (len(widths) - 1), len(rows) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def surfaces(self) -> list[str]:
        """The first column, top to bottom."""
        return [p[0] for p in self._plain]

    def row_text(self, index: int) -> tuple[str, ...]:
        """The plain text of one row's four cells."""
        return self._plain[index][:4]

    # -- painting ---------------------------------------------------------------------------
    def _line(self, cells) -> list[Segment]:
        segments: list[Segment] = []
        console = self.app.console
        for n, (cell, width) in enumerate(zip(cells, self._widths)):
            text = cell if isinstance(cell, Text) else Text(cell)
            # Text.render leaves out the Text's own (whole-cell) style; add it back as the base.
            segments.extend(Segment.apply_style(text.render(console),
                                                console.get_style(text.style) if text.style else None))
            pad = width - text.cell_len + (GAP if n < len(self._widths) - 1 else 0)
            segments.append(Segment(" " * pad))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = self.get_component_rich_style("token-table--header")
            segments = self._line(COLUMNS)
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, base)
            if index not in self._segments:
                self._segments[index] = self._line(self._rows[index])
            segments = self._segments[index]
            style = self.get_component_rich_style("token-table--stripe") if index % 2 else Style()
        strip = Strip(segments).apply_style(base + style)
        return strip.crop_extend(scroll_x, scroll_x + width, base + style)
