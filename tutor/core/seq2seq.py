"""An RNN encoder-decoder translating Japanese to English, with or without attention.

Read top-down, in the order of the papers:

- :class:`Encoder`: a bidirectional GRU over the Japanese tokens; each position's
  two directions are merged into one state ``h_s`` the decoder can compare with,
  and the two final states make the decoder's first state (the only thing the
  ``plain`` variant ever sees: the bottleneck).
- :class:`Attention`: scores every encoder state against the decoder state,
  softmax, weighted sum (the context). Scores (Luong et al. 2015): ``dot``
  sᵀh, ``general`` sᵀWh, ``concat`` vᵀtanh(W[s; h]); ``additive`` is the same
  form used the Bahdanau et al. (2015) way. Returns its weights so they can be drawn.
- :class:`Decoder`: one step at a time. Luong variants attend *after* the GRU
  step with the new state and feed the attentional state back in at the next
  step (input feeding); ``additive`` attends *before* the step with the previous
  state and feeds the context into the GRU. ``hard`` attention (inference only)
  puts all weight on the single best source position.

The output layer shares its weights with the target embedding (tied), which
keeps each model small enough to bundle several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .variants import VARIANT_NAMES, VARIANTS  # noqa: F401  (re-exported)
from .vocab import BOS_ID, PAD_ID


@dataclass(frozen=True)
class Seq2SeqConfig:
    """Everything needed to rebuild a model without the training script; saved as config.json."""

    variant: str = "general"
    src_vocab: int = 0
    tgt_vocab: int = 0
    emb: int = 128
    hidden: int = 256
    dropout: float = 0.2
    max_len: int = 40  # longest translation produced, in tokens

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}; expected one of {VARIANTS}")

    @property
    def attention(self) -> bool:
        return self.variant != "plain"

    def to_json(self) -> dict:
        return {"kind": "seq2seq", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Seq2SeqConfig":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class Encoder(nn.Module):
    def __init__(self, cfg: Seq2SeqConfig) -> None:
        super().__init__()
        self.embed = nn.Embedding(cfg.src_vocab, cfg.emb, padding_idx=PAD_ID)
        self.rnn = nn.GRU(cfg.emb, cfg.hidden, batch_first=True, bidirectional=True)
        self.merge = nn.Linear(2 * cfg.hidden, cfg.hidden)  # both directions -> one state per position
        self.bridge = nn.Linear(2 * cfg.hidden, cfg.hidden)  # final states -> decoder's first state
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, src: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """src (B, S) ids, lengths (B,) -> states (B, S, H), first decoder state (B, H)."""
        x = self.drop(self.embed(src))  # (B, S, E)
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, last = self.rnn(packed)  # last: (2, B, H), forward and backward
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=src.size(1))  # (B, S, 2H)
        states = torch.tanh(self.merge(out))
        first = torch.tanh(self.bridge(torch.cat([last[0], last[1]], dim=-1)))
        return states, first


#: ``own(kind, queries (B, H), keys (B, S, H), W, v) -> scores (B, S)``, numpy in and out: a stand-in
#: for :meth:`Attention.scores` in this thread only, while :func:`own_scores` is active (lesson L4 runs
#: the real translator on the learner's own score function). W and v are as the lesson writes them
#: (see :meth:`Attention.lesson_weights`).
OwnScores = Callable[[str, np.ndarray, np.ndarray, "np.ndarray | None", "np.ndarray | None"], np.ndarray]
_OWN_SCORES: ContextVar[OwnScores | None] = ContextVar("own_scores", default=None)


class OwnScoresError(ValueError):
    """The stand-in score function returned something that is not (B, S) finite numbers."""


@contextmanager
def own_scores(own: OwnScores) -> Iterator[None]:
    """Within this block (and this thread), every attention layer scores with ``own``."""
    token = _OWN_SCORES.set(own)
    try:
        yield
    finally:
        _OWN_SCORES.reset(token)


class Attention(nn.Module):
    def __init__(self, score: str, hidden: int) -> None:
        super().__init__()
        self.score = score
        if score == "general":
            self.W = nn.Linear(hidden, hidden, bias=False)
        elif score in ("concat", "additive"):
            self.Wq = nn.Linear(hidden, hidden, bias=False)  # W[s; h] = Wq s + Wk h
            self.Wk = nn.Linear(hidden, hidden, bias=False)
            self.v = nn.Linear(hidden, 1, bias=False)

    def lesson_weights(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(W, v) in the lesson's notation: general s^T W h (W (H, H)); concat / additive v^T tanh(W [s; h])
        with W = [Wq Wk] (H, 2H) and v (H,). dot has neither."""
        if self.score == "general":
            return self.W.weight.detach().cpu().double().numpy(), None
        if self.score in ("concat", "additive"):
            W = torch.cat([self.Wq.weight, self.Wk.weight], dim=1)
            return W.detach().cpu().double().numpy(), self.v.weight[0].detach().cpu().double().numpy()
        return None, None

    def project(self, keys: Tensor) -> Tensor | None:
        """The part of the score that depends on the keys alone (W h for general, Wk h for concat and
        additive), computed once per sentence instead of at every decoder step. None for dot."""
        if self.score == "general":
            return self.W(keys)
        if self.score in ("concat", "additive"):
            return self.Wk(keys)
        return None

    def scores(self, query: Tensor, keys: Tensor, projected: Tensor | None = None) -> Tensor:
        """query (B, H), keys (B, S, H) -> raw scores (B, S). ``projected`` is :meth:`project` of the keys."""
        own = _OWN_SCORES.get()
        if own is not None:
            return self._own_scores(own, query, keys)
        if self.score == "dot":
            return torch.bmm(keys, query.unsqueeze(2)).squeeze(2)
        if projected is None:
            projected = self.project(keys)
        if self.score == "general":
            return torch.bmm(projected, query.unsqueeze(2)).squeeze(2)
        return self.v(torch.tanh(self.Wq(query).unsqueeze(1) + projected)).squeeze(2)

    def _own_scores(self, own: OwnScores, query: Tensor, keys: Tensor) -> Tensor:
        W, v = self.lesson_weights()
        out = own(self.score, query.detach().cpu().double().numpy(), keys.detach().cpu().double().numpy(), W, v)
        try:
            scores = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise OwnScoresError(f"スコアを数の配列にできません（{type(out).__name__}）") from None
        if scores.shape != tuple(keys.shape[:2]):
            raise OwnScoresError(f"スコアの形が {scores.shape} です（期待 {tuple(keys.shape[:2])}）")
        if not np.isfinite(scores).all():
            raise OwnScoresError("スコアに nan か inf があります")
        return torch.as_tensor(scores, dtype=query.dtype, device=query.device)

    def forward(
        self, query: Tensor, keys: Tensor, mask: Tensor, hard: bool = False, projected: Tensor | None = None
    ) -> tuple[Tensor, Tensor]:
        """-> context (B, H), weights (B, S): a distribution over the real (unpadded) positions."""
        e = self.scores(query, keys, projected).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(e, dim=-1)
        if hard:  # all weight on the best position: the context is that one encoder state
            weights = nn.functional.one_hot(weights.argmax(-1), weights.size(-1)).to(weights.dtype)
        context = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)
        return context, weights


