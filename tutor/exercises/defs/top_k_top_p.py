"""top-k-top-p (L6): cut the next-token distribution with top-k, then top-p, and renormalize what is left."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import compare
from ..sandbox import Call
from ..spec import Case, Exercise

STRICT = ("足すと累積がはじめて p 以上になる語（p を超えるきっかけの語）も残します。"
          "累積が p 未満の語だけを残していませんか（その語まで含めます）。")
NOT_RENORMALIZED = "残った語の確率を、合計が 1 になるように割り直して（再正規化して）いますか。"
# Counting top-p on the masses top-k left, not renormalized, is the same slip: it keeps what top-p-first keeps.
P_FIRST = ("top-k で残った語の確率を合計 1 に割り直してから、top-p の累積を数えていますか。"
           "（top-p を top-k より先に掛けても同じ誤りになります。順番は top-k → top-p です。）")
EXACT = ("累積がちょうど p になったら、その語までで止めます（「p 以上」になった最初の語まで: >= で比べます）。"
         "> で比べると、ちょうど p に届いたあと、もう 1 語残してしまいます。")
P_COUNT = ("top-p は「語彙の p の割合の語数」を残すのではありません。"
           "確率の大きい順に足していき、累積が p に届くまでの語を残します。")
TIES = ("同じ確率の語は、番号（添字）の小さいほうを先に並べます。"
        "np.argsort(-probs, kind=\"stable\") のような安定ソートを使っていますか。")


def _reference(probs: np.ndarray, top_k: int | None, top_p: float | None) -> np.ndarray:
    import torch

    from ...core.sampling import filter_logits

    return filter_logits(torch.log(torch.tensor(probs)), 1.0, top_k, top_p).final.double().numpy()


def _slip(probs: np.ndarray, top_k: int | None, top_p: float | None, *, ties: str = "small", rule: str = "reach",
          renorm: bool = True, raw_mass: bool = False, p_first: bool = False,
          p_count: Callable[[float, int], int] | None = None) -> np.ndarray:
    """What a solution with one slip returns (the defaults give the right answer)."""
    size = len(probs)
    order = np.argsort(probs, kind="stable")[::-1] if ties == "large" else np.argsort(-probs, kind="stable")

    def by_k(keep: np.ndarray) -> np.ndarray:
        if top_k is None or top_k >= size:
            return keep
        top = np.zeros(size, dtype=bool)
        top[order[:top_k]] = True
        return keep & top

    def by_p(keep: np.ndarray) -> np.ndarray:
        if top_p is None or top_p >= 1:
            return keep
        idx = order[keep[order]]  # the kept tokens, most probable first
        if p_count is not None:
            n = p_count(top_p, size)
        else:
            mass = probs[idx] if raw_mass else probs[idx] / probs[idx].sum()
            cumulative = np.cumsum(mass)
            n = {"reach": int(np.searchsorted(cumulative, top_p)) + 1, "below": int((cumulative < top_p).sum()),
                 "at_most": int((cumulative <= top_p).sum()),
                 "beyond": int(np.searchsorted(cumulative, top_p, side="right")) + 1}[rule]
        out = np.zeros(size, dtype=bool)
        out[idx[:max(n, 1)]] = True
        return out

    keep = by_k(by_p(np.ones(size, dtype=bool))) if p_first else by_p(by_k(np.ones(size, dtype=bool)))
    out = np.where(keep, probs, 0.0)
    return out / out.sum() if renorm else out


def _mistakes(probs: np.ndarray, top_k: int | None, top_p: float | None) -> list[tuple[np.ndarray, str]]:
    slips: list[tuple[dict, str]] = [
        ({"rule": "below"}, STRICT),
        ({"rule": "at_most"}, STRICT),
        ({"renorm": False}, NOT_RENORMALIZED),
        ({"renorm": False, "raw_mass": True}, NOT_RENORMALIZED),
        ({"rule": "beyond"}, EXACT),
        ({"p_first": True}, P_FIRST),
        ({"raw_mass": True}, P_FIRST),
        ({"p_count": lambda p, v: int(p * v)}, P_COUNT),
        ({"p_count": lambda p, v: math.ceil(p * v)}, P_COUNT),
        ({"p_count": lambda p, v: round(p * v)}, P_COUNT),
        ({"ties": "large"}, TIES),
    ]
    return [(_slip(probs, top_k, top_p, **how), hint) for how, hint in slips]


def _case(name: str, probs: np.ndarray, top_k: int | None = None, top_p: float | None = None) -> Case:
    probs = np.asarray(probs, dtype=np.float64)
    expected = _reference(probs, top_k, top_p)
    mistakes = _mistakes(probs, top_k, top_p)

    def check(values: list) -> str | None:
        got = values[0]
        problem = compare.close(expected, got)
        named = compare.with_mistakes(problem, got, mistakes)
        if named != problem or problem is None:
            return named
        # Not a known slip: the same values in other places means tied tokens were kept in the wrong order.
        try:
            g = np.asarray(got, dtype=float)
            if g.shape == expected.shape and np.allclose(np.sort(g), np.sort(expected), atol=1e-6, rtol=1e-5):
                return f"{problem}\n  → {TIES}"
        except (TypeError, ValueError):
            pass
        return problem

    return Case(name, (Call("filter_probs", (probs, top_k, top_p)),), check)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _cases() -> list[Case]:
    rng = np.random.default_rng(6)
    animals = np.array([0.40, 0.25, 0.15, 0.08, 0.05, 0.04, 0.03])  # the lesson's 犬 猫 鳥 馬 魚 机 走る
    small = _softmax(rng.normal(size=10) * 1.5)
    medium = _softmax(rng.normal(size=12) * 1.2)
    both = _softmax(rng.normal(size=20) * 1.5)
    big = _softmax(rng.normal(size=8000) * 2.5)  # about the size of the GPT's vocabulary
    weights = rng.integers(1, 6, size=8000).astype(float)  # only five different probabilities: many ties
    tied = weights / weights.sum()
    halves = np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])  # exact in binary: 0.5 + 0.25 is exactly 0.75
    return [
        _case("例: 犬 猫 鳥 … (p = 0.9)", animals, None, 0.9),
        _case("top-k だけ (k = 3)", small, 3, None),
        _case("top-p だけ (p = 0.8)", medium, None, 0.8),
        _case("top-k と top-p (k = 8, p = 0.7)", both, 8, 0.7),
        _case("k = 1 は貪欲法", small, 1, None),
        _case("p がとても小さい (1 語だけ残る)", medium, None, 1e-6),
        _case("累積がちょうど p になる (p = 0.75)", halves, None, 0.75),
        _case("同じ確率 (k = 4)", np.array([0.1, 0.3, 0.1, 0.3, 0.2]), 4, None),
        _case("同じ確率 (k = 1)", np.array([0.1, 0.3, 0.1, 0.3, 0.2]), 1, None),
        _case("同じ確率 (p = 0.3)", np.array([0.2, 0.1, 0.35, 0.35]), None, 0.3),
        _case("フィルタなし (None と None)", small, None, None),
        _case("p = 1 は top-p なし", medium, 5, 1.0),
        _case("k が語彙より大きい (k = 50, 語彙 12)", medium, 50, 0.9),
        _case("語彙 8,000 語 (k = 50, p = 0.9)", big, 50, 0.9),
        _case("語彙 8,000 語 (p = 0.95 だけ)", big, None, 0.95),
        _case("語彙 8,000 語・同確率が多い (k=1000, p=0.3005)", tied, 1000, 0.3005),
    ]


EXERCISE = Exercise(
    id="top-k-top-p",
    lesson="L6",
    title="top-k と top-p で次の語の分布を切る",
    functions=("filter_probs",),
    tolerance="各要素 1e-6 + 1e-5×|期待値| まで",
    make_cases=_cases,
    drives="実験タブのプレイグラウンド（分布と生成）",
)
