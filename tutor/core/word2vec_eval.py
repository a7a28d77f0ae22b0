"""How good a set of word vectors is, by the team's evaluation set (assets/word2vec_eval.toml).

Two figures, both asked for by lesson L2's issue and used to choose the bundled
models' parameters:

- **neighbour share**: for every word of every group, the share of its top-10
  neighbours that belong to its own group, averaged over all words. A group of
  g words can place at most g - 1 of them, so the figure's ceiling is below 1;
  ``ceiling`` says what a perfect model would score.
- **analogy accuracy**: the share of "a - b + c = d" items whose top answer
  (the three input words left out) is d; ``analogy_top5`` is the share with d
  among the top five.

A word missing from the vocabulary counts as a miss, so raising min-count
cannot improve the figures by dropping hard words. The neighbour share is also
given separately for rare words (seen fewer than ``RARE_BELOW`` times in the
corpus) and frequent ones, to test the claim that skip-gram serves rare words better.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .word2vec import WordVectors

TOPN = 10
RARE_BELOW = 50


@dataclass(frozen=True)
class EvalSet:
    groups: dict[str, list[str]]
    analogies: list[tuple[str, str, str, str]]  # a - b + c = d

    @classmethod
    def load(cls, path: Path) -> "EvalSet":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        analogies = [tuple(item) for item in data.get("analogies", [])]
        if any(len(a) != 4 for a in analogies):
            raise ValueError(f"{path}: each analogy needs four words (a, b, c, answer)")
        return cls(dict(data.get("groups", {})), analogies)


@dataclass(frozen=True)
class AnalogyResult:
    a: str
    b: str
    c: str
    expected: str
    answers: tuple[str, ...]  # top 5; empty when a word is out of vocabulary
    missing: tuple[str, ...]

    @property
    def correct(self) -> bool:
        return bool(self.answers) and self.answers[0] == self.expected

    @property
    def in_top5(self) -> bool:
        return self.expected in self.answers


@dataclass(frozen=True)
class Quality:
    neighbour_share: float
    ceiling: float
    per_group: dict[str, float]
    coverage: float  # share of group words in the vocabulary
    analogies: tuple[AnalogyResult, ...]
    share_rare: float = 0.0  # words in the vocabulary seen < RARE_BELOW times
    share_frequent: float = 0.0

    @property
    def analogy_accuracy(self) -> float:
        return sum(r.correct for r in self.analogies) / max(len(self.analogies), 1)

    @property
    def analogy_top5(self) -> float:
        return sum(r.in_top5 for r in self.analogies) / max(len(self.analogies), 1)

    def to_json(self) -> dict:
        return {
            "neighbour_share": round(self.neighbour_share, 4),
            "ceiling": round(self.ceiling, 4),
            "coverage": round(self.coverage, 4),
            "share_rare": round(self.share_rare, 4),
            "share_frequent": round(self.share_frequent, 4),
            "analogy_accuracy": round(self.analogy_accuracy, 4),
            "analogy_top5": round(self.analogy_top5, 4),
            "per_group": {k: round(v, 4) for k, v in self.per_group.items()},
            "analogies": [
                {"query": f"{r.a} - {r.b} + {r.c}", "expected": r.expected, "answers": list(r.answers),
                 "missing": list(r.missing)}
                for r in self.analogies
            ],
        }


def evaluate(wv: WordVectors, evalset: EvalSet, topn: int = TOPN) -> Quality:
    per_group, shares, ceilings, known = {}, [], [], 0
    bands: dict[bool, list[float]] = {True: [], False: []}
    for name, words in evalset.groups.items():
        members = set(words)
        group_shares = []
        for word in words:
            ceilings.append(min(len(words) - 1, topn) / topn)
            if word not in wv:
                group_shares.append(0.0)
                continue
            known += 1
            hits = sum(n.word in members for n in wv.similar(word, topn))
            group_shares.append(hits / topn)
            count = wv.count(word)
            if count is not None:
                bands[count < RARE_BELOW].append(hits / topn)
        per_group[name] = sum(group_shares) / len(group_shares)
        shares += group_shares
    results = []
    for a, b, c, d in evalset.analogies:
        missing = tuple(w for w in (a, b, c, d) if w not in wv)
        answers = () if missing else tuple(n.word for n in wv.analogy([a, c], [b], topn=5))
        results.append(AnalogyResult(a, b, c, d, answers, missing))
    n = max(len(shares), 1)
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return Quality(
        sum(shares) / n, sum(ceilings) / n, per_group, known / n, tuple(results),
        share_rare=mean(bands[True]), share_frequent=mean(bands[False]),
    )
