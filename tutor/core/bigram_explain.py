"""The bigram model's figures for lesson L3: a sentence scored pair by pair, and a draw explained.

Pure functions over a :class:`~tutor.core.ngram.Bigram` (no torch, no textual):
the screen only lays out what these return.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from typing import Sequence

from .ngram import BOS, EOS, Bigram


@dataclass(frozen=True)
class Pair:
    """One step p(word | prev) = count / total, with the (smoothed) probability the model gives."""

    prev: str
    word: str
    count: int
    total: int
    prob: float

    @property
    def unseen(self) -> bool:
        """The corpus never had this pair: only smoothing keeps its probability above zero."""
        return self.count == 0


@dataclass(frozen=True)
class SentenceScore:
    pairs: list[Pair]  # <s> w1, w1 w2, ..., wn </s>
    logprob: float  # natural log of the product of the pairs' probabilities

    @property
    def prob(self) -> float:
        return math.exp(self.logprob)

    @property
    def perplexity(self) -> float:
        """exp of the mean negative log probability per predicted word (</s> included)."""
        return math.exp(-self.logprob / len(self.pairs)) if self.pairs else float("nan")


def score(lm: Bigram, words: Sequence[str]) -> SentenceScore:
    """``words`` between <s> and </s>, scored pair by pair."""
    pairs = [Pair(a, b, lm.count(a, b), lm.total(a), lm.prob(a, b)) for a, b in pairwise([BOS, *words, EOS])]
    return SentenceScore(pairs, sum(math.log(p.prob) for p in pairs))


@dataclass(frozen=True)
class Draw:
    """One generated word: the pair's count, and the most frequent followers of ``prev``."""

    prev: str
    word: str
    count: int
    total: int
    candidates: list[tuple[str, int]]


@dataclass(frozen=True)
class Generated:
    seed: int
    words: list[str]
    draws: list[Draw]


def generate(lm: Bigram, seed: int, max_words: int = 25, top: int = 4) -> Generated:
    """A sentence drawn word by word with ``seed``, each draw with the counts behind it.

    The last draw is the end of sentence (</s>) unless the sentence ran to ``max_words``.
    """
    words = lm.generate(seed=seed, max_words=max_words)
    seq = [BOS, *words, EOS] if len(words) < max_words else [BOS, *words]
    draws = [
        Draw(a, b, lm.count(a, b), lm.total(a), [(w, c) for w, c, _ in lm.next_words(a, top)])
        for a, b in pairwise(seq)
    ]
    return Generated(seed, words, draws)
