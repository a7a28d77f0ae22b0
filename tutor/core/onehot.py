"""One-hot vectors for the vocabulary of a sentence (concept C4).

The point the lesson makes is in the numbers: the dimension equals the
vocabulary size, and every pair of different words is exactly sqrt(2) apart
with cosine similarity 0, so one-hot vectors know nothing about meaning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OneHot:
    """Vocabulary (in order of first appearance), the ids of the sentence's tokens, and their vectors."""

    vocab: tuple[str, ...]
    ids: tuple[int, ...]  # one id per token of the sentence

    @property
    def dim(self) -> int:
        return len(self.vocab)

    def vector(self, word: str) -> np.ndarray:
        """The one-hot row for ``word`` (KeyError for a word outside the vocabulary)."""
        v = np.zeros(self.dim, dtype=np.int8)
        v[self.vocab.index(word)] = 1
        return v

    def matrix(self) -> np.ndarray:
        """(tokens, dim): one row per token of the sentence."""
        m = np.zeros((len(self.ids), self.dim), dtype=np.int8)
        m[np.arange(len(self.ids)), list(self.ids)] = 1
        return m

    def distances(self, limit: int | None = None) -> np.ndarray:
        """(n, n) Euclidean distances between the vectors of the first ``n`` words (``limit``, else all).

        The pairwise differences take n × n × dim numbers: a screen shows a dozen
        words, so it asks for those only, not for a long sentence's whole vocabulary.
        """
        n = self.dim if limit is None else min(limit, self.dim)
        eye = np.eye(self.dim)[:n]  # (n, dim)
        return np.sqrt(((eye[:, None, :] - eye[None, :, :]) ** 2).sum(-1))

    def cosine(self) -> np.ndarray:
        """(dim, dim) cosine similarities: 1 on the diagonal, 0 everywhere else."""
        eye = np.eye(self.dim)
        return eye @ eye.T

    def to_json(self, tokens: list[str]) -> dict:
        return {
            "vocab": [{"id": i, "word": w} for i, w in enumerate(self.vocab)],
            "tokens": [{"surface": t, "id": i} for t, i in zip(tokens, self.ids)],
            "vectors": self.matrix().tolist(),
            "dim": self.dim,
            "distance_between_different_words": math.sqrt(2) if self.dim > 1 else None,
        }


def build(tokens: list[str]) -> OneHot:
    """Give each distinct token an id in order of first appearance."""
    index: dict[str, int] = {}
    ids = [index.setdefault(t, len(index)) for t in tokens]
    return OneHot(vocab=tuple(index), ids=tuple(ids))
