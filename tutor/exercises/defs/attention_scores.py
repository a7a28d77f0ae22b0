"""attention-scores (L4): the four score functions of L4, and one attention step (softmax, context vector)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import compare
from ..sandbox import Call
from ..spec import Case, Exercise

ATOL, RTOL = 1e-6, 1e-5
Params = dict  # {"W": ndarray, "v": ndarray}, only what the kind needs


# -- the reference: tutor.core.seq2seq.Attention, with the given W and v copied in -------------------------------
def _module(kind: str, d: int, params: Params):
    import torch
    from torch import nn

    from ...core.seq2seq import Attention

    att = Attention(kind, d).double().eval()
    if kind == "general":
        att.W.weight = nn.Parameter(torch.from_numpy(params["W"].copy()))
    elif kind in ("concat", "additive"):  # W [s; h] = Wq s + Wk h; W may be (d_a, 2d) with d_a != d
        W = params["W"]
        att.Wq.weight = nn.Parameter(torch.from_numpy(W[:, :d].copy()))
        att.Wk.weight = nn.Parameter(torch.from_numpy(W[:, d:].copy()))
        att.v.weight = nn.Parameter(torch.from_numpy(params["v"][None].copy()))
    return att


def _reference_score(kind: str, s: np.ndarray, H: np.ndarray, params: Params) -> np.ndarray:
    import torch

    with torch.no_grad():
        e = _module(kind, s.shape[0], params).scores(torch.from_numpy(s)[None], torch.from_numpy(H)[None])
    return e[0].numpy().copy()


def _reference_attend(kind: str, s: np.ndarray, H: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray]:
    import torch

    mask = torch.ones(1, H.shape[0], dtype=torch.bool)
    with torch.no_grad():
        context, weights = _module(kind, s.shape[0], params)(torch.from_numpy(s)[None], torch.from_numpy(H)[None], mask)
    return weights[0].numpy().copy(), context[0].numpy().copy()


# -- common slips, in NumPy -----------------------------------------------------------------------------------------
def _softmax(e: np.ndarray) -> np.ndarray:
    z = np.exp(e - e.max())
    return z / z.sum()


def _general_transposed(s, H, params):  # h_i^T W s
    return H @ params["W"] @ s


def _concat_swapped(s, H, params):  # v^T tanh(W [h_i; s])
    W, v = params["W"], params["v"]
    d = s.shape[0]
    return np.tanh(H @ W[:, :d].T + W[:, d:] @ s) @ v


GENERAL_T = ("general のスコアは s^T W h_i です。h_i^T W s（W を転置したもの）を計算していませんか。"
             "h_i を W で変換してから s と内積をとります。")
CONCAT_SWAP = ("[s; h_i] は s が先、h_i が後です。[h_i; s] の順につなげていませんか"
               "（W の左半分 W[:, :d] が s に、右半分 W[:, d:] が h_i に掛かります）。")
NO_SOFTMAX = "重みがスコア e_i のままです。softmax にかけて、0 以上で合計 1 の重み a_i にしてください。"
NOT_NORMALIZED = "重みが exp(e_i) のままです。合計 sum_k exp(e_k) で割って、合計を 1 にしてください。"
NOT_SUMMED = ("文脈ベクトル c は a_i h_i を i について足し合わせた 1 本のベクトル (形 (d,)) です。"
              "a_i h_i を並べた (n, d) のままになっていませんか（a @ H か、axis=0 で sum）。")
SWAPPED = "返す順番が逆です。(重み a, 文脈ベクトル c) の順に返してください。"
OVERFLOW = ("softmax で exp があふれています（exp(1000) は inf）。"
            "exp の前に、スコアから最大値を引いてください: exp(e_i - max_k e_k)。結果の重みは変わりません。")

SLIPS: dict[str, list[tuple[Callable, str]]] = {
    "dot": [],
    "general": [(_general_transposed, GENERAL_T)],
    "concat": [(_concat_swapped, CONCAT_SWAP)],
    "additive": [(_concat_swapped, CONCAT_SWAP)],
}


def _kwargs(params: Params) -> dict:
    return {k: params[k] for k in ("W", "v") if k in params}


def _score_case(name: str, kind: str, s: np.ndarray, H: np.ndarray, params: Params) -> Case:
    expected = _reference_score(kind, s, H, params)
    mistakes = [(slip(s, H, params), hint) for slip, hint in SLIPS[kind]]

    def check(values: list) -> str | None:
        got = values[0]
        problem = compare.close(expected, got, ATOL, RTOL)
        if problem and isinstance(got, np.ndarray) and got.shape in ((len(H), 1), (1, len(H))):
            return (f"{problem}\n  → スコアは 1 次元の配列 (n,) で返してください"
                    "（reshape(-1) や [:, 0] で形を直せます）。")
        return compare.with_mistakes(problem, got, mistakes, ATOL, RTOL)

    return Case(name, (Call("score", (kind, s, H), _kwargs(params)),), check)


def _attend_case(name: str, kind: str, s: np.ndarray, H: np.ndarray, params: Params) -> Case:
    expected = _reference_attend(kind, s, H, params)
    e = _reference_score(kind, s, H, params)
    slips = [(_softmax(slip(s, H, params)), hint) for slip, hint in SLIPS[kind]]
    weights = expected[0]

    def hint(got) -> str | None:
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return None
        if compare.matches(expected[::-1], tuple(got), ATOL, RTOL):
            return SWAPPED
        try:
            a = np.asarray(got[0], dtype=float)
            c = np.asarray(got[1], dtype=float)
        except (TypeError, ValueError):
            return None
        if a.shape == weights.shape:
            if not np.isfinite(a).all():
                return OVERFLOW
            if compare.matches(e, a, ATOL, RTOL) and not compare.matches(weights, a, ATOL, RTOL):
                return NO_SOFTMAX
            with np.errstate(over="ignore"):
                if compare.matches(np.exp(e), a, ATOL, RTOL):
                    return NOT_NORMALIZED
            for wrong, text in slips:
                if compare.matches(wrong, a, ATOL, RTOL):
                    return text
            if c.shape == H.shape and c.shape != expected[1].shape and compare.matches(a[:, None] * H, c, ATOL, RTOL):
                return NOT_SUMMED
        return None

    def check(values: list) -> str | None:
        got = values[0]
        problem = compare.close(expected, got, ATOL, RTOL, names=("重み a", "文脈ベクトル c"))
        if problem is None:
            return None
        text = hint(got)
        return f"{problem}\n  → {text}" if text else problem

    return Case(name, (Call("attend", (s, H, kind), _kwargs(params)),), check)


# -- the cases -----------------------------------------------------------------------------------------------------
def _random(rng: np.random.Generator, kind: str, n: int, d: int, d_a: int | None = None):
    """States in (-1, 1) like a GRU's, W and v at the scale a trained layer has."""
    s = rng.uniform(-1, 1, d)
    H = rng.uniform(-1, 1, (n, d))
    params: Params = {}
    if kind == "general":
        params["W"] = rng.normal(0, 1 / np.sqrt(d), (d, d))
    elif kind in ("concat", "additive"):
        d_a = d if d_a is None else d_a
        params["W"] = rng.normal(0, 1 / np.sqrt(2 * d), (d_a, 2 * d))
        params["v"] = rng.normal(0, 1, d_a)
    return s, H, params


