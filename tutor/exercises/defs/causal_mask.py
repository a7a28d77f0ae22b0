"""causal-mask (L6): the (n, n) bool mask that lets position t look at positions 0..t only."""

from __future__ import annotations

import numpy as np

from ..spec import Case, Exercise, expect


def _reference(n: int) -> np.ndarray:
    from ...core.transformer import causal_mask

    return causal_mask(n)[0, 0].numpy().copy()


def _case(name: str, n: int) -> Case:
    ones = np.ones((n, n), dtype=bool)
    mistakes = [
        # first: for n = 1 the upper and the lower triangle are the same one cell, and then only the dtype is wrong
        # the right pattern in 0 / 1 numbers: only the dtype is wrong (exact_dtype refuses it, this says how to fix it)
        (np.tril(ones).astype(int),
         "並びは合っています。np.ones や np.tri は数の配列を作るので、"
         "dtype=bool を指定するか、最後に .astype(bool) で bool にします。"),
        (np.triu(ones),
         "上三角になっています。見てよいのは自分と左（前）の位置なので、True は対角線とその左下です（np.tril）。"),
        (np.tril(ones, k=-1), "対角線が False になっています。どの位置も自分自身は見てよいので、対角線も True です。"),
        (~np.tril(ones),
         "True と False が逆です。True が「見てよい」位置で、対角線とその左下が True です"
         "（L5 の演習のマスクと同じ決まり）。"),
    ]
    return expect(name, "causal_mask", [n], _reference(n), mistakes=mistakes, exact_dtype=True)


def _cases() -> list[Case]:
    return [
        _case("例: n=4", 4),
        _case("n=1 (1 語だけ)", 1),
        _case("n=2", 2),
        _case("n=7", 7),
        _case("n=40 (長い文)", 40),
    ]


EXERCISE = Exercise(
    id="causal-mask",
    lesson="L6",
    title="因果マスクを作る",
    functions=("causal_mask",),
    tolerance="形 (n, n)、dtype は bool、全要素が完全一致",
    make_cases=_cases,
)
