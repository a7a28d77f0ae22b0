"""演習 cosine の解答例。"""

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na = max(float(np.linalg.norm(a)), 1e-12)
    nb = max(float(np.linalg.norm(b)), 1e-12)
    return float(a @ b) / (na * nb)


def most_similar(vectors: np.ndarray, vocab: list[str], word: str, topn: int) -> list[tuple[str, float]]:
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    unit = vectors / norms  # 各行を長さ 1 に
    w = vocab.index(word)
    sims = unit @ unit[w]  # (V,) word とのコサイン類似度
    order = np.argsort(-sims, kind="stable")  # 高い順、同じ値は vocab の順
    return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
