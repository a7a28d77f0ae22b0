"""L2, アナロジー: A - B + C, with an honest word when the corpus gets it wrong (MAIN: the examples)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from ...core.text import normalize
from ...core.word2vec import Neighbor, UnknownWord, WordVectors
from ...core.word2vec_explore import RARE, analogy_rank
from .vectors import VectorsPage, model_label, neighbor_chart, rarity_notes

TOPN = 10
ANALOGY_EXAMPLES = [
    ("王", "男", "女"),
    ("兄", "弟", "妹"),
    ("父", "母", "娘"),
    ("東京", "日本", "イギリス"),
    ("夏", "暑い", "寒い"),
]


@dataclass(frozen=True)
class Analogy:
    query: tuple[str, str, str]
    expected: str | None
    columns: list[tuple[str, list[Neighbor]]]  # (model label, answers)
    problems: list[str]
    verdicts: list[tuple[str, str | None]]  # (one model's verdict, a reason or None)


def judge(label: str, wv: WordVectors, expected: str, a: str, b: str, c: str) -> tuple[str, str | None]:
    """One model's verdict, and a reason shared by every model (or None)."""
    rank = analogy_rank(wv, a, b, c, expected)
    if rank is None:
        floor = wv.config.min_count if wv.config else "?"
        return f"{label}: 語彙になし", f"「{expected}」は出現が {floor} 回未満で、語彙に入っていません。"
    count = wv.count(expected) or 0
    reason = (
        f"「{expected}」はコーパスに {count} 回しか出てこないので、関係を学ぶ材料が足りません。"
        if rank > 1 and count < RARE
        else None
    )
    return (f"{label}: 1 位で正解" if rank == 1 else f"{label}: {rank} 位で外れ"), reason


class AnalogyPage(VectorsPage):
    # The examples: the page's first thing to try; Enter there opens the list (Tab reaches the words).
    MAIN = "#ana-examples"
    INPUT = "#ana-a"

    DEFAULT_CSS = """
    AnalogyPage #ana-examples { width: 28; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("A")
            yield Input("王", id="ana-a", compact=True)
            yield Label(" - B")
            yield Input("男", id="ana-b", compact=True)
            yield Label(" + C")
            yield Input("女", id="ana-c", compact=True)
        with Horizontal(classes="row"):
            yield Label("例を選ぶ")
            yield Select(
                [(f"{a} - {b} + {c}", f"{a} {b} {c}") for a, b, c in ANALOGY_EXAMPLES],
                prompt="選ぶ", id="ana-examples", compact=True,
            )
        with VerticalScroll(id="ana-scroll"):
            yield Static(classes="verdict", id="ana-verdict")
            yield Horizontal(id="ana-columns", classes="columns")
            yield Static(classes="message", id="ana-message")

    @on(Select.Changed, "#ana-examples")
    def _example(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, str):
            return
        with self.prevent(Input.Changed):
            for box, word in zip(("#ana-a", "#ana-b", "#ana-c"), event.value.split(" ")):
                self.query_one(box, Input).value = word
        self.redraw()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.redraw()

    def query_words(self) -> tuple[str, str, str]:
        a, b, c = (normalize(self.query_one(box, Input).value).strip() for box in ("#ana-a", "#ana-b", "#ana-c"))
        return a, b, c

    def refresh_view(self) -> None:
        a, b, c = self.query_words()
        message = self.query_one("#ana-message", Static)
        if not self.models or not (a and b and c):
            self.query_one("#ana-columns").remove_children()
            self.query_one("#ana-verdict", Static).update("")
            message.update(self.status if not self.models else "3 つの枠すべてに単語を入れてください (A - B + C)。")
            return
        self.request((a, b, c), self.demo.expected_answer(a, b, c), dict(self.models))  # type: ignore[attr-defined]

    def compute(self, query: tuple[str, str, str], expected: str | None, models: dict[str, WordVectors]) -> Analogy:
        a, b, c = query
        columns, problems, verdicts = [], [], []
        for key, wv in models.items():
            label = model_label(key, wv)
            try:
                columns.append((label, wv.analogy([a, c], [b], TOPN)))
            except UnknownWord as exc:
                problems.append(f"{label}: {exc}")
                continue
            if expected:
                verdicts.append(judge(label, wv, expected, a, b, c))
        return Analogy(query, expected, columns, problems + rarity_notes([a, b, c], models), verdicts)

    def draw(self, result: Analogy) -> None:
        a, b, c = result.query
        highlight = {result.expected} if result.expected else set()
        columns = self.query_one("#ana-columns")
        columns.remove_children()
        columns.mount_all(neighbor_chart(f"{label}: {a} - {b} + {c} =", ns, highlight) for label, ns in result.columns)
        self.query_one("#ana-message", Static).update(Text("\n".join(result.problems)))
        out = Text()
        if result.expected:
            out.append(f"期待される答え「{result.expected}」\n", style="bold")
            out.append("、".join(v for v, _ in result.verdicts))
            reasons = [r for _, r in result.verdicts if r]
            if reasons:
                out.append("\n" + reasons[0])
        elif result.columns:
            out.append("この組み合わせの答えは登録されていません。上位の語が関係を写しているか、自分で確かめてください。",
                       style="dim")
        self.query_one("#ana-verdict", Static).update(out)
