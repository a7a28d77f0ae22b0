"""What the L3 and L4 screens show of an RNN translator, step by step, as plain data.

Each function takes a :class:`~tutor.core.translator.Translator` and source words
(or ids) and returns small dataclasses: the screens never touch the network
itself. torch is imported when a function runs, so importing this module is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .attention_explain import StepExplanation
    from .translator import Translator
    from .unroll import Unrolled


def encode(translator: Translator, words: Sequence[str]) -> list[int]:
    """The source ids of ``words`` (unknown words map to <unk>)."""
    return translator.src_vocab.encode(list(words))


def unroll_words(translator: Translator, words: Sequence[str]) -> Unrolled:
    """The encoder's hidden state after each of ``words`` (see :mod:`tutor.core.unroll`)."""
    from .unroll import unroll

    return unroll(translator.model, encode(translator, words))


@dataclass(frozen=True)
class Row:
    """One produced target word: its probability, where the model looked (None: no attention), its id."""

    word: str
    weights: list[float] | None
    prob: float
    token_id: int


def greedy_rows(translator: Translator, src_ids: Sequence[int], hard: bool = False) -> list[Row]:
    """Greedy decoding (the most probable word each step), the end token left out."""
    from .seq2seq_decode import greedy_steps
    from .vocab import EOS_ID

    vocab = translator.tgt_vocab.tokens
    return [Row(vocab[s.token], s.weights, s.prob, s.token)
            for s in greedy_steps(translator.model, list(src_ids), hard=hard) if s.token != EOS_ID]


@dataclass(frozen=True)
class BeamStep:
    """The beam after one step: (words, score) of the kept, the finished so far, and the pruned candidates."""

    step: int
    alive: list[tuple[str, float]]
    finished: list[tuple[str, float]]
    pruned: list[tuple[str, float]]


@dataclass(frozen=True)
class BeamResult:
    steps: list[BeamStep]
    rows: list[Row]  # the best candidate's words, each with its attention (probability 1.0: a beam has no single one)
    candidates: list[tuple[str, float]] = field(default_factory=list)  # every finished candidate, best first
    pruned: list[int] = field(default_factory=list)  # how many candidates each step dropped


def beam_replay(translator: Translator, src_ids: Sequence[int], width: int, norm: bool,
                hard: bool = False) -> BeamResult:
    """Beam search recorded step by step, so a screen can replay it at the learner's speed.

    ``beam_search`` reports the kept and the pruned candidates of each step, not those
    that just reached </s>; they come back finished, with one token per step before it,
    so a candidate that ended at step t has t tokens.
    """
    from .seq2seq_decode import beam_search

    records: list[tuple[int, list, list]] = []
    hyps = beam_search(translator.model, list(src_ids), width=width, length_norm=norm, hard=hard,
                       on_step=lambda t, alive, dropped: records.append((t, alive, dropped)))
    vocab = translator.tgt_vocab.tokens

    def shown(h) -> tuple[str, float]:
        return " ".join(vocab[i] for i in h.tokens), h.score(norm)

    steps, finished = [], []
    for t, alive, dropped in records:
        finished += [shown(h) for h in hyps if h.finished and len(h.tokens) == t]
        steps.append(BeamStep(t, [shown(h) for h in alive], list(finished), [shown(h) for h in dropped]))
    best = hyps[0]
    rows = [Row(vocab[tok], w, 1.0, tok) for tok, w in zip(best.tokens, best.weights)]
    candidates = [(" ".join(translator.tgt_vocab.decode(h.tokens)), h.score(norm)) for h in hyps]
    return BeamResult(steps, rows, candidates, [len(dropped) for _, _, dropped in records])


def explain_row(translator: Translator, src_ids: Sequence[int], prefix: Sequence[int],
                hard: bool = False) -> StepExplanation | None:
    """The attention step of the target word after ``prefix`` (None for the plain model; ValueError if impossible)."""
    from .attention_explain import explain_step

    return explain_step(translator.model, list(src_ids), list(prefix), hard)


def greedy_words(translator: Translator, words: Sequence[str]) -> list[tuple[str, float]]:
    """The greedy translation of ``words``: each English word with the probability the decoder gave it."""
    return [(r.word, r.prob) for r in greedy_rows(translator, encode(translator, words))]
