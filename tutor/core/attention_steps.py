"""Attention worked through by hand, for lesson L5's Q・K・V, マスク and ヘッド pages (numpy, no torch).

- :func:`attend`: scaled dot-product attention for one query, keeping every
  intermediate number (scores, ÷√d_k, exp, their sum, the weights, the output);
- :func:`qkv_steps`: the same as five worked steps with the arithmetic written out
  in Japanese, which the Q・K・V page shows one at a time;
- :func:`causal_mask` and :func:`mean_heads`: what the マスク and 翻訳 pages draw.

The example numbers are the lesson's (lessons/05-transformer/lesson.md, section 3):
the question 「得意なスポーツは？」 as the query, 「野球が得意」 as three keys and values.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

QUERY_TEXT = "得意なスポーツは？"
MEMORY_TEXT = "野球が得意"
EXAMPLE_TOKENS = ("野球", "が", "得意")
EXAMPLE_Q = (2.0, 1.0, 0.0, 1.0)
EXAMPLE_K = ((2.0, 0.0, 0.0, 2.0), (0.0, 0.0, 1.0, 0.0), (0.0, 2.0, 0.0, 0.0))
EXAMPLE_V = ((1.0, 0.0), (0.0, 0.0), (0.0, 1.0))
TOKEN_WIDTH = 4  # cells for a token in the worked lines (得意 = 4)
#: Steps in :func:`qkv_steps`: prepare, dot products, divide, softmax, weighted sum.
STEP_COUNT = 5


@dataclass(frozen=True)
class Attention:
    """One query attending over keys and values: every intermediate number."""

    scores: np.ndarray  # q · k_j, shape (keys,)
    scale: float  # what the scores were divided by (√d_k, or 1 when not scaled)
    scaled: np.ndarray  # scores / scale
    exps: np.ndarray  # exp(scaled)
    total: float  # sum of exps
    weights: np.ndarray  # softmax: exps / total
    output: np.ndarray  # Σ_j w_j v_j, shape (d_v,)


def attend(q, K, V, *, scale: bool = True) -> Attention:
    """Scaled dot-product attention for a single query ``q`` (d_k,) over ``K`` (n, d_k) and ``V`` (n, d_v)."""
    q, K, V = np.asarray(q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    scores = K @ q
    s = math.sqrt(K.shape[1]) if scale else 1.0
    scaled = scores / s
    exps = np.exp(scaled)  # the example's scores are small; no max-shift, so the lines match the sums shown
    total = float(exps.sum())
    weights = exps / total
    return Attention(scores, s, scaled, exps, total, weights, weights @ V)


@dataclass(frozen=True)
class Step:
    """One step of the walk-through: a title, worked lines (kept on one line each) and a takeaway."""

    title: str
    lines: list[str] = field(default_factory=list)
    note: str = ""
    key: int = -1  # the line holding the step's result, drawn bold (-1: none)
    bars: dict[int, float] = field(default_factory=dict)  # line -> a weight drawn as a bar after it


def num(x: float) -> str:
    """An integer without decimals, anything else to 3 decimals."""
    return str(round(x)) if abs(x - round(x)) < 1e-9 else f"{x:.3f}"


def vector(values) -> str:
    return "(" + ", ".join(num(float(v)) for v in values) + ")"


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: two for a wide (Japanese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` cells (never cut: the example's tokens are short)."""
    return text + " " * max(0, width - cells(text))


