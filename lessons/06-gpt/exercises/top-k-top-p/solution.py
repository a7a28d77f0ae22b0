"""演習 top-k-top-p の解答例。"""

import numpy as np


def filter_probs(probs: np.ndarray, top_k: int | None = None, top_p: float | None = None) -> np.ndarray:
    """top-k → top-p → 再正規化 をした分布を返す。"""
    probs = np.asarray(probs, dtype=float)
    order = np.argsort(-probs, kind="stable")  # 大きい順。同じ確率なら番号の小さい順
    if top_k is not None:
        order = order[:top_k]  # top-k: 先頭の k 語
    if top_p is not None and top_p < 1:
        mass = probs[order] / probs[order].sum()  # 残った語で割り直してから数える
        n = np.searchsorted(np.cumsum(mass), top_p) + 1  # 累積がはじめて p 以上になる語まで
        order = order[:n]
    out = np.zeros_like(probs)
    out[order] = probs[order]
    return out / out.sum()
