"""Decoding the RNN translator: batched greedy for evaluation, step-by-step greedy
with the attention of each step, and beam search with its candidates.

Everything runs under ``torch.no_grad()`` in eval mode and returns plain lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
from torch import Tensor

from .seq2seq import Seq2Seq, start_tokens
from .vocab import EOS_ID


def device_of(model: torch.nn.Module) -> torch.device:
    """Where the model's weights are: inputs are made there."""
    return next(model.parameters()).device


@torch.no_grad()
def greedy_batch(model: Seq2Seq, src: Tensor, lengths: Tensor, max_len: int | None = None,
                 hard: bool = False) -> list[list[int]]:
    """Greedy translations of a batch -> token ids per sentence, without the end token."""
    model.eval()
    keys, mask, state = model.encode(src, lengths)
    projected = model.decoder.project(keys)
    prev = start_tokens(src.size(0), src.device)
    out = torch.zeros(src.size(0), 0, dtype=torch.long, device=src.device)
    done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    for _ in range(max_len or model.cfg.max_len):
        logits, state, _ = model.decoder.step(prev, state, keys, mask, hard, projected)
        prev = logits.argmax(-1)
        out = torch.cat([out, prev.unsqueeze(1)], 1)
        done |= prev == EOS_ID
        if bool(done.all()):
            break
    result = []
    for row in out.tolist():
        result.append(row[: row.index(EOS_ID)] if EOS_ID in row else row)
    return result


@dataclass(frozen=True)
class Step:
    """One produced target token: its id, its probability, and where the model looked."""

    token: int
    prob: float
    weights: list[float] | None  # over the source tokens; None for the plain model


@torch.no_grad()
def greedy_steps(model: Seq2Seq, src_ids: list[int], hard: bool = False, max_len: int | None = None) -> Iterator[Step]:
    """Translate one sentence, yielding each target token as it is chosen (the end token last)."""
    model.eval()
    dev = device_of(model)
    src = torch.tensor([src_ids], dtype=torch.long, device=dev)
    keys, mask, state = model.encode(src, torch.tensor([len(src_ids)]))
    projected = model.decoder.project(keys)
    prev = start_tokens(1, dev)
    for _ in range(max_len or model.cfg.max_len):
        logits, state, weights = model.decoder.step(prev, state, keys, mask, hard, projected)
        probs = torch.softmax(logits, -1)[0]
        token = int(probs.argmax())
        yield Step(token, float(probs[token]), None if weights is None else weights[0].tolist())
        if token == EOS_ID:
            return
        prev = torch.tensor([token], device=dev)


@dataclass
class Hypothesis:
    tokens: list[int]
    logprob: float
    weights: list[list[float]] = field(default_factory=list)
    finished: bool = False

    def score(self, length_norm: bool) -> float:
        return self.logprob / max(len(self.tokens), 1) if length_norm else self.logprob


@torch.no_grad()
def beam_search(
    model: Seq2Seq,
    src_ids: list[int],
    width: int = 5,
    length_norm: bool = True,
    hard: bool = False,
    max_len: int | None = None,
    on_step=None,
) -> list[Hypothesis]:
    """Keep the ``width`` best partial translations at each step; -> finished hypotheses, best first.

    ``on_step(step, alive, pruned)`` is called after each step with the kept and the
    dropped candidates, so the lesson can show the beam growing and being pruned.
    Width 1 is greedy decoding.
    """
    model.eval()
    dev = device_of(model)
    src = torch.tensor([src_ids], dtype=torch.long, device=dev)
    keys, mask, state = model.encode(src, torch.tensor([len(src_ids)]))
    projected = model.decoder.project(keys)
    beams = [Hypothesis([], 0.0)]
    finished: list[Hypothesis] = []
    for t in range(max_len or model.cfg.max_len):
        k = len(beams)
        prev = torch.tensor([h.tokens[-1] if h.tokens else -1 for h in beams], device=dev)
        prev = torch.where(prev < 0, start_tokens(k, dev), prev)
        logits, new_state, weights = model.decoder.step(
            prev, state, keys.expand(k, -1, -1), mask.expand(k, -1), hard,
            None if projected is None else projected.expand(k, -1, -1),
        )
        logp = torch.log_softmax(logits, -1)  # (k, V)
        total = logp + torch.tensor([h.logprob for h in beams], device=dev).unsqueeze(1)
        top = total.view(-1).topk(min(width * 2, total.numel()))
        candidates = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, token = divmod(flat, logp.size(1))
            parent = beams[row]
            w = parent.weights + ([weights[row].tolist()] if weights is not None else [])
            candidates.append((row, Hypothesis(parent.tokens + [token], value, w, token == EOS_ID)))
        candidates.sort(key=lambda c: c[1].score(length_norm), reverse=True)
        # The best `width` candidates survive this step; those that just ended are set aside.
        alive, rows, pruned = [], [], []
        for rank, (row, hyp) in enumerate(candidates):
            if rank >= width:
                pruned.append(hyp)
            elif hyp.finished:
                finished.append(Hypothesis(hyp.tokens[:-1], hyp.logprob, hyp.weights, True))
            else:
                alive.append(hyp)
                rows.append(row)
        if on_step is not None:
            on_step(t, list(alive), pruned)
        if not alive or len(finished) >= width:
            break
        beams = alive
        state = new_state.select(torch.tensor(rows, device=dev))
    if not finished:
        finished = [Hypothesis(h.tokens, h.logprob, h.weights, False) for h in beams]
    return sorted(finished, key=lambda h: h.score(length_norm), reverse=True)