@dataclass
class DecoderState:
    """What the decoder carries from one step to the next; every tensor has the batch first."""

    s: Tensor  # (B, H) GRU state
    feed: Tensor  # (B, H) previous attentional state (input feeding); zeros for plain / additive

    def select(self, index: Tensor) -> "DecoderState":
        """Keep or repeat batch rows (beam search)."""
        return DecoderState(self.s.index_select(0, index), self.feed.index_select(0, index))


class Decoder(nn.Module):
    def __init__(self, cfg: Seq2SeqConfig) -> None:
        super().__init__()
        self.variant = cfg.variant
        self.embed = nn.Embedding(cfg.tgt_vocab, cfg.emb, padding_idx=PAD_ID)
        extra = 0 if cfg.variant == "plain" else cfg.hidden  # input feeding or the context
        self.cell = nn.GRUCell(cfg.emb + extra, cfg.hidden)
        self.attention = Attention(cfg.variant, cfg.hidden) if cfg.attention else None
        combine_in = cfg.hidden * (2 if cfg.attention else 1)
        self.combine = nn.Linear(combine_in, cfg.hidden)  # h~ = tanh(Wc [c; s])
        self.to_emb = nn.Linear(cfg.hidden, cfg.emb)
        self.bias = nn.Parameter(torch.zeros(cfg.tgt_vocab))
        self.drop = nn.Dropout(cfg.dropout)

    def start(self, first: Tensor) -> DecoderState:
        return DecoderState(first, torch.zeros_like(first))

    def project(self, keys: Tensor) -> Tensor | None:
        """What every step's attention needs from the keys alone; pass it to :meth:`step` as ``projected``."""
        return None if self.attention is None else self.attention.project(keys)

    def step(
        self, prev: Tensor, state: DecoderState, keys: Tensor, mask: Tensor, hard: bool = False,
        projected: Tensor | None = None,
    ) -> tuple[Tensor, DecoderState, Tensor | None]:
        """prev (B,) ids -> logits (B, V), next state, attention weights (B, S) or None."""
        out, state, weights = self.step_state(prev, state, keys, mask, hard, projected)
        return self.logits(out), state, weights

    def step_state(
        self, prev: Tensor, state: DecoderState, keys: Tensor, mask: Tensor, hard: bool = False,
        projected: Tensor | None = None,
    ) -> tuple[Tensor, DecoderState, Tensor | None]:
        """One step up to the attentional state h~ (B, H), before the output layer."""
        y = self.drop(self.embed(prev))  # (B, E)
        weights = None
        if self.variant == "plain":
            s = self.cell(y, state.s)
            out = torch.tanh(self.combine(s))
        elif self.variant == "additive":  # attend with the previous state, feed the context in
            context, weights = self.attention(state.s, keys, mask, hard, projected)
            s = self.cell(torch.cat([y, context], -1), state.s)
            out = torch.tanh(self.combine(torch.cat([context, s], -1)))
        else:  # Luong: step, then attend with the new state; feed h~ to the next step
            s = self.cell(torch.cat([y, state.feed], -1), state.s)
            context, weights = self.attention(s, keys, mask, hard, projected)
            out = torch.tanh(self.combine(torch.cat([context, s], -1)))
        feed = out if self.variant in ("dot", "general", "concat") else state.feed
        return out, DecoderState(s, feed), weights

    def logits(self, out: Tensor) -> Tensor:
        """h~ (..., H) -> logits (..., V) through the tied output layer."""
        return self.to_emb(self.drop(out)) @ self.embed.weight.t() + self.bias


