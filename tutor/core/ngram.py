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
from pathlib import Path

from .checkpoint import card_command

BOS, EOS = "<s>", "</s>"
#: The bundled model's folder under models/.
BUNDLED = "bigram-ja"


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

    @property
    def pair_count(self) -> int:
        return sum(len(row) for row in self.pairs.values())

    def total(self, prev: str) -> int:
        """How many times ``prev`` was followed by anything (its count as a left word)."""
        row = self.pairs.get(prev)
        return sum(row.values()) if row else 0

    def save(self, folder: Path, meta: dict | None = None, card: str | None = None) -> None:
        """The counts as three integer arrays (left word, right word, count) in safetensors."""
        import numpy as np

        from . import checkpoint

        words = [BOS, *sorted(self.vocab - {EOS}), EOS]
        index = {w: i for i, w in enumerate(words)}
        rows = [(index[a], index[b], c) for a, row in self.pairs.items() for b, c in row.items()]
        rows.sort()
        arr = np.array(rows, dtype=np.int32).reshape(-1, 3)

        def write(path: Path) -> None:
            checkpoint.save_arrays(path, {"left": arr[:, 0], "right": arr[:, 1], "count": arr[:, 2]})

        config = {"kind": "bigram", "k": self.k, "meta": meta or {}}
        checkpoint.write_folder(folder, write, config, words, card)


def load(folder: Path) -> tuple[Bigram, dict]:
    """A saved bigram model (checked against the manifest) and its config's meta."""
    from . import checkpoint

    folder = Path(folder)
    checkpoint.verify(folder)
    config = checkpoint.read_json(folder / checkpoint.CONFIG)
    checkpoint.expect_kind(folder, config, "bigram")
    words = checkpoint.read_json(folder / checkpoint.VOCAB)
    arrays = checkpoint.load_arrays(folder / checkpoint.WEIGHTS)
    if not isinstance(config, dict) or config.get("kind") != "bigram" or not isinstance(words, list):
        raise checkpoint.ModelCorrupt(f"{folder} はバイグラムモデルではありません。")
    if not all(k in arrays for k in ("left", "right", "count")):
        raise checkpoint.ModelCorrupt(f"{folder} の数え上げが欠けています。")
    n = len(words)
    left, right, count = (arrays[k].tolist() for k in ("left", "right", "count"))
    if any(not 0 <= i < n for i in left) or any(not 0 <= i < n for i in right):
        raise checkpoint.ModelCorrupt(f"{folder} の語の番号が語彙の範囲を超えています。")
    model = Bigram(float(config.get("k", 0.01)))
    model.vocab = set(words) - {BOS}
    for a, b, c in zip(left, right, count):
        model.pairs[words[a]][words[b]] = c
    return model, config.get("meta", {})


def model_card(model: Bigram, meta: dict, command: str) -> str:
    return "\n".join([
        "# bigram-ja",
        "",
        "Word-pair counts for lesson L3 (C9): how often each MeCab token follows",
        "another in the Japanese side of small_parallel_enja (train split), with",
        "the marks <s> (sentence start) and </s> (sentence end), the validation split",
        "left out. Probabilities are",
        f"computed from the counts with add-k smoothing (k = {model.k}).",
        "",
        *card_command(command),
        "## Figures",
        "",
        f"- sentences: {meta.get('sentences', 0):,}",
        f"- vocabulary (with </s>): {len(model.vocab):,}",
        f"- distinct pairs: {model.pair_count:,}",
        *([f"- {meta['carved']}"] if meta.get("carved") else []),
        f"- validation perplexity per token (k chosen on it): {meta.get('valid_perplexity', float('nan')):.1f}",
        f"- dev perplexity per token (held out, measured once): {meta.get('dev_perplexity', float('nan')):.1f}",
        f"- counting time (MeCab included): {meta.get('seconds', 0):.1f} s",
        "",
        "## Choosing k",
        "",
        "Validation perplexity per token for each add-k value tried; the lowest is kept.",
        "",
        "| k | validation perplexity |",
        "|---|---|",
        *(f"| {k} | {ppl} |" for k, ppl in meta.get("k_sweep", {}).items()),
        "",
    ])


@dataclass
class KneserNey:
    """An interpolated Kneser-Ney n-gram model (order 2: bigram, 3: trigram), a strong count baseline.

    The highest order discounts each seen count by ``d`` and gives the freed mass
    to the next lower order; lower orders count in how many different contexts a
    word follows (continuation counts), not how often. The lowest order adds one
    to those counts over the whole vocabulary, so every word keeps some probability.
    Words outside ``vocab`` are read as ``unk``.
    """

    order: int = 3
    d: float = 0.75
    vocab: set[str] = field(default_factory=set)
    unk: str = "<unk>"
    counts: list[dict] = field(default_factory=list)  # per order k (1..n): context tuple (len k-1) -> Counter of next
    _totals: list[dict] = field(default_factory=list)
    _types: list[dict] = field(default_factory=list)

    @classmethod
    def fit(cls, sentences: Iterable[Sequence[str]], order: int = 3, vocab: set[str] | None = None, d: float = 0.75,
            unk: str = "<unk>") -> "KneserNey":
        sentences = [list(s) for s in sentences]
        if vocab is None:
            vocab = {w for s in sentences for w in s}
        model = cls(order, d, set(vocab) | {EOS, unk}, unk)
        highest: dict[tuple, Counter] = defaultdict(Counter)
        for s in sentences:
            words = [BOS] * (order - 1) + [w if w in model.vocab else unk for w in s] + [EOS]
            for i in range(order - 1, len(words)):
                highest[tuple(words[i - order + 1 : i])][words[i]] += 1
        counts: list[dict] = [None] * (order + 1)  # type: ignore[list-item]
        counts[order] = highest
        for k in range(order - 1, 0, -1):  # continuation counts: distinct words before (context, w)
            lower: dict[tuple, Counter] = defaultdict(Counter)
            for ctx, row in counts[k + 1].items():
                for w in row:
                    lower[ctx[1:]][w] += 1
            counts[k] = lower
        model.counts = counts
        model._totals = [None] + [{c: sum(r.values()) for c, r in counts[k].items()} for k in range(1, order + 1)]  # type: ignore[list-item]
        model._types = [None] + [{c: len(r) for c, r in counts[k].items()} for k in range(1, order + 1)]  # type: ignore[list-item]
        return model

    def prob(self, context: Sequence[str], word: str) -> float:
        """p(word | the last order-1 words of ``context``), ``<s>``-padded."""
        known = [w if w in self.vocab or w == BOS else self.unk for w in context]
        ctx = tuple([BOS] * (self.order - 1) + known)[-(self.order - 1) :] if self.order > 1 else ()
        word = word if word in self.vocab else self.unk
        return self._p(self.order, ctx, word)

    def _p(self, k: int, ctx: tuple, word: str) -> float:
        if k == 1:
            row, total = self.counts[1].get((), Counter()), self._totals[1].get((), 0)
            return (row[word] + 1) / (total + len(self.vocab))
        lower = self._p(k - 1, ctx[1:], word)
        total = self._totals[k].get(ctx, 0)
        if not total:
            return lower
        row = self.counts[k][ctx]
        return max(row[word] - self.d, 0) / total + self.d * self._types[k][ctx] / total * lower

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        total, n = 0.0, 0
        for s in sentences:
            for i, w in enumerate([*s, EOS]):
                total += math.log(self.prob(s[:i], w))
                n += 1
        return math.exp(-total / max(n, 1))
