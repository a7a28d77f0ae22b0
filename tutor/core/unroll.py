"""An RNN unrolled over one sentence (lesson L3, C10): the hidden state after each word.

The translator's encoder is a bidirectional GRU. Its forward half reads the
sentence left to right, h_t = GRU(x_t, h_{t-1}), with the same weights at every
step; :func:`unroll` returns that h_t for each word, how far each word moved it,
and the one vector the plain (attention-less) decoder starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .seq2seq import Seq2Seq


@dataclass(frozen=True)
class Unrolled:
    forward: list[list[float]]  # h_t of the left-to-right GRU, one row per source token
    backward: list[list[float]]  # the right-to-left GRU's state at each token
    change: list[float]  # ||h_t - h_{t-1}|| (h_0 = 0): how much each word moved the state
    first: list[float]  # the decoder's first state: all a plain decoder knows of the sentence

    @property
    def hidden(self) -> int:
        return len(self.first)


@torch.no_grad()
def unroll(model: Seq2Seq, src_ids: list[int]) -> Unrolled:
    if not src_ids:
        raise ValueError("empty sentence")
    model.eval()
    enc = model.encoder
    # (1, S, E); eval: no dropout
    x = enc.embed(torch.tensor([src_ids], dtype=torch.long, device=enc.embed.weight.device))
    out, last = enc.rnn(x)  # out (1, S, 2H); last (2, 1, H)
    h = enc.rnn.hidden_size
    fwd, bwd = out[0, :, :h], out[0, :, h:]
    prev = torch.cat([torch.zeros(1, h, device=fwd.device), fwd[:-1]])
    change = (fwd - prev).norm(dim=-1)
    first = torch.tanh(enc.bridge(torch.cat([last[0], last[1]], dim=-1)))[0]
    return Unrolled(fwd.tolist(), bwd.tolist(), change.tolist(), first.tolist())
