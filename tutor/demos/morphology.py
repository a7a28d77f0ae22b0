"""L1 形態素解析, 実験 tab: a live MeCab table, MeCab vs Janome (vs Sudachi), and one-hot vectors."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ..core import analyzers, onehot
from ..core.text import Analysis, analyze
from ..widgets.pos_colors import legend
from ..widgets.page_tabs import PageTabs
from ..widgets.token_table import TokenTable
from .base import LessonDemo, SentenceChosen

SUMOMO = "すもももももももものうち"
#: The one-hot tables show at most this many vocabulary words (the point is made long before).
ONEHOT_MAX = 30
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


class MorphologyDemo(LessonDemo):
    DEFAULT_CSS = """
    MorphologyDemo #morph-input-row { height: auto; }
    MorphologyDemo #morph-input-label { color: $text-muted; padding: 0 0 0 1; }
    MorphologyDemo #morph-input { width: 1fr; background: $boost; }
    MorphologyDemo #morph-input:focus { background: $primary 20%; }
    MorphologyDemo #morph-buttons { height: auto; padding: 0 1; }
    MorphologyDemo #morph-buttons Button { margin-right: 1; }
    MorphologyDemo #morph-notice { color: $warning; height: auto; }
    MorphologyDemo #morph-legend { height: auto; }
    MorphologyDemo #compare-body { padding: 0 1; }
    MorphologyDemo #onehot-summary { height: auto; }
    MorphologyDemo .onehot-table { height: auto; max-height: 16; }
    """

    class CompareDone(Message):
        def __init__(self, text: str, results: list[analyzers.Segmentation]) -> None:
            super().__init__()
            self.text = text
            self.results = results

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.analysis: Analysis | None = None
        self._compare_stale = True
        self._onehot_stale = True
        self._compare_timer = None
        self._shown: dict[str, str] = {}  # selector -> plain text on screen

    def compose(self) -> ComposeResult:
        with Horizontal(id="morph-input-row"):
            yield Label("文 ", id="morph-input-label")
            yield Input(self.sentence, placeholder="文を入力すると、すぐに解析します", id="morph-input", compact=True)
        with Horizontal(id="morph-buttons"):
            yield Button("すもも…の例", id="morph-sumomo", compact=True, tooltip=SUMOMO)
            yield Button("元に戻す", id="morph-mine", compact=True, tooltip="あなたの文に戻す")
            yield Button("あなたの文にする", id="morph-keep", compact=True, tooltip="この文を、すべてのレッスンで使う「あなたの文」にする")
        yield Static(id="morph-notice")
        with PageTabs(id="morph-tabs"):
            with TabPane("解析表", id="morph-table"):
                yield Static(id="morph-legend")
                yield TokenTable(id="morph-tokens")
            with TabPane("解析器の比較", id="morph-compare"):
                with VerticalScroll():
                    yield Static(id="compare-body")
            with TabPane("one-hot", id="morph-onehot"):
                with VerticalScroll():
                    yield Static(id="onehot-summary")
                    yield DataTable(id="onehot-matrix", classes="onehot-table", cursor_type="none")
                    yield Static(id="onehot-distance-title")
                    yield DataTable(id="onehot-distances", classes="onehot-table", cursor_type="none")

    def on_mount(self) -> None:
        if self.gone:
            return
        self.update_analysis(self.sentence)

    # -- the live table -------------------------------------------------------------------
    @on(Input.Changed, "#morph-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.update_analysis(event.value)

    def update_analysis(self, raw: str) -> None:
        """Re-analyse and redraw the table now; the other panels redraw when shown."""
        self.analysis = analyze(raw)
        a = self.analysis
        self.query_one("#morph-tokens", TokenTable).show(a)
        notices = list(a.notices)
        if not a.tokens:
            notices.append("文が空です。何か入力してください。")
        # Touch the small widgets only when their text changes: each update costs a relayout.
        self._set_if_changed("#morph-notice", "\n".join(notices))
        self._set_if_changed("#morph-legend", legend([t.pos_major for t in a.tokens]) if a.tokens else Text(""))
        self._compare_stale = self._onehot_stale = True
        self._refresh_visible_panel()

    def _set_if_changed(self, selector: str, content: str | Text) -> None:
        text = content if isinstance(content, Text) else Text(content)
        if self._shown.get(selector) == text.plain:
            return
        self._shown[selector] = text.plain
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.display = bool(text.plain)

    def _refresh_visible_panel(self) -> None:
        active = self.query_one("#morph-tabs", TabbedContent).active
        if active == "morph-onehot" and self._onehot_stale:
            self.show_onehot()
        elif active == "morph-compare" and self._compare_stale:
            if self._compare_timer is not None:
                self._compare_timer.stop()
            self._compare_timer = self.set_timer(COMPARE_DEBOUNCE, self._start_compare)

    @on(TabbedContent.TabActivated, "#morph-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._refresh_visible_panel()

    # -- analyzer comparison (Janome loads its dictionary on first use: a worker) ---------
    def _start_compare(self) -> None:
        if self.analysis is None:
            return
        self._compare_stale = False
        self.query_one("#compare-body", Static).update(Text("解析中…", style="dim"))
        self.run_compare(self.analysis.text)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def run_compare(self, text: str) -> None:
        cleaned, results = analyzers.compare(text)
        if not get_current_worker().is_cancelled:
            self.post_message(self.CompareDone(cleaned, results))

    def on_morphology_demo_compare_done(self, message: CompareDone) -> None:
        if self.analysis is not None and message.text == self.analysis.text:
            self.query_one("#compare-body", Static).update(compare_text(message.text, message.results))

    # -- one-hot ----------------------------------------------------------------------------
    def show_onehot(self) -> None:
        self._onehot_stale = False
        surfaces = self.analysis.surfaces if self.analysis else []
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
        for tok, i in list(zip(surfaces, oh.ids))[: ONEHOT_MAX * 2]:
            cells = [Text("1", style="bold reverse") if j == i else Text("0", style="dim") for j in range(shown)]
            rows.append([Text(tok, style="bold")] + cells)
        matrix.add_rows(rows)

        n = min(oh.dim, 12)
        title.update(
            Text.assemble(
                ("\n語と語の距離（ユークリッド）", "bold"),
                ("  違う語どうしはどれも √2 = 1.41、コサイン類似度はどれも 0。意味の近さは表せません。", "dim"),
            )
        )
        d = oh.distances()
        dist.add_column("")
        dist.add_columns(*oh.vocab[:n])
        dist.add_rows(
            [[Text(oh.vocab[r], style="bold")] + [Text(f"{d[r, c]:.2f}", style="dim" if r == c else "") for c in range(n)] for r in range(n)]
        )

    # -- buttons and the learner's sentence -------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        box = self.query_one("#morph-input", Input)
        if event.button.id == "morph-sumomo":
            box.value = SUMOMO
        elif event.button.id == "morph-mine":
            box.value = self.sentence
        elif event.button.id == "morph-keep":
            text = self.analysis.text if self.analysis else ""
            if text:
                self.post_message(SentenceChosen(text))
            else:
                self.notify("文が空です。", severity="warning")

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        if self.is_mounted:
            box = self.query_one("#morph-input", Input)
            if box.value != sentence:
                box.value = sentence
