"""The bigram language model on sentences the team wrote."""

from __future__ import annotations

import math

import pytest

from tutor.core.ngram import BOS, EOS, Bigram

SENTENCES = [["犬", "が", "走る"], ["猫", "が", "寝る"], ["犬", "が", "寝る"]]


def test_counts_and_probabilities() -> None:
    lm = Bigram.fit(SENTENCES, k=0.0)
    assert lm.count("犬", "が") == 2 and lm.count(BOS, "犬") == 2
    assert lm.prob("が", "寝る") == pytest.approx(2 / 3)
    assert lm.next_words("が")[0][:2] == ("寝る", 2)
    # The chain rule: a sentence's probability is the product of its bigram probabilities.
    expected = math.log(2 / 3) + math.log(1) + math.log(1 / 3) + math.log(1)
    assert lm.sentence_logprob(["犬", "が", "走る"]) == pytest.approx(expected)


def test_smoothing_keeps_unseen_pairs_possible() -> None:
    lm = Bigram.fit(SENTENCES, k=0.1)
    assert 0 < lm.prob("猫", "走る") < lm.prob("猫", "が")
    total = sum(lm.prob("が", w) for w in lm.vocab)
    assert total == pytest.approx(1.0)
    assert lm.perplexity(SENTENCES) < lm.perplexity([["寝る", "猫", "走る"]])


def test_generation_follows_seen_pairs_and_is_seeded() -> None:
    lm = Bigram.fit(SENTENCES)
    for seed in range(10):
        words = lm.generate(seed=seed)
        seq = [BOS, *words, EOS]
        assert all(lm.count(a, b) > 0 for a, b in zip(seq, seq[1:-1]))
    assert lm.generate(seed=3) == lm.generate(seed=3)
    assert lm.generate(["猫"], seed=1)[0] == "猫"
