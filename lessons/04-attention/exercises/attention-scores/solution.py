"""演習 attention-scores の解答例。"""

import numpy as np


def score(
    kind: str, s: np.ndarray, H: np.ndarray, W: np.ndarray | None = None, v: np.ndarray | None = None
) -> np.ndarray:
    if kind == "dot":
        return H @ s  # s^T h_i
    if kind == "general":
        return (H @ W.T) @ s  # 行 i は W h_i、それと s の内積
    if kind in ("concat", "additive"):
        d = s.shape[0]
        hidden = np.tanh(W[:, :d] @ s + H @ W[:, d:].T)  # 行 i は tanh(W [s; h_i])、形 (n, d_a)
        return hidden @ v
    raise ValueError(f"知らない kind です: {kind!r}")


def attend(s: np.ndarray, H: np.ndarray, kind: str, W: np.ndarray | None = None,
           v: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    e = score(kind, s, H, W, v)
    z = np.exp(e - e.max())  # 最大値を引いてから exp（あふれない）
    a = z / z.sum()
    c = a @ H  # sum_i a_i h_i
    return a, c
