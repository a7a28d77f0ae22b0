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
    """Where a training run is; ``losses`` holds :class:`LossProbe`'s loss after each finished epoch."""

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


def training_sentences(data_dir: Path) -> tuple[list[list[str]], str]:
    """Train's Japanese side without the validation split every bundled model leaves out, and how it was drawn."""
    carved = corpus.carve(data_dir)
    return [toks for pair in carved.train if (toks := tokenize(pair.ja))], carved.describe()


#: Sentences in the fixed sample whose loss is measured after every epoch.
PROBE_SENTENCES = 500


class LossProbe:
    """The negative-sampling loss on a fixed sample, measured between epochs.

    gensim's own running loss is shared by its worker threads without a lock, so
    with two workers it loses updates and the per-epoch curve jumps. This probe
    draws (word, context) examples and their negative words once, then measures
    the same objective on them with numpy after each epoch: a clean, comparable curve.

    skip-gram predicts each context word from the centre word; CBOW predicts the
    centre word from the mean of its context vectors. Loss per example:
    -log σ(o_pos · h) - Σ_neg log σ(-o_neg · h).
    """

    def __init__(self, sentences: Sequence[list[str]], wv, config: W2VConfig):
        rng = np.random.default_rng(config.seed)
        picks = rng.choice(len(sentences), size=min(PROBE_SENTENCES, len(sentences)), replace=False)
        centres, contexts = [], []
        w = config.window
        for i in picks:
            ids = [wv.key_to_index[t] for t in sentences[i] if t in wv.key_to_index]
            for pos, centre in enumerate(ids):
                ctx = ids[max(0, pos - w) : pos] + ids[pos + 1 : pos + 1 + w]
                if not ctx:
                    continue
                if config.sg:
                    centres += [centre] * len(ctx)
                    contexts += [[c] for c in ctx]
                else:
                    centres.append(centre)
                    contexts.append(ctx)
        self.sg = config.sg
        self.targets = np.array(centres if not config.sg else [c[0] for c in contexts], dtype=np.int64)
        self.inputs = np.array(centres, dtype=np.int64) if config.sg else None
        width = 2 * w
        self.context = np.zeros((len(contexts), width), dtype=np.int64)  # CBOW: padded context ids
        self.mask = np.zeros((len(contexts), width), dtype=np.float32)
        if not config.sg:
            for r, ctx in enumerate(contexts):
                self.context[r, : len(ctx)] = ctx
                self.mask[r, : len(ctx)] = 1.0
        counts = np.array([wv.get_vecattr(k, "count") for k in wv.index_to_key], dtype=np.float64) ** 0.75
        self.negatives = rng.choice(len(counts), size=(len(self.targets), config.negative), p=counts / counts.sum())

    def __len__(self) -> int:
        return len(self.targets)

    def loss(self, model) -> float:
        if not len(self):
            return float("nan")
        vin, vout = model.wv.vectors, model.syn1neg  # (V, D) input and output vectors
        if self.sg:
            h = vin[self.inputs]  # (N, D)
        else:
            h = (vin[self.context] * self.mask[..., None]).sum(1) / self.mask.sum(1, keepdims=True)
        pos = np.einsum("nd,nd->n", h, vout[self.targets])  # (N,)
        neg = np.einsum("nd,nkd->nk", h, vout[self.negatives])  # (N, k)
        log_sig = lambda x: -np.logaddexp(0.0, -x)  # noqa: E731  log σ(x), stable
        return float(-(log_sig(pos) + log_sig(-neg).sum(1)).mean())


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
        def on_epoch_end(self, model):
            if feed.stopped:  # leave at once: the remaining epochs would each still start threads
                raise TrainingCancelled()
            losses.append(probe.loss(model))
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
    )
    model.build_vocab(sentences)
    if len(model.wv) == 0:
        raise ValueError(f"出現回数が {config.min_count} 回以上の語がありません。最小出現回数を下げてください。")
    state["words"] = sum(len(s) for s in sentences)
    probe = LossProbe(sentences, model.wv, config)
    t_train = state["t_train"] = time.perf_counter()
    model.train(feed, total_examples=len(sentences), epochs=config.epochs, callbacks=[EpochLoss()])
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
