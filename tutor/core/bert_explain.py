"""What lesson L7's 実験 pages compute, as plain data: blanks, GPT against BERT, masking counts, the live fine-tune.

- :func:`default_blank`: the token a page hides first (the first noun).
- :func:`top_words`: softmax, specials dropped, renormalized, top-k: a
  distribution over words the learner can read.
- :func:`left_only` / :func:`both_sides`: one blank filled by GPT from its left
  side and by BERT from both sides (C35).
- :func:`draw_masks`: :func:`tutor.core.masking.mask_tokens` (the function
  training uses) on one sentence, the last draw and the counts (C34);
  :class:`MaskCounts` adds draws up and gives the shares against the recipe.
- :func:`live_finetune`: features only, then fine-tuned, on the VADER-labelled
  corpus, streaming progress (C37); :func:`sparkline` draws its curves.

torch is imported inside the functions that need it; the pages call them from
their workers and receive lists, floats and dataclasses only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import analyze

#: Candidates shown per blank.
TOP = 10


def tokens_of(sentence: str) -> list[str]:
    return [t.surface for t in analyze(sentence).tokens]


def default_blank(sentence: str) -> int:
    """A sensible first blank: the first noun, else the middle token."""
    tokens = analyze(sentence).tokens
    for i, t in enumerate(tokens):
        if t.pos_major == "名詞":
            return i
    return len(tokens) // 2


# -- candidates --------------------------------------------------------------------------------
def top_words(logits, words: Sequence[str], k: int = TOP, skip: int = 0) -> list[tuple[str, float]]:
    """The ``k`` likeliest words after a softmax over ``logits``, the first ``skip`` ids (specials) removed.

    The rest is renormalized, so the probabilities are those of a model that
    can only answer with words; they are in decreasing order.
    """
    import torch

    probs = torch.softmax(torch.as_tensor(logits).detach().float().cpu(), -1)
    probs[:skip] = 0  # <pad> <s> </s> <unk> … are not words to offer
    total = probs.sum()
    if total > 0:
        probs /= total
    top = torch.topk(probs, min(k, probs.numel()))
    return [(words[int(i)], float(p)) for p, i in zip(top.values, top.indices)]


#: GPT's specials (<pad> <s> </s> <unk>) come first in its vocabulary.
GPT_SPECIALS = 4


def left_only(gpt, tokens: Sequence[str], index: int, k: int = TOP) -> list[tuple[str, float]]:
    """GPT's candidates for ``tokens[index]``, reading only the tokens before it."""
    from .gpt_lm import join

    return top_words(gpt.next_logits(join(list(tokens[:index]))), gpt.vocab.tokens, k, GPT_SPECIALS)


def both_sides(bert, tokens: Sequence[str], index: int, k: int = TOP) -> list[tuple[str, float]]:
    """BERT's candidates for ``tokens[index]`` hidden, reading both sides of it."""
    from .gpt_lm import join

    filled = bert.fill(join(list(tokens)), top_k=k, extra_masks=(index,))
    return filled.blanks[0].candidates if filled.blanks else []


@dataclass(frozen=True)
class Versus:
    """One blank, both models: ``gpt`` is None when no GPT is available."""

    tokens: list[str]
    index: int
    gpt: list[tuple[str, float]] | None
    bert: list[tuple[str, float]]

    @property
    def original(self) -> str:
        return self.tokens[self.index]


def versus(bert, gpt, tokens: Sequence[str], index: int, k: int = TOP) -> Versus:
    """``tokens[index]`` (clamped to the sentence) as a blank for BERT and, if given, for GPT."""
    index = max(0, min(index, len(tokens) - 1))
    return Versus(list(tokens), index, left_only(gpt, tokens, index, k) if gpt is not None else None,
                  both_sides(bert, tokens, index, k))


# -- masking -----------------------------------------------------------------------------------
#: What became of a position, as in :mod:`tutor.core.masking` (which imports torch, so screens read them here).
KEPT_OUT, MASKED, RANDOM, UNCHANGED = 0, 1, 2, 3