def _cases() -> list[Case]:
    # the numbers of L4 section 2
    H = np.array([[2.0, -1.0], [0.0, 1.0], [1.0, 0.0]])
    s = np.array([1.0, 2.0])
    W_general = np.array([[0.0, 1.0], [0.0, 0.0]])
    W_concat = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])  # tanh(s[0]) + tanh(h_i[1])
    v_concat = np.array([1.0, 1.0])
    # scores around 1000: exp overflows unless the maximum is subtracted first
    s_big = np.array([10.0, 10.0])
    H_big = np.array([[50.0, 50.0], [49.9, 50.0], [45.0, 45.0], [-50.0, 0.0]])

    rng = np.random.default_rng(4)
    r = {name: _random(rng, *args) for name, args in {
        "dot": ("dot", 7, 5), "general": ("general", 6, 4), "concat": ("concat", 5, 4, 6),
        "additive": ("additive", 6, 3, 2), "general_big": ("general", 40, 256), "concat_big": ("concat", 40, 256),
        "att_general": ("general", 8, 6), "att_concat": ("concat", 9, 5, 7), "att_additive": ("additive", 40, 256),
        "one": ("concat", 1, 4, 3),
    }.items()}

    return [
        _score_case("例: dot (L4 2 節の数)", "dot", s, H, {}),
        _score_case("例: general (W は非対称)", "general", s, H, {"W": W_general}),
        _score_case("例: concat (d=2, d_a=2)", "concat", s, H, {"W": W_concat, "v": v_concat}),
        _score_case("dot: n=7, d=5", "dot", *r["dot"]),
        _score_case("general: n=6, d=4", "general", *r["general"]),
        _score_case("concat: n=5, d=4, d_a=6", "concat", *r["concat"]),
        _score_case("additive: n=6, d=3, d_a=2", "additive", *r["additive"]),
        _score_case("general: 翻訳器の大きさ (d=256, n=40)", "general", *r["general_big"]),
        _score_case("concat: 翻訳器の大きさ (d=256, d_a=256, n=40)", "concat", *r["concat_big"]),
        _attend_case("attend 例: dot (L4 2 節の数)", "dot", s, H, {}),
        _attend_case("attend: general, n=8, d=6", "general", *r["att_general"]),
        _attend_case("attend: concat, n=9, d=5, d_a=7", "concat", *r["att_concat"]),
        _attend_case("attend: additive, 翻訳器の大きさ", "additive", *r["att_additive"]),
        _attend_case("attend: スコアが 1000 前後 (exp があふれる大きさ)", "dot", s_big, H_big, {}),
        _attend_case("attend: 入力が 1 語 (n=1)", "concat", *r["one"]),
    ]


EXERCISE = Exercise(
    id="attention-scores",
    lesson="L4",
    title="アテンションのスコア関数と文脈ベクトル",
    functions=("score", "attend"),
    tolerance="各要素 1e-6 + 1e-5×|期待値| まで",
    make_cases=_cases,
    drives="実験タブの翻訳とアテンションの表",
)
