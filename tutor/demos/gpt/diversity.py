"""貪欲 vs サンプリング: the same prompt continued several times each way, with distinct-n and the repetition rate
(C30, C31)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.gpt_explain import SAMPLES, Compared, default_prompt
from ...widgets.bars import fit
from ..base import Page
from .common import language_model, right

#: Cells of the table's columns: the way, then each figure.
NAME, FIGURE = 22, 10


def table(prompt: str, rows: list[Compared]) -> Text:
    """The figures per way (columns aligned by terminal cells), then every continuation."""
    out = Text(f"書き出し: {prompt}\n\n", style="bold")
    out.append(f"{fit('やり方', NAME)} {right('distinct-1', FIGURE)} {right('distinct-2', FIGURE)} "
               f"{right('繰り返し率', FIGURE)}\n", style="dim")
    for row in rows:
        out.append(f"{fit(row.name, NAME)} {row.distinct1:{FIGURE}.2f} {row.distinct2:{FIGURE}.2f} "
                   f"{row.repetition:{FIGURE}.2f}\n")
    for row in rows:
        out.append(f"\n{row.name}\n", style="bold")
        for o in row.outputs:
            out.append("  " + ("".join(o) or "（空）") + "\n")
    out.append("\n貪欲法とビーム探索は何回やっても同じ文になり、distinct-n が低くなります。"
               "温度を上げるほど多様になりますが、上げすぎると文が崩れます。", style="dim")
    return out


class DiversityPage(Page):
    """C30/C31 measured: the same prompt continued several times each way, with distinct-n and repetition."""

    MAIN = "#dv-scroll"  # nothing to press here: the arrows scroll the table

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with VerticalScroll(id="dv-scroll"):
            yield Static(
                f"同じ書き出しを、やり方ごとに {SAMPLES} 回 (乱数の種 0〜{SAMPLES - 1}) 続けさせて比べます。"
                "distinct-n = 異なる n-gram の数 / n-gram の総数 (大きいほど多様)、"
                "繰り返し率 = 同じ続きの中で前に出た語をまた使った割合。",
                classes="hint",
            )
            yield Static(id="dv-table", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.query_one("#dv-table", Static).update(Text("生成中…", style="dim"))
        self.request(default_prompt(sentence))

    def compute(self, prompt: str) -> tuple[str, list[Compared]]:
        from ...core.gpt_explain import compare_settings

        lm = language_model(self.models_dir, self.device)
        return prompt, compare_settings(lm, prompt, should_stop=self.cancelled)

    def draw(self, result: tuple[str, list[Compared]]) -> None:
        self.query_one("#dv-table", Static).update(table(*result))

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.query_one("#dv-table", Static).update("")
