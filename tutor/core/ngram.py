"""A bigram language model from corpus counts (lesson L3, C9).

p(x1..xN) = Π p(xn | xn-1): the probability of the next word given only the
one before it, estimated by counting. Add-k smoothing keeps an unseen pair from
making a whole sentence impossible. ``generate`` samples word by word with its
own random generator, so a seed gives the same text every time.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

BOS, EOS = "<s>", "</s>"


@dataclass
class Bigram:
    k: float = 0.01  # add-k smoothing
    pairs: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    vocab: set[str] = field(default_factory=set)

    @classmethod
    def fit(cls, sentences: Iterable[Sequence[str]], k: float = 0.01) -> "Bigram":
        model = cls(k)
        for s in sentences:
            words = [BOS, *s, EOS]
            model.vocab.update(s)
            for a, b in zip(words, words[1:]):
                model.pairs[a][b] += 1
        model.vocab.add(EOS)
        return model

    def count(self, prev: str, word: str) -> int:
        return self.pairs.get(prev, Counter())[word]

    def prob(self, prev: str, word: str) -> float:
        """p(word | prev) with add-k smoothing over the vocabulary (plus the end mark)."""
        row = self.pairs.get(prev, Counter())
        return (row[word] + self.k) / (sum(row.values()) + self.k * len(self.vocab))

    def next_words(self, prev: str, n: int = 10) -> list[tuple[str, int, float]]:
        """The most frequent followers of ``prev``: (word, count, probability)."""
        return [(w, c, self.prob(prev, w)) for w, c in self.pairs.get(prev, Counter()).most_common(n)]

    def sentence_logprob(self, words: Sequence[str]) -> float:
        seq = [BOS, *words, EOS]
        return sum(math.log(self.prob(a, b)) for a, b in zip(seq, seq[1:]))

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        total, n = 0.0, 0
        for s in sentences:
            total += self.sentence_logprob(s)
            n += len(s) + 1
        return math.exp(-total / max(n, 1))

    def generate(self, start: Sequence[str] = (), seed: int = 0, max_words: int = 30) -> list[str]:
        """Sample the following words from the counts (seen pairs only) until the end mark."""
        rng = random.Random(seed)
        words = list(start)
        prev = words[-1] if words else BOS
        for _ in range(max_words):
            row = self.pairs.get(prev)
            if not row:
                break
            choices, weights = zip(*row.items())
            prev = rng.choices(choices, weights)[0]
            if prev == EOS:
                break
            words.append(prev)
        return words
