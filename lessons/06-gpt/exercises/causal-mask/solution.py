"""演習 causal-mask の解答例。"""

import numpy as np


def causal_mask(n: int) -> np.ndarray:
    return np.tril(np.ones((n, n), dtype=bool))  # 対角線とその左下が True