def qkv_steps(q, K, V, tokens: Sequence[str], *, scale: bool = True) -> list[Step]:
    """The five steps of attention for one query, with the arithmetic written out."""
    q, K, V = np.asarray(q, dtype=float), np.asarray(K, dtype=float), np.asarray(V, dtype=float)
    a = attend(q, K, V, scale=scale)
    other = attend(q, K, V, scale=not scale)
    d_k = K.shape[1]
    names = [pad(t, TOKEN_WIDTH) for t in tokens]
    key_col = max(len(vector(k)) for k in K) + 2

    prepare = [f"クエリ q = {vector(q)}    d_k = {d_k}（キーの次元の数）", ""]
    prepare.append(f"{pad('', TOKEN_WIDTH)}  {'キー k'.ljust(key_col - 2)}バリュー v")
    for name, k, v in zip(names, K, V):
        prepare.append(f"{name}  {vector(k).ljust(key_col)}{vector(v)}")

    dots = [f"q·k_{name} = " + " + ".join(f"{num(x)}×{num(y)}" for x, y in zip(q, k)) + f" = {num(s)}"
            for name, k, s in zip(names, K, a.scores)]
    best = int(np.argmax(a.scores))

    if scale:
        divide = [f"√d_k = √{d_k} = {num(a.scale)}"]
        divide += [f"{name}  {num(s)} ÷ {num(a.scale)} = {num(x)}" for name, s, x in zip(names, a.scores, a.scaled)]
        divide_note = "d_k が大きいほど内積は大きくばらつくので、√d_k で割って softmax が極端にならないようにします。"
        divide_title = "√d_k で割る"
    else:
        divide = ["割らずに、内積をそのままスコアにします: " + ", ".join(num(s) for s in a.scores)]
        divide_note = f"（「√d_k で割らない」のチェックを外すと、√{d_k} = {num(other.scale)} で割ります）"
        divide_title = "√d_k で割らない"

    width = max(len(f"{e:.3f}") for e in a.exps)
    soft = [f"exp({num(x)}) = {a.exps[j]:>{width}.3f}   {tokens[j]}" for j, x in enumerate(a.scaled)]
    soft.append(f"合計 = {a.total:.3f}")
    soft.append("")
    bars = {}
    for name, e, w in zip(names, a.exps, a.weights):
        bars[len(soft)] = float(w)
        soft.append(f"w_{name} = {e:>{width}.3f} / {a.total:.3f} = {w:.3f}")
    soft.append(f"重みの合計 = {a.weights.sum():.3f}")
    weights = ", ".join(f"{w:.3f}" for w in a.weights)
    other_weights = ", ".join(f"{w:.3f}" for w in other.weights)
    if scale:
        soft_note = f"重みは 0 以上で合計 1。割らなかったら ({other_weights}) と、もっと一つに集中します。"
    else:
        soft_note = f"√d_k で割った場合の ({other_weights}) より、一つの語に集中しました（{weights}）。"

    terms = " + ".join(f"{w:.3f}×{vector(v)}" for w, v in zip(a.weights, V))
    out = "(" + ", ".join(f"{x:.3f}" for x in a.output) + ")"
    top = int(np.argmax(a.weights))
    total_note = (
        f"重みの {a.weights[top] * 100:.0f}% が「{tokens[top]}」に集まり、出力はほぼ「{tokens[top]}」のバリュー "
        f"{vector(V[top])} になりました。"
    )
    return [
        Step("Q・K・V を用意する", prepare,
             "クエリ = 探しているもの、キー = 各語の見出し（クエリと見比べる）、バリュー = 各語の中身（取り出す）。"
             "キーの 4 つの次元は、順に「スポーツ」「得意・上手」「助詞」「ものの名前」らしさ（説明用の意味づけ）。"),
        Step("内積 q·k で合い具合を測る", dots,
             f"クエリといちばん合うのは「{tokens[best]}」のキー。"
             f"重なる次元がない「{tokens[int(np.argmin(a.scores))]}」は 0 です。"),
        Step(divide_title, divide, divide_note),
        Step("softmax で重みに変える", soft, soft_note, bars=bars),
        Step("重みでバリューを足し合わせる", [f"出力 = {terms}", f"     = {out}"], total_note, key=1),
    ]


def example_steps(*, scale: bool = True) -> list[Step]:
    """:func:`qkv_steps` on the lesson's example."""
    return qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS, scale=scale)


def causal_mask(n: int) -> list[list[bool]]:
    """The decoder's mask for ``n`` positions: row r may look at column c iff c <= r."""
    return [[c <= r for c in range(n)] for r in range(n)]


def mean_heads(heads: Sequence[Sequence[Sequence[float]]]) -> list[list[float]]:
    """The average of one layer's heads: ``heads[head][query][key]`` -> ``[query][key]``."""
    if not heads:
        return []
    n = len(heads)
    return [[sum(h[r][c] for h in heads) / n for c in range(len(heads[0][r]))] for r in range(len(heads[0]))]
