"""positional_encoding (L5): the sinusoidal positional encoding, one row per position."""

from __future__ import annotations

import numpy as np

from ..sandbox import Call
from ..spec import Case, Exercise, expect


def _reference(length: int, d_model: int) -> np.ndarray:
    from ...core.positional import positional_encoding

    return positional_encoding(length, d_model)


def _variant(length: int, d_model: int, *, base: float = 10000.0, first: int = 0, exponent: str = "2i",
             swap: bool = False) -> np.ndarray:
    """The formula with one thing changed: the base, the first position, the exponent, or sin and cos swapped."""
    pos = np.arange(first, first + length, dtype=float)[:, None]
    j = np.arange(d_model)
    power = {"2i": 2 * (j // 2), "j": j, "2j": 2 * j}[exponent]
    angles = pos / np.power(base, power / d_model)
    even, odd = (np.cos, np.sin) if swap else (np.sin, np.cos)
    return np.where(j % 2 == 0, even(angles), odd(angles))


def _slips(length: int, d_model: int) -> list[tuple[np.ndarray, str]]:
    expected = _reference(length, d_model)
    return [
        (_variant(length, d_model, swap=True),
         "sin と cos が逆です。列番号が偶数の列 (j = 2i) が sin、奇数の列 (j = 2i+1) が cos です。"),
        (_variant(length, d_model, exponent="j"),
         "指数に列の番号 j をそのまま使っていませんか（j/d_model）。"
         "列 2i と 2i+1 は同じ i を使い、指数は 2i/d_model です。"),
        (_variant(length, d_model, exponent="2j"),
         "指数が 2j/d_model になっていませんか。j は列の番号で、i = j // 2 です（指数は 2i/d_model）。"),
        (_variant(length, d_model, base=1000.0), "底が 10000 ではないようです。pos を 10000^(2i/d_model) で割ります。"),
        (_variant(length, d_model, first=1),
         "位置を 1 から数えていませんか。pos は 0, 1, 2, ... です（最初の行、0 行目が pos = 0）。"),
        (expected.T, "行と列が逆です。形は (length, d_model) で、i 行目が位置 i のベクトルです。"),
        (np.trunc(expected),
         "小数が切り捨てられています。整数の配列（np.zeros(..., dtype=int) など）に入れていませんか。"
         "float の配列にします。"),
    ]


def _case(name: str, length: int, d_model: int) -> Case:
    expected = _reference(length, d_model)
    slips = [(wrong, hint) for wrong, hint in _slips(length, d_model)
             if wrong.shape != expected.shape or not np.allclose(wrong, expected, atol=1e-6, rtol=1e-5)]
    return expect(name, "positional_encoding", [length, d_model], expected, mistakes=slips)


def _cases() -> list[Case]:
    return [
        _case("例: 長さ 4、d_model = 4", 4, 4),
        _case("長さ 10、d_model = 8", 10, 8),
        _case("長さ 50、d_model = 512 (論文の大きさ)", 50, 512),
        _case("d_model が奇数 (5)", 6, 5),
        _case("d_model が奇数 (7)、長さ 12", 12, 7),
        _case("長さ 1 (位置 0 だけ)", 1, 6),
        _case("d_model = 1 (sin の列だけ)", 3, 1),
        _case("d_model = 2、長さ 20", 20, 2),
        Case("返り値は float の配列", (Call("positional_encoding", (3, 4)),), _float_array),
    ]


def _float_array(values: list) -> str | None:
    got = values[0]
    if isinstance(got, np.ndarray) and got.dtype.kind in "iub":
        return f"配列の dtype が {got.dtype} です。sin や cos の値は小数なので、float の配列にします。"
    return None


EXERCISE = Exercise(
    id="positional-encoding",
    lesson="L5",
    title="位置エンコーディング (sin と cos)",
    functions=("positional_encoding",),
    tolerance="各要素 1e-6 + 1e-5×|期待値| まで",
    make_cases=_cases,
)
