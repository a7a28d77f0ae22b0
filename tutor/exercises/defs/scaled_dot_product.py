"""scaled-dot-product (L5): Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, with a mask, over any leading
dimensions."""

from __future__ import annotations

import numpy as np

from .. import compare
from ..sandbox import Call
from ..spec import Case, Exercise

ATOL, RTOL = 1e-6, 1e-5


def _reference(Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    import torch

    from ...core.transformer import scaled_dot_product_attention

    m = np.ones(Q.shape[:-1] + K.shape[-2:-1], dtype=bool) if mask is None else mask
    with torch.no_grad():
        out, weights = scaled_dot_product_attention(torch.from_numpy(Q), torch.from_numpy(K), torch.from_numpy(V),
                                                    torch.from_numpy(np.ascontiguousarray(m)))
    return out.numpy().copy(), weights.numpy().copy()


# -- common slips, in NumPy -----------------------------------------------------------------------------------------
def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def _slip(Q, K, V, mask, scale=None, axis=-1, after=False):
    scores = Q @ np.swapaxes(K, -1, -2) / (np.sqrt(Q.shape[-1]) if scale is None else scale)
    if mask is not None and not after:
        scores = np.where(mask, scores, -np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = _softmax(scores, axis)
    if mask is not None and after:
        w = w * mask
    return w @ V, w


NO_SQRT = "√d_k で割るのを忘れていませんか。スコアは Q K^T / sqrt(d_k) です。"
BY_DK = "d_k で割っていませんか。割るのは d_k ではなく、その平方根 sqrt(d_k) です。"
WRONG_AXIS = ("softmax をとる軸が違います。"
              "重みはクエリの行ごとに、キーの軸（最後の軸, axis=-1）で合計が 1 になるようにします"
              "（max や sum に axis=-1, keepdims=True）。")
AFTER = ("マスクを softmax の後にかけていませんか。"
         "それだと見てはいけない位置を 0 にしても、残りの重みの合計が 1 になりません。"
         "softmax の前に、mask が False の位置のスコアを -inf（か、とても大きな負の数）にします。")
INVERTED = "マスクの意味が逆です。mask が True の位置が「見てよい」位置で、False の位置のスコアを -inf にします。"
IGNORED = ("mask が False の位置（見てはいけない位置）に重みが乗っています。"
           "softmax の前に、その位置のスコアを -inf にしてください。")
ROWS = ("重みの各行の合計が 1 になっていません。"
        "softmax は、キーの軸（最後の軸）で、各行の exp をその行の合計で割ります。")
SWAPPED = "返す順番が逆です。(out, weights) の順に返してください。"
OVERFLOW = ("softmax で exp があふれています。"
            "exp の前に、各行からその行の最大値を引いてください（x.max(axis=-1, keepdims=True)）。")


def _case(name: str, Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray | None = None) -> Case:
    expected = _reference(Q, K, V, mask)
    d_k = Q.shape[-1]
    slips = [(_slip(Q, K, V, mask, scale=1.0), NO_SQRT), (_slip(Q, K, V, mask, scale=float(d_k)), BY_DK),
             (_slip(Q, K, V, mask, axis=-2), WRONG_AXIS)]
    if mask is not None:
        slips.append((_slip(Q, K, V, mask, after=True), AFTER))
    # a slip that changes nothing here (d_k = 1: sqrt(d_k) = d_k = 1; one query: one row) names nothing
    slips = [(wrong, text) for wrong, text in slips if not compare.matches(expected, wrong, ATOL, RTOL)]
    allowed = None if mask is None else np.broadcast_to(mask, expected[1].shape)

    def hint(got) -> str | None:
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return None
        if compare.matches(expected[::-1], tuple(got), ATOL, RTOL):
            return SWAPPED
        for wrong, text in slips:
            if compare.matches(wrong, got, ATOL, RTOL):
                return text
        try:
            w = np.asarray(got[1], dtype=float)
        except (TypeError, ValueError):
            return None
        if w.shape != expected[1].shape:
            return None
        if allowed is not None:
            on_allowed = np.nansum(np.abs(w[allowed]))
            on_forbidden = np.nansum(np.abs(w[~allowed]))
            if on_forbidden > 1e-6:
                return INVERTED if on_forbidden > on_allowed else IGNORED
        if not np.isfinite(w).all():
            return OVERFLOW
        if not np.allclose(w.sum(axis=-1), 1.0, atol=1e-5):
            return ROWS
        return None

    def check(values: list) -> str | None:
        got = values[0]
        if isinstance(got, (tuple, list)) and len(got) == 2:  # the weights first: they show the slip more plainly
            problem = compare.close(expected[::-1], tuple(got)[::-1], ATOL, RTOL, names=("weights", "out"))
        else:
            problem = compare.close(expected, got, ATOL, RTOL, names=("out", "weights"))
        if problem is None:
            return None
        text = hint(got)
        return f"{problem}\n  → {text}" if text else problem

    args = (Q, K, V) if mask is None else (Q, K, V, mask)
    return Case(name, (Call("attention", args),), check, on_error=_transpose_hint)


def _transpose_hint(error) -> str | None:
    """K.T on a batch of heads reverses every axis, and the matmul then fails on the shapes."""
    if error.type == "ValueError" and "matmul" in error.message:
        return ("K.T（K.transpose()）は前の次元まで逆順にします。最後の 2 軸だけを入れ替えるには "
                "np.swapaxes(K, -1, -2) を使います。")
    return None


def _cases() -> list[Case]:
    # L5 section 3: one query (得意なスポーツは？) over 野球 / が / 得意
    q = np.array([[2.0, 1.0, 0.0, 1.0]])
    K = np.array([[2.0, 0.0, 0.0, 2.0], [0.0, 0.0, 1.0, 0.0], [0.0, 2.0, 0.0, 0.0]])
    V = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    # L5 section 6, the row of "i": scores (1, 2, 0.5, 3) with d_k = 1, like and dogs masked
    q1 = np.array([[1.0]])
    k1 = np.array([[1.0], [2.0], [0.5], [3.0]])
    v1 = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [-5.0, 5.0]])
    row = np.array([[True, True, False, False]])

    rng = np.random.default_rng(5)

    def n(*shape: int, scale: float = 1.0) -> np.ndarray:
        return rng.normal(0, scale, shape)

    tril = np.tril(np.ones((5, 5), dtype=bool))
    tril12 = np.tril(np.ones((12, 12), dtype=bool))
    lengths = np.array([6, 3])  # two sentences padded to 6 keys: the second has 3 real ones
    padding = (np.arange(6) < lengths[:, None])[:, None, None, :]  # (2, 1, 1, 6)

    return [
        _case("例: 1 クエリ, d_k=4 (L5 3 節の数)", q, K, V),
        _case("例: 「が」を隠す", q, K, V, np.array([[True, False, True]])),
        _case("マスク付きの 1 行 (L5 6 節の数)", q1, k1, v1, row),
        _case("マスクなし: n=4, m=6, d_k=8, d_v=3", n(4, 8), n(6, 8), n(6, 3)),
        _case("因果マスク (5, 5), 形 (2, 3, 5, 16)", n(2, 3, 5, 16), n(2, 3, 5, 16), n(2, 3, 5, 7), tril),
        _case("パディングのマスク (2, 1, 1, 6), 形 (2, 4, 3, 8)", n(2, 4, 3, 8), n(2, 4, 6, 8), n(2, 4, 6, 5), padding),
        _case("交差アテンション: Q (2, 3, 4, 9), K (2, 3, 7, 9)", n(2, 3, 4, 9), n(2, 3, 7, 9), n(2, 3, 7, 2)),
        _case("翻訳器の大きさ: (2, 4, 12, 64), 因果マスク", n(2, 4, 12, 64), n(2, 4, 12, 64), n(2, 4, 12, 64), tril12),
        _case("スコアが 1000 を超える (exp があふれる大きさ)", n(3, 4, scale=40), n(5, 4, scale=40), n(5, 2)),
    ]


EXERCISE = Exercise(
    id="scaled-dot-product",
    lesson="L5",
    title="スケール化内積アテンション (scaled dot-product attention)",
    functions=("attention",),
    tolerance="各要素 1e-6 + 1e-5×|期待値| まで",
    make_cases=_cases,
)