@dataclass(frozen=True)
class MaskCounts:
    """Positions counted over draws: every real token, and what became of the chosen ones."""

    draws: int = 0
    real: int = 0
    masked: int = 0
    random: int = 0
    unchanged: int = 0

    def __add__(self, other: MaskCounts) -> MaskCounts:
        return MaskCounts(self.draws + other.draws, self.real + other.real, self.masked + other.masked,
                          self.random + other.random, self.unchanged + other.unchanged)

    @property
    def chosen(self) -> int:
        return self.masked + self.random + self.unchanged

    def shares(self) -> list[tuple[str, int, int, float, float]]:
        """-> (what, count, out of, share, the recipe's target) for chosen / [MASK] / random / unchanged."""
        rows = (("chosen", self.chosen, self.real, 0.15), ("masked", self.masked, self.chosen, 0.8),
                ("random", self.random, self.chosen, 0.1), ("unchanged", self.unchanged, self.chosen, 0.1))
        return [(name, n, of, n / of if of else 0.0, target) for name, n, of, target in rows]


@dataclass(frozen=True)
class MaskDraw:
    """The last draw: the tokens with [CLS]/[SEP], each position's fate (masking.KEPT_OUT…) and what the model reads."""

    tokens: list[str]
    fates: list[int]
    inputs: list[str]


def draw_masks(lm, tokens: Sequence[str], seed: int, draws: int = 1) -> tuple[MaskDraw, MaskCounts]:
    """Mask the sentence ``draws`` times with the training's own function (one generator seeded ``seed``)."""
    import torch

    from .bert import BERT_SPECIALS, encode
    from .masking import mask_tokens

    ids = torch.tensor([encode(lm.vocab, list(tokens), lm.model.cfg.max_positions)] * draws)
    m = mask_tokens(ids, len(lm.vocab), torch.Generator().manual_seed(seed))
    last = MaskDraw(["[CLS]", *tokens[: ids.size(1) - 2], "[SEP]"], m.fate[-1].tolist(),
                    [lm.vocab.tokens[i] for i in m.inputs[-1].tolist()])
    counts = MaskCounts(draws, int((ids >= len(BERT_SPECIALS)).sum()),
                        *(int((m.fate == f).sum()) for f in (MASKED, RANDOM, UNCHANGED)))
    return last, counts


#: ``own(ids (N,), seed, vocab_size, mask_id, special_ids) -> (inputs (N,), labels (N,))``: a masking
#: function written as 演習 mlm-mask asks (labels -100 where a position was not chosen).
OwnMasking = Callable[[np.ndarray, int, int, int, list], tuple]


class OwnMaskingError(ValueError):
    """The stand-in masking function returned something the lesson cannot draw."""


def draw_masks_with(own: OwnMasking, lm, tokens: Sequence[str], seed: int,
                    draws: int = 1) -> tuple[MaskDraw, MaskCounts]:
    """:func:`draw_masks` with ``own`` doing the masking: the ``draws`` copies of the sentence go to it as
    one long sequence (every position is drawn on its own), and each position's fate is read back."""
    from .bert import BERT_SPECIALS, MASK_ID, encode

    row = np.array(encode(lm.vocab, list(tokens), lm.model.cfg.max_positions), dtype=np.int64)
    ids = np.tile(row, draws)
    out = own(ids, seed, len(lm.vocab), MASK_ID, list(range(len(BERT_SPECIALS))))
    try:
        inputs, labels = (np.asarray(x) for x in out)
    except (TypeError, ValueError):
        raise OwnMaskingError(f"(inputs, labels) の組を返していません（{type(out).__name__}）") from None
    for name, value in (("inputs", inputs), ("labels", labels)):
        if value.shape != ids.shape or value.dtype.kind not in "iu":
            raise OwnMaskingError(f"{name} は形 {ids.shape} の整数の配列のはずですが、"
                                  f"{value.shape} {value.dtype} でした")
    if ((inputs < 0) | (inputs >= len(lm.vocab))).any():
        raise OwnMaskingError("inputs に語彙の外の番号があります")
    chosen = labels != -100
    fates = np.full(ids.shape, KEPT_OUT)
    fates[chosen & (inputs == MASK_ID)] = MASKED
    fates[chosen & (inputs != MASK_ID) & (inputs == ids)] = UNCHANGED
    fates[chosen & (inputs != MASK_ID) & (inputs != ids)] = RANDOM
    n = len(row)
    last = MaskDraw(["[CLS]", *tokens[: n - 2], "[SEP]"], fates[-n:].tolist(),
                    [lm.vocab.tokens[i] for i in inputs[-n:]])
    counts = MaskCounts(draws, int((ids >= len(BERT_SPECIALS)).sum()),
                        *(int((fates == f).sum()) for f in (MASKED, RANDOM, UNCHANGED)))
    return last, counts