class Seq2Seq(nn.Module):
    def __init__(self, cfg: Seq2SeqConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    def encode(self, src: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor, DecoderState]:
        """-> keys (B, S, H), mask (B, S) true on real tokens, the decoder's first state."""
        keys, first = self.encoder(src, lengths)
        mask = src != PAD_ID
        return keys, mask, self.decoder.start(first)

    def forward(
        self, src: Tensor, lengths: Tensor, tgt_in: Tensor, teacher_forcing: float = 1.0
    ) -> tuple[Tensor, Tensor | None]:
        """Training pass. tgt_in (B, T) starts with <s>. -> logits (B, T, V), attention (B, T, S) or None.

        With ``teacher_forcing`` = p < 1, each step (for the whole batch at once)
        feeds the reference word with probability p and the model's own previous
        guess otherwise.
        """
        keys, mask, state = self.encode(src, lengths)
        projected = self.decoder.project(keys)
        prev = tgt_in[:, 0]
        outs, attn = [], []
        for t in range(tgt_in.size(1)):
            out, state, weights = self.decoder.step_state(prev, state, keys, mask, projected=projected)
            outs.append(out)
            if weights is not None:
                attn.append(weights)
            if t + 1 < tgt_in.size(1):
                use_ref = teacher_forcing >= 1.0 or torch.rand(()) < teacher_forcing
                prev = tgt_in[:, t + 1] if use_ref else self.decoder.logits(out).argmax(-1)
        # The output layer runs once over every step (one large product rather than T small ones).
        return self.decoder.logits(torch.stack(outs, 1)), (torch.stack(attn, 1) if attn else None)


def start_tokens(batch: int, device=None) -> Tensor:
    return torch.full((batch,), BOS_ID, dtype=torch.long, device=device)
