"""L1, 解析器の比較: MeCab vs Janome (vs Sudachi), differing boundaries in reverse video (MAIN: the result)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core import analyzers
from .page import AnalysisPage

#: Wait this long after the last keystroke before running the (slower) analyzer comparison.
COMPARE_DEBOUNCE = 0.3


def compare_text(text: str, results: list[analyzers.Segmentation]) -> Text:
    """Each analyzer's tokens separated by |, tokens whose boundaries differ in reverse video."""
    if not text:
        return Text("文を入力すると、ここで解析器ごとの分かち書きを比べます。", style="dim")
    diffs = analyzers.boundary_diff(text, results)
    out = Text()
    n_diff = sum(sum(d) for d in diffs)
    for r, diff in zip(results, diffs):
        out.append(r.analyzer, style="bold")
        if r.error:
            out.append(f"  {r.error}\n\n", style="dim")
            continue
        out.append(f"  {len(r.tokens)} 語  {r.seconds * 1000:.2f} ms", style="dim")
        if r.load_seconds > 0.001:
            out.append(f"（初回の辞書読み込み {r.load_seconds * 1000:.0f} ms）", style="dim")
        out.append("\n")
        for i, (tok, d) in enumerate(zip(r.tokens, diff)):
            if i:
                out.append(" | ", style="dim")
            out.append(tok, style="bold reverse" if d else "")
        out.append("\n\n")
    if n_diff:
        out.append("反転表示", style="bold reverse")
        out.append(" の語は、解析器によって区切り方が違う部分です。", style="dim")
    else:
        out.append("この文では、どの解析器も同じ位置で区切りました。", style="dim")
    if not any(r.analyzer.startswith("Sudachi") for r in results):
        out.append("\nSudachi (A/B/C) も比べるには: pip install sudachipy sudachidict_core", style="dim")
    return out


class ComparePage(AnalysisPage):
    """Janome loads its dictionary on first use (about a second), so the comparison runs in the
    page's worker, a short while after the last keystroke."""

    MAIN = "#compare-scroll"

    DEFAULT_CSS = """
    ComparePage #compare-body { padding: 0 1; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._timer = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="compare-scroll"):
            yield Static(id="compare-body")

    def redraw(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(COMPARE_DEBOUNCE, self._start)

    def _start(self) -> None:
        self._timer = None
        self.query_one("#compare-body", Static).update(Text("解析中…", style="dim"))
        self.request(self.analysis.text)

    def compute(self, text: str) -> Text:
        cleaned, results = analyzers.compare(text)
        return compare_text(cleaned, results)

    def draw(self, result: Text) -> None:
        self.query_one("#compare-body", Static).update(result)

    def show_error(self, text: str) -> None:
        self.query_one("#compare-body", Static).update(Text(text, style="red"))
