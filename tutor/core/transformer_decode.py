"""Decoding the Transformer translator: batched greedy for evaluation, one sentence with
every attention map, and beam search.

The decoder is rerun on the whole prefix at each step (no key/value cache): for
sentences of this corpus that costs a few milliseconds and keeps the code the
same as the training pass. Because the decoder's self-attention is causal, the
maps of a final pass over the finished translation are exactly the maps each
step saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .seq2seq_decode import Hypothesis, device_of
from .transformer import Transformer
from .vocab import BOS_ID, EOS_ID, PAD_ID


@torch.no_grad()
def greedy_batch(model: Transformer, src: Tensor, max_len: int | None = None) -> list[list[int]]:
    """Greedy translations of a padded batch -> token ids per sentence, without the end token."""
    model.eval()
    memory, src_mask, _ = model.encode(src)
    ys = torch.full((src.size(0), 1), BOS_ID, dtype=torch.long, device=src.device)
    done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    for _ in range(max_len or model.cfg.max_len):
        logits = model.decode(ys, memory, src_mask, last_only=True)[0][:, -1]
        nxt = logits.argmax(-1).masked_fill(done, PAD_ID)
        ys = torch.cat([ys, nxt[:, None]], 1)
        done |= nxt == EOS_ID
        if bool(done.all()):
            break
    out = []
    for row in ys[:, 1:].tolist():
        row = [t for t in row if t != PAD_ID]
        out.append(row[: row.index(EOS_ID)] if EOS_ID in row else row)
    return out


@dataclass(frozen=True)
class Maps:
    """Every attention map of one translation, as nested lists [layer][head][query][key]."""

    encoder: list  # source × source
    decoder: list  # target × target (causal: zero above the diagonal)
    cross: list  # target × source

    def cross_mean_last(self) -> list[list[float]]:
        """The last layer's cross-attention averaged over heads: one row per target token."""
        heads = self.cross[-1]
        return [[sum(h[t][s] for h in heads) / len(heads) for s in range(len(heads[0][0]))]
                for t in range(len(heads[0]))]


@torch.no_grad()
def attention_maps(model: Transformer, src_ids: list[int], tgt_ids: list[int]) -> Maps:
    """The maps of a forward pass over a source and a finished target (rows: each target token as it was produced)."""
    model.eval()
    dev = device_of(model)
    src = torch.tensor([src_ids], dtype=torch.long, device=dev)
    memory, src_mask, enc = model.encode(src)
    tgt_in = torch.tensor([[BOS_ID, *tgt_ids]], dtype=torch.long, device=dev)
    _, dec, cross = model.decode(tgt_in, memory, src_mask)

    def rows(maps: list[Tensor], queries: int) -> list:
        return [m[0, :, :queries].tolist() for m in maps]

    # The query at position t produces target token t (the last input, </s>'s producer, included).
    return Maps(rows(enc, len(src_ids)), rows(dec, len(tgt_ids) + 1), rows(cross, len(tgt_ids) + 1))


@torch.no_grad()
def greedy(model: Transformer, src_ids: list[int], max_len: int | None = None) -> tuple[list[int], list[float]]:
    """One sentence -> target ids (without </s>) and the probability of each chosen token."""
    model.eval()
    dev = device_of(model)
    src = torch.tensor([src_ids], dtype=torch.long, device=dev)
    memory, src_mask, _ = model.encode(src)
    ys, probs = [BOS_ID], []
    for _ in range(max_len or model.cfg.max_len):
        logits = model.decode(torch.tensor([ys], device=dev), memory, src_mask, last_only=True)[0][0, -1]
        p = torch.softmax(logits, -1)
        token = int(p.argmax())
        if token == EOS_ID:
            break
        ys.append(token)
        probs.append(float(p[token]))
    return ys[1:], probs


@torch.no_grad()
def beam_search(
    model: Transformer,
    src_ids: list[int],
    width: int = 5,
    length_norm: bool = True,
    max_len: int | None = None,
    on_step=None,
) -> list[Hypothesis]:
    """Keep the ``width`` best partial translations at each step -> finished hypotheses, best first.

    Same rules as the RNN's beam search (see :mod:`tutor.core.seq2seq_decode`);
    width 1 is greedy decoding.
    """
    model.eval()
    dev = device_of(model)
    src = torch.tensor([src_ids], dtype=torch.long, device=dev)
    memory, src_mask, _ = model.encode(src)
    beams = [Hypothesis([], 0.0)]
    finished: list[Hypothesis] = []
    for t in range(max_len or model.cfg.max_len):
        k = len(beams)
        ys = torch.tensor([[BOS_ID, *h.tokens] for h in beams], dtype=torch.long, device=dev)
        logits = model.decode(ys, memory.expand(k, -1, -1), src_mask.expand(k, -1, -1, -1), last_only=True)[0][:, -1]
        logp = torch.log_softmax(logits, -1)
        total = logp + torch.tensor([h.logprob for h in beams], device=dev).unsqueeze(1)
        top = total.view(-1).topk(min(width * 2, total.numel()))
        candidates = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, token = divmod(flat, logp.size(1))
            candidates.append(Hypothesis(beams[row].tokens + [token], value, [], token == EOS_ID))
        candidates.sort(key=lambda h: h.score(length_norm), reverse=True)
        alive, pruned = [], []
        for rank, hyp in enumerate(candidates):
            if rank >= width:
                pruned.append(hyp)
            elif hyp.finished:
                finished.append(Hypothesis(hyp.tokens[:-1], hyp.logprob, [], True))
            else:
                alive.append(hyp)
        if on_step is not None:
            on_step(t, list(alive), pruned)
        if not alive or len(finished) >= width:
            break
        beams = alive
    if not finished:
        finished = [Hypothesis(h.tokens, h.logprob, [], False) for h in beams]
    return sorted(finished, key=lambda h: h.score(length_norm), reverse=True)
