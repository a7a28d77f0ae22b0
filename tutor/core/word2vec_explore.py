"""What the L2 screens ask of word vectors: query words from a sentence, rare words, an answer's rank, a 2-D map.

Plain functions over :class:`~tutor.core.word2vec.WordVectors`, so the pages only
draw (issue 14: screens never compute) and each figure has a unit test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .text import analyze
from .word2vec import WordVectors, pca_2d

#: Parts of speech (UniDic's first level) whose words make good queries.
CONTENT_POS = ("名詞", "代名詞", "動詞", "形容詞", "形状詞", "副詞")
#: A word seen fewer times than this in the corpus gets a warning: its vector is mostly noise.
RARE = 20


def content_words(sentence: str, limit: int = 8) -> list[str]:
    """The sentence's content words, in order, once each: the default queries."""
    out: list[str] = []
    for tok in analyze(sentence).tokens:
        # する/いる and the like (非自立可能) and lone kana carry little meaning of their own.
        helper = "非自立可能" in tok.pos or (len(tok.surface) == 1 and "\u3041" <= tok.surface <= "\u309f")
        if tok.pos_major in CONTENT_POS and not helper and tok.surface not in out:
            out.append(tok.surface)
    return out[:limit]


def rare_words(words: Iterable[str], models: Iterable[WordVectors], threshold: int = RARE) -> list[tuple[str, int]]:
    """(word, count) for each distinct query word that every model counted fewer than ``threshold`` times.

    A word no model knows is left out: that is a different message (not in the vocabulary).
    """
    models = list(models)
    rare = []
    for w in dict.fromkeys(words):
        counts = [c for wv in models if (c := wv.count(w)) is not None]
        if counts and max(counts) < threshold:
            rare.append((w, max(counts)))
    return rare


def analogy_rank(wv: WordVectors, a: str, b: str, c: str, expected: str) -> int | None:
    """Where ``expected`` ranks among the answers to a − b + c (1 = the top answer); None if not in the vocabulary."""
    if expected not in wv:
        return None
    ranked = wv.analogy([a, c], [b], len(wv))
    return next((i for i, n in enumerate(ranked, 1) if n.word == expected), None)


@dataclass(frozen=True)
class MapLayout:
    """Words placed on a plane by PCA: each with its group (None for the learner's own words)."""

    words: tuple[str, ...]
    groups: tuple[str | None, ...]
    coords: np.ndarray  # (N, 2)
    shares: tuple[float, float]  # variance share of each axis
    unknown: tuple[str, ...]  # the learner's words the vocabulary lacks


def map_layout(wv: WordVectors, groups: Mapping[str, Iterable[str]], own: Iterable[str]) -> MapLayout:
    """The known words of ``groups`` plus the learner's ``own`` words, projected to 2-D.

    A word of a group that the learner also chose is drawn as theirs (group None).
    """
    words: list[str] = []
    labels: list[str | None] = []
    for name, members in groups.items():
        for w in members:
            if w in wv and w not in words:
                words.append(w)
                labels.append(name)
    unknown = []
    for w in dict.fromkeys(own):
        if w not in wv:
            unknown.append(w)
        elif w in words:
            labels[words.index(w)] = None
        else:
            words.append(w)
            labels.append(None)
    if words:
        coords, shares = pca_2d(np.stack([wv.vector(w) for w in words]))
    else:
        coords, shares = np.zeros((0, 2)), (0.0, 0.0)
    return MapLayout(tuple(words), tuple(labels), coords, shares, tuple(unknown))
