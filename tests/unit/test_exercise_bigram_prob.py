"""bigram_prob (L3): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, slips_fail_with_a_pointed_message
from tutor.exercises.defs.bigram_prob import EXERCISE

WRONG = {
    "k instead of k·V in the denominator": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w1, {})
            return (row.get(w2, 0) + k) / (sum(row.values()) + k)
        """, "k × V"),
    "k in the numerator only": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w1, {})
            total = sum(row.values())
            return (row.get(w2, 0) + k) / total if total else 0.0
        """, "分子にしか"),
    "V counts the left words too": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w1, {})
            vocab = set(counts) | {w for r in counts.values() for w in r}
            return (row.get(w2, 0) + k) / (sum(row.values()) + k * len(vocab))
        """, "<s> は入れません"),
    "V is the number of left words": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w1, {})
            return (row.get(w2, 0) + k) / (sum(row.values()) + k * len(counts))
        """, "counts のキー"),
    "k = 1 always": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w1, {})
            vocab = {w for r in counts.values() for w in r}
            return (row.get(w2, 0) + 1) / (sum(row.values()) + len(vocab))
        """, "k = 1"),
    "KeyError on an unseen w1": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts[w1]
            vocab = {w for r in counts.values() for w in r}
            return (row.get(w2, 0) + k) / (sum(row.values()) + k * len(vocab))
        """, "counts.get(w1"),
    "p(w1 | w2) instead of p(w2 | w1)": ("""
        def bigram_prob(counts, w1, w2, k):
            row = counts.get(w2, {})
            vocab = {w for r in counts.values() for w in r}
            return (row.get(w1, 0) + k) / (sum(row.values()) + k * len(vocab))
        """, "p(w1 | w2)"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_an_unseen_w1_is_named_in_the_case(tmp_path):
    """A crash on an unseen w1 is reported on the case that says so (the exception itself gets no hint)."""
    source, _ = WRONG["KeyError on an unseen w1"]
    report = check_source(EXERCISE, source, tmp_path)
    failed = [f["case"] for f in report.failures]
    assert failed == ["counts にない w1: p(私 | ねこ), k = 0.01"]
