"""bigram_prob (L3): the add-k smoothed bigram probability p(w2 | w1) from a table of pair counts."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..spec import Case, Exercise, expect

Counts = dict[str, dict[str, int]]

#: The corpus of L3's worked example: three sentences, counted with <s> and </s>.
LESSON_SENTENCES = [["私", "は", "犬", "が", "好き", "です"], ["私", "は", "猫", "が", "好き", "です"],
                    ["犬", "が", "走る"]]

#: A table that is not a whole corpus's: words that only follow (も) and fewer left words than followers.
PARTIAL: Counts = {"<s>": {"今日": 2, "明日": 1}, "今日": {"は": 3, "も": 1}, "明日": {"は": 1}}


def _bigram(counts: Counts, k: float):
    from ...core.ngram import Bigram

    pairs = defaultdict(Counter, {w1: Counter(row) for w1, row in counts.items()})
    return Bigram(k, pairs, {w2 for row in counts.values() for w2 in row})


def _counts(sentences: list[list[str]]) -> Counts:
    from ...core.ngram import Bigram

    model = Bigram.fit(sentences)
    return {w1: dict(row) for w1, row in model.pairs.items()}


def _p(counts: Counts, w1: str, w2: str, k: float, v: int, smooth_denominator: str = "kV") -> float:
    """The formula with the denominator's smoothing term chosen: "kV" (right), "k" or "" (none)."""
    row = counts.get(w1, {})
    total = sum(row.values())
    extra = {"kV": k * v, "k": k, "": 0.0}[smooth_denominator]
    if total + extra == 0:
        return float("nan")
    return (row.get(w2, 0) + k) / (total + extra)


def _slips(counts: Counts, w1: str, w2: str, k: float) -> list[tuple[float, str]]:
    followers = {w for row in counts.values() for w in row}
    v = len(followers)
    both = len(followers | set(counts))
    reversed_row = counts.get(w2, {})
    reverse = (reversed_row.get(w1, 0) + k) / (sum(reversed_row.values()) + k * v)
    slips = [
        (_p(counts, w1, w2, k, v, "k"),
         "分母に足すのが k だけになっています。分母には k × V（V は語彙の数）を足します。"),
        (_p(counts, w1, w2, k, v, ""),
         "k を分子にしか足していません。分母にも k × V を足さないと、確率の合計が 1 になりません。"),
        (_p(counts, w1, w2, 1.0, v), "k = 1 で計算していませんか。引数の k を使います。"),
        (_p(counts, w1, w2, k, both),
         "V の数え方が違います。V は「次の単語」として出てくる語の種類の数で、直前の側にしか出ない <s> は入れません。"),
        (_p(counts, w1, w2, k, len(counts)),
         "V を counts のキー（直前の単語）の数にしていませんか。V は「次の単語」として出てくる語の種類の数です。"),
        (reverse, "p(w1 | w2) を計算していませんか。counts[w1][w2] は w1 のあとに w2 が来た回数です。"),
    ]
    return [(value, hint) for value, hint in slips if np.isfinite(value)]


def _case(name: str, counts: Counts, w1: str, w2: str, k: float) -> Case:
    expected = _bigram(counts, k).prob(w1, w2)
    slips = [(value, hint) for value, hint in _slips(counts, w1, w2, k)
             if not np.isclose(value, expected, rtol=1e-6, atol=1e-9)]
    values = [value for value, _ in slips]
    assert all(not np.isclose(a, b, rtol=1e-6, atol=1e-9) for i, a in enumerate(values) for b in values[:i]), \
        f"two slips give the same value in {name!r}: the hint would be ambiguous"
    return expect(name, "bigram_prob", [counts, w1, w2, k], expected, atol=1e-9, rtol=1e-6,
                  mistakes=slips, on_error=_unseen_hint)


def _unseen_hint(error) -> str | None:
    """The usual crash on a w1 that counts does not have: counts[w1] (KeyError) or 0 / 0."""
    if error.type == "KeyError":
        return ("counts にない w1 では counts[w1] が KeyError になります。"
                "counts.get(w1, {}) のように、ない語は回数 0 として扱います。")
    if error.type == "ZeroDivisionError":
        return "c(w1) = 0 でも、分母には k·V が残るので 0 にはなりません。分母の k·V を忘れていませんか。"
    return None


def _random_corpus() -> list[list[str]]:
    rng = np.random.default_rng(3)
    words = ["私", "は", "彼", "が", "犬", "猫", "を", "見る", "好き", "です", "た", "。", "本", "読む"]
    return [[words[i] for i in rng.integers(0, len(words), rng.integers(2, 8))] for _ in range(40)]


def _cases() -> list[Case]:
    lesson = _counts(LESSON_SENTENCES)
    corpus = _counts(_random_corpus())
    return [
        _case("例: p(好き | が), k = 1", lesson, "が", "好き", 1.0),
        _case("スムージングなし (k = 0): p(好き | が)", lesson, "が", "好き", 0.0),
        _case("数えられなかった組: p(が | 私), k = 0.5", lesson, "私", "が", 0.5),
        _case("文頭: p(私 | <s>), k = 0.01", lesson, "<s>", "私", 0.01),
        _case("文末: p(</s> | 走る), k = 0.1", lesson, "走る", "</s>", 0.1),
        _case("counts にない w1: p(私 | ねこ), k = 0.01", lesson, "ねこ", "私", 0.01),
        _case("ランダムな 40 文: p(です | 犬), k = 0.01", corpus, "犬", "です", 0.01),
        _case("ランダムな 40 文: p(彼 | た), k = 2", corpus, "た", "彼", 2.0),
        _case("ランダムな 40 文: 出ない組 p(本 | 本), k = 0.3", corpus, "本", "本", 0.3),
        _case("ランダムな 40 文: p(は | <s>), k = 0.05", corpus, "<s>", "は", 0.05),
        _case("一部だけ数えた表: p(は | 今日), k = 0.5", PARTIAL, "今日", "は", 0.5),
        _case("一部だけ数えた表: p(今日 | 明日), k = 0.3", PARTIAL, "明日", "今日", 0.3),
    ]


EXERCISE = Exercise(
    id="bigram-prob",
    lesson="L3",
    title="add-k スムージングした bigram の確率",
    functions=("bigram_prob",),
    tolerance="1e-9 + 相対 1e-6 まで",
    make_cases=_cases,
)