# -- the live fine-tune ------------------------------------------------------------------------
LIVE_TRAIN = 4500  # labelled sentences used by the live run (the VADER train split at LIVE_THRESHOLD has about 4,500)
LIVE_VALID = 560
# A stricter cut-off than the bundled classifier's (sentiment.THRESHOLD): a half-minute run on a few
# thousand sentences shows the features-only / fine-tuned gap best on the clearest cases. Measured with
# `python benchmarks/bert.py --live`: at 0.5 features only ~65 %, fine-tuned ~79 % (majority ~70 %);
# at 0.2 both runs stay within a few points of the majority class (~66 %).
LIVE_THRESHOLD = 0.5
#: The two runs, in order: (name, encoder frozen).
PHASES = (("features", True), ("finetuned", False))


def live_config():
    from .train.bert import FinetuneConfig

    return FinetuneConfig(epochs=4, batch_size=32, lr=2e-4)


_labels: dict[str, dict] = {}
_lock = threading.Lock()


def live_labels(data_dir) -> dict:
    """The corpus labelled through its English side with VADER (about a second), once per process."""
    from . import sentiment

    key = str(data_dir)
    with _lock:
        if key not in _labels:
            _labels[key] = sentiment.make_labels(data_dir, threshold=LIVE_THRESHOLD)
        return _labels[key]


def overall(phase: int, phases: int, epoch: int, epochs: int, batch: int, batches: int) -> float:
    """The share (0..1) of the whole live run done after ``batch`` of ``epoch`` in run ``phase`` (0-based)."""
    within = ((epoch - 1) * batches + batch) / (epochs * batches) if epochs and batches else 1.0
    return (phase + within) / phases


@dataclass(frozen=True)
class LiveStep:
    """One progress report: which run, the trainer's FinetuneProgress, and the share of both runs done."""

    phase: str
    progress: object
    done: float


def live_finetune(
    lm,
    data_dir: Path,
    on_step: Callable[[LiveStep], None] = lambda step: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> dict[str, tuple[float, object]]:
    """Fine-tune ``lm``'s encoder features only, then end to end -> {phase: (validation accuracy, SentimentModel)}.

    Raises :class:`tutor.core.train.TrainingCancelled` when ``should_stop`` says so.
    """
    from . import bert_lm, sentiment
    from .bert import encode
    from .text import tokenize
    from .train.bert import accuracy, finetune

    labels = live_labels(data_dir)
    n = lm.model.cfg.max_positions

    def encoded(rows):
        data = sentiment.resolve(data_dir, rows)
        return [encode(lm.vocab, tokenize(s), n) for s in data.texts], data.labels

    train = encoded(labels["train"][:LIVE_TRAIN])
    valid = encoded(labels["valid"][:LIVE_VALID])
    cfg = live_config()
    results: dict[str, tuple[float, object]] = {}
    for k, (phase, freeze) in enumerate(PHASES):
        def progress(p, phase=phase, k=k) -> None:
            on_step(LiveStep(phase, p, overall(k, len(PHASES), p.epoch, p.epochs, p.batch, p.batches)))

        model, _ = finetune(lm.model, train, valid, cfg, freeze=freeze, on_progress=progress,
                            should_stop=should_stop, device=device)
        model.to(device)
        results[phase] = (accuracy(model, *valid), bert_lm.SentimentModel(model, lm.vocab))
    return results


def classifier_kind(meta: dict) -> tuple[str, int | None]:
    """How the bundled classifier was trained, from its meta: ("lora", rank), ("top", layers) or ("all", None)."""
    low_rank, top = meta.get("lora"), meta.get("top_layers")
    if low_rank:
        return "lora", int(low_rank["rank"])
    return ("all", None) if top is None else ("top", int(top))


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], width: int = 60, lo: float | None = None, hi: float | None = None) -> str:
    """``values`` averaged into at most ``width`` buckets, each drawn as one of eight block heights between lo and
    hi."""
    if not values:
        return ""
    step = max(1, len(values) // width + (1 if len(values) % width else 0))
    points = [sum(values[i : i + step]) / len(values[i : i + step]) for i in range(0, len(values), step)]
    lo = min(points) if lo is None else lo
    hi = max(points) if hi is None else hi
    span = (hi - lo) or 1.0
    return "".join(SPARK[max(0, min(7, int((v - lo) / span * 7.999)))] for v in points)
