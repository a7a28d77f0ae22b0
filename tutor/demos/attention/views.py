"""What the L4 page draws from plain data: the beam after a step, the final candidates, a worked attention step.

Pure functions returning ``rich.text.Text`` (no widgets, no models), so they are
tested without an app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from ...widgets.bars import fit

if TYPE_CHECKING:
    from ...core.attention_explain import StepExplanation

CONTEXT_SHOWN = 8  # dimensions of the context vector written out


def _right(label: str, width: int) -> str:
    """``label`` right-aligned in ``width`` terminal cells (a kana or kanji takes two)."""
    return " " * max(0, width - cell_len(label)) + label


def _words(words: str) -> str:
    return words or "（空）"


def beam_view(
    step: int,
    width: int,
    norm: bool,
    alive: list[tuple[str, float]],
    finished: list[tuple[str, float]],
    pruned: list[tuple[str, float]],
) -> Text:
    """The beam after one step: kept candidates, finished ones (✓ 完了), and the pruned ones struck through."""
    text = Text()
    text.append(f"ビーム探索: {step + 1} 語目 (幅 {width})\n", style="bold")
    text.append(f"スコア = 対数確率{' / 長さ' if norm else ''}\n", style="dim")
    for words, score in alive:
        text.append(f"  {score:8.3f}  {_words(words)}\n")
    for words, score in finished:
        text.append(f"  {score:8.3f}  {_words(words)}  ")
        text.append("✓ 完了\n", style="bold")
    for words, score in pruned:
        text.append(f"  {score:8.3f}  {_words(words)}", style="strike dim")
        text.append("\n")
    if pruned:
        text.append(f"打ち消し線の {len(pruned)} 個は、ここで捨てた候補です。", style="dim")
    return text


def candidates_view(candidates: list[tuple[str, float]], pruned: list[int]) -> Text:
    """The finished beam: every candidate with its score, best first, and how many each step dropped."""
    text = Text()
    text.append("ビーム探索の候補 (スコアの高い順):\n", style="bold")
    for words, score in candidates:
        text.append(f"  {score:7.3f}  {words}\n")
    text.append(f"各ステップで捨てた候補の数: {', '.join(map(str, pruned))}", style="dim")
    return text


def explain_view(ex: StepExplanation, source: list[str], target: str, row: int, col: int) -> Text:
    """One row's attention step as a worked computation: scores, softmax, context."""
    text = Text()
    text.append(f"「{target}」({row + 1} 語目) を出すときのアテンションの計算\n", style="bold")
    who = "1 つ前のデコーダの状態 s_{t-1}" if ex.query == "s_{t-1}" else "この語を出すときのデコーダの状態 s_t"
    text.append(f"1. スコア {ex.formula}  (s: {who}、h_i: 原文 i 語目の状態)\n")
    text.append("2. ソフトマックス a_i = exp(e_i - 最大) / 合計\n")
    header = f"  {fit('原文', 8)} {'e_i':>8} {_right('exp(e_i-最大)', 14)} {'a_i':>7}"
    if ex.hard:
        header += f" {_right('ハード', 7)}"
    text.append(header + "\n", style="dim")
    for i, tok in enumerate(source[: len(ex.scores)]):
        line = f"{'>' if i == col else ' '} {fit(tok, 8)} {ex.scores[i]:8.3f} {ex.exps[i]:14.4f} {ex.softmax[i]:7.3f}"
        if ex.hard:
            line += f" {ex.weights[i]:7.0f}"
        text.append(line + "\n", style="bold" if i == col else "")
    total = f"  {fit('合計', 8)} {'':8} {sum(ex.exps):14.4f} {sum(ex.softmax):7.3f}"
    text.append(total + (f" {sum(ex.weights):7.0f}" if ex.hard else "") + "\n", style="dim")
    if ex.hard:
        best = source[ex.best] if ex.best < len(source) else "?"
        text.append(f"3. ハード: 重みが最大の「{best}」に 1 を置くので、文脈 c はその h_i そのものです。\n")
    else:
        text.append("3. 文脈 c = Σ a_i h_i (原文の状態を重みで足し合わせたもの)\n")
    shown = "  ".join(f"{x:.3f}" for x in ex.context[:CONTEXT_SHOWN])
    text.append(f"  c = [{shown} ...]  ({len(ex.context)} 次元のうち先頭 {CONTEXT_SHOWN} 個)")
    return text
