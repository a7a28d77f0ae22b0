"""Train word2vec (CBOW or skip-gram) with gensim on our MeCab tokens.

:func:`train` takes tokenized sentences and a :class:`~tutor.core.word2vec.W2VConfig`,
calls ``on_progress`` many times per epoch (from gensim's producer thread) with
a :class:`Progress`, and returns :class:`~tutor.core.word2vec.WordVectors`.
``should_stop`` is polled between sentences; once it says so, the remaining
epochs run empty and :class:`~tutor.core.train.TrainingCancelled` is raised.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from .. import corpus
from ..text import tokenize
from ..word2vec import W2VConfig, WordVectors
from . import TrainingCancelled

#: How often, in sentences, progress is reported within an epoch.
REPORT_EVERY = 2000


@dataclass(frozen=True)
class Progress:
    """Where a training run is; ``losses`` holds the mean loss per word of each finished epoch."""

    epoch: int  # 1-based, the epoch under way
    epochs: int
    sentences: int  # done in this epoch
    total_sentences: int
    words_per_s: float
    elapsed: float
    losses: tuple[float, ...] = field(default_factory=tuple)

    @property
    def fraction(self) -> float:
        """Share of the whole run done, 0..1."""
        per_epoch = self.sentences / max(self.total_sentences, 1)
        return min(1.0, ((self.epoch - 1) + per_epoch) / max(self.epochs, 1))


def corpus_sentences(data_dir: Path, split: str = "train", limit: int | None = None) -> list[list[str]]:
    """The corpus's Japanese side, tokenized by our MeCab pipeline."""
    return [toks for pair in corpus.read_pairs(data_dir, split, limit) if (toks := tokenize(pair.ja))]


class _Feed:
    """The corpus as gensim reads it: counts sentences and words, and can be stopped."""

    def __init__(self, sentences: Sequence[list[str]], tick: Callable[[int, int], None], should_stop):
        self.sentences = sentences
        self.tick = tick
        self.should_stop = should_stop
        self.stopped = False

    def __iter__(self) -> Iterator[list[str]]:
        words = 0
        for n, sentence in enumerate(self.sentences, 1):
            if self.stopped or self.should_stop():
                self.stopped = True
                return
            words += len(sentence)
            yield sentence
            if n % REPORT_EVERY == 0:
                self.tick(n, words)
        self.tick(len(self.sentences), words)


def train(
    sentences: Sequence[list[str]],
    config: W2VConfig,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> WordVectors:
    """Train one word2vec model; the returned vectors carry the run's figures in ``meta``."""
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    logging.getLogger("gensim").setLevel(logging.ERROR)
    if not sentences:
        raise ValueError("学習に使う文がありません。")
    state = {"epoch": 1, "t_train": time.perf_counter(), "words": 0}
    losses: list[float] = []
    t0 = time.perf_counter()

    def report(n: int, words: int) -> None:
        if on_progress is None:
            return
        # Averaged over the run so far: gensim reads the corpus a little ahead of its
        # workers, so a per-epoch rate would jump around.
        elapsed = time.perf_counter() - state["t_train"]
        done = (state["epoch"] - 1) * state["words"] + words
        on_progress(
            Progress(
                epoch=state["epoch"],
                epochs=config.epochs,
                sentences=n,
                total_sentences=len(sentences),
                words_per_s=done / elapsed if elapsed > 0 else 0.0,
                elapsed=time.perf_counter() - t0,
                losses=tuple(losses),
            )
        )

    class EpochLoss(CallbackAny2Vec):
        # gensim keeps one float32 running loss that stops growing past ~1e8; zero it
        # every epoch and read it at the epoch's end instead.
        def on_epoch_begin(self, model):
            model.running_training_loss = 0.0

        def on_epoch_end(self, model):
            if feed.stopped:  # leave at once: the remaining epochs would each still start threads
                raise TrainingCancelled()
            words = max(state["words"], 1)
            losses.append(float(model.get_latest_training_loss()) / words)
            state["epoch"] = min(state["epoch"] + 1, config.epochs)

    feed = _Feed(sentences, report, should_stop)
    model = Word2Vec(
        vector_size=config.vector_size,
        window=config.window,
        min_count=config.min_count,
        sg=int(config.sg),
        negative=config.negative,
        hs=0,
        sample=config.sample,
        alpha=config.alpha,
        seed=config.seed,
        workers=config.workers,
        compute_loss=True,
    )
    model.build_vocab(sentences)
    if len(model.wv) == 0:
        raise ValueError(f"出現回数が {config.min_count} 回以上の語がありません。最小出現回数を下げてください。")
    state["words"] = sum(len(s) for s in sentences)
    t_train = state["t_train"] = time.perf_counter()
    model.train(
        feed, total_examples=len(sentences), epochs=config.epochs, callbacks=[EpochLoss()], compute_loss=True
    )
    if feed.stopped:  # stopped during the last epoch
        raise TrainingCancelled()
    state["epoch"] = config.epochs
    report(len(sentences), state["words"])  # the last word: 100 %, every epoch's loss
    wv = model.wv
    counts = np.array([wv.get_vecattr(w, "count") for w in wv.index_to_key], dtype=np.int64)
    meta = {
        "train_seconds": round(time.perf_counter() - t_train, 2),
        "sentences": len(sentences),
        "tokens": state["words"],
        "vocabulary": len(wv),
        "loss_per_epoch": [round(x, 4) for x in losses],
    }
    return WordVectors(list(wv.index_to_key), np.array(wv.vectors), counts, config, meta)


def sentences_from(lines: Iterable[str]) -> list[list[str]]:
    """Tokenize raw Japanese lines (for a learner's own text or a test corpus)."""
    return [toks for line in lines if (toks := tokenize(corpus.raw_japanese(line)))]
