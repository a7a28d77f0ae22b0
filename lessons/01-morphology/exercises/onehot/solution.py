"""演習 onehot の解答例。"""

import numpy as np


def onehot(tokens: list[str]) -> tuple[list[str], np.ndarray]:
    index: dict[str, int] = {}  # 語 -> 語彙番号（初めて出てきた順）
    for t in tokens:
        if t not in index:
            index[t] = len(index)
    vocab = list(index)
    matrix = np.zeros((len(tokens), len(vocab)), dtype=int)
    for i, t in enumerate(tokens):
        matrix[i, index[t]] = 1
    return vocab, matrix
