"""演習 mlm-mask の解答例。"""

import numpy as np


def mask_tokens(ids: np.ndarray, rng: np.random.Generator, vocab_size: int, mask_id: int,
                special_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """特殊でない位置の 15% を選び、80% を [MASK]、10% をランダムな語、10% をそのままにする。"""
    ids = np.asarray(ids, dtype=np.int64)
    chosen = (rng.random(ids.shape) < 0.15) & ~np.isin(ids, special_ids)  # 選ぶ 15%
    u = rng.random(ids.shape)  # 選んだ位置の行き先を決めるくじ
    to_mask = chosen & (u < 0.8)
    to_random = chosen & (u >= 0.8) & (u < 0.9)  # 残りの u >= 0.9 はそのまま
    words = np.setdiff1d(np.arange(vocab_size), special_ids)  # 引いてよい語
    inputs = ids.copy()
    inputs[to_mask] = mask_id
    inputs[to_random] = rng.choice(words, size=int(to_random.sum()))
    labels = np.where(chosen, ids, -100)
    return inputs, labels
