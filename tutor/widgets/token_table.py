"""TokenTable: MeCab's analysis of a sentence as a table, coloured by part of speech."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ..core.text import Analysis
from .pos_colors import pos_style


class TokenTable(DataTable):
    """表層形 / 品詞 / 原形 / 読み, one row per morpheme. User text is always plain Text, never markup."""

    DEFAULT_CSS = """
    TokenTable { height: 1fr; }
    """

    COLUMNS = ("表層形", "品詞", "原形", "読み")

    def on_mount(self) -> None:
        self.cursor_type = "none"  # the colours are the point; a cursor bar would hide them
        self.zebra_stripes = True
        self.add_columns(*self.COLUMNS)

    def show(self, analysis: Analysis) -> None:
        """Replace the rows with ``analysis``'s tokens."""
        self.clear()
        rows = []
        for t in analysis.tokens:
            style = pos_style(t.pos_major)
            reading = Text(t.reading) if t.reading else Text("（未知語）" if t.unknown else "", style="italic dim")
            rows.append((Text(t.surface, style=style), Text("-".join(t.pos), style=style), Text(t.lemma), reading))
        self.add_rows(rows)
