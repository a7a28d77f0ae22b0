"""演習 positional-encoding の解答例。"""

import numpy as np


def positional_encoding(length: int, d_model: int) -> np.ndarray:
    pos = np.arange(length)[:, None]  # (length, 1) 位置 0, 1, 2, ...
    j = np.arange(d_model)[None, :]  # (1, d_model) 列の番号
    i = j // 2  # 列 2i と 2i+1 は同じ i
    angles = pos / 10000 ** (2 * i / d_model)  # (length, d_model)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))
