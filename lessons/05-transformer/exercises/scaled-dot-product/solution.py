"""演習 scaled-dot-product の解答例。"""

import numpy as np


def attention(Q: np.ndarray, K: np.ndarray, V: np.ndarray,
              mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)  # (..., n, m)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # 見てはいけない位置は exp(-inf) = 0 になる
    z = np.exp(scores - scores.max(axis=-1, keepdims=True))  # 各行の最大値を引いてから exp
    weights = z / z.sum(axis=-1, keepdims=True)
    return weights @ V, weights
