"""演習 bigram-prob の解答例。"""


def bigram_prob(counts: dict[str, dict[str, int]], w1: str, w2: str, k: float) -> float:
    row = counts.get(w1, {})  # w1 のあとに来た語と回数（counts になければ空）
    vocab = {w for following in counts.values() for w in following}  # 次の単語として出てくる語
    return (row.get(w2, 0) + k) / (sum(row.values()) + k * len(vocab))
