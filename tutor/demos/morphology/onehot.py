"""L1, one-hot: the sentence's vocabulary as one-hot vectors, and why they know nothing of meaning (MAIN: the
tables)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...core import onehot
from .page import AnalysisPage

#: The one-hot tables show at most this many vocabulary words (the point is made long before).
ONEHOT_MAX = 30
#: The distance table shows the first this many words.
DISTANCE_MAX = 12


class OneHotPage(AnalysisPage):
    """Drawn on the UI thread when shown: the vectors and distances are a few dozen numbers (tutor.core.onehot)."""

    MAIN = "#onehot-scroll"

    DEFAULT_CSS = """
    OneHotPage #onehot-summary { height: auto; }
    OneHotPage .onehot-table { height: auto; max-height: 16; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="onehot-scroll"):
            yield Static(id="onehot-summary")
            yield DataTable(id="onehot-matrix", classes="onehot-table", cursor_type="none")
            yield Static(id="onehot-distance-title")
            yield DataTable(id="onehot-distances", classes="onehot-table", cursor_type="none")

    def redraw(self) -> None:
        surfaces = self.analysis.surfaces
        oh = onehot.build(surfaces)
        shown = min(oh.dim, ONEHOT_MAX)
        summary = Text()
        if not surfaces:
            summary.append("文が空です。", style="dim")
        else:
            summary.append(f"語彙数 {oh.dim} = ベクトルの次元 {oh.dim}", style="bold")
            summary.append(f"（{len(surfaces)} 語の文。同じ語は同じ ID）\n")
            summary.append("  ".join(f"{i}:{w}" for i, w in enumerate(oh.vocab[:shown])))
            if shown < oh.dim:
                summary.append(f"\n語彙が多いので、先頭の {shown} 語だけを表に出しています。", style="dim")
        self.query_one("#onehot-summary", Static).update(summary)

        matrix = self.query_one("#onehot-matrix", DataTable)
        matrix.clear(columns=True)
        dist = self.query_one("#onehot-distances", DataTable)
        dist.clear(columns=True)
        title = self.query_one("#onehot-distance-title", Static)
        if not surfaces:
            title.update("")
            return
        matrix.add_column("単語")
        matrix.add_columns(*[str(i) for i in range(shown)])
        rows = []
        for tok, row in list(zip(surfaces, oh.matrix()))[: ONEHOT_MAX * 2]:
            cells = [Text("1", style="bold reverse") if v else Text("0", style="dim") for v in row[:shown]]
            rows.append([Text(tok, style="bold")] + cells)
        matrix.add_rows(rows)

        n = min(oh.dim, DISTANCE_MAX)
        title.update(
            Text.assemble(
                ("\n語と語の距離（ユークリッド）", "bold"),
                ("  違う語どうしはどれも √2 = 1.41、コサイン類似度はどれも 0。意味の近さは表せません。", "dim"),
            )
        )
        d = oh.distances(n)
        dist.add_column("")
        dist.add_columns(*oh.vocab[:n])
        dist.add_rows(
            [[Text(oh.vocab[r], style="bold")]
             + [Text(f"{d[r, c]:.2f}", style="dim" if r == c else "") for c in range(n)]
             for r in range(n)]
        )
