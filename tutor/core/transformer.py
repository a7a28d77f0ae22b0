"""An encoder-decoder Transformer translating Japanese to English (lesson L5), from the paper.

Vaswani et al. 2017, "Attention Is All You Need", read top-down:

- :class:`Transformer`: embed the source, add positions, run the encoder stack;
  embed the target so far (shifted right with ``<s>``), add positions, run the
  decoder stack, which attends to itself (masked) and to the encoder's output;
  project to the target vocabulary.
- :class:`EncoderLayer`: self-attention, then a position-wise feed-forward
  network; each sublayer inside a residual connection with layer normalization.
- :class:`DecoderLayer`: masked self-attention, cross-attention over the
  source, feed-forward.
- :class:`MultiHeadAttention`: project to queries, keys and values, split them
  into heads, :func:`scaled_dot_product_attention` in each head, concatenate,
  project back. Every call keeps its weights so each map can be drawn.
- :func:`positional_encoding`: PE(pos, 2i) = sin(pos / 10000^(2i/d_model)),
  PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model)).

One change from the paper, as most implementations since: layer normalization
comes *before* each sublayer (x + Sublayer(LN(x))) rather than after the sum
(LN(x + Sublayer(x))), with one more LN at the top of each stack. It trains
stably on a small CPU budget without a long learning-rate warm-up. The output
layer shares its weights with the target embedding, as in the paper.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

from . import positional
from .vocab import PAD_ID


@dataclass(frozen=True)
class TransformerConfig:
    """Everything needed to rebuild the model; saved as config.json."""

    src_vocab: int = 0
    tgt_vocab: int = 0
    d_model: int = 256
    heads: int = 4
    d_ff: int = 512
    layers: int = 3  # in each of the encoder and the decoder
    dropout: float = 0.1
    max_len: int = 40  # longest translation produced, in tokens
    max_positions: int = 256  # positions with an encoding (longer sources are cut)

    def __post_init__(self) -> None:
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by heads {self.heads}")

    @property
    def d_k(self) -> int:
        return self.d_model // self.heads

    def to_json(self) -> dict:
        return {"kind": "transformer", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> TransformerConfig:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


# --------------------------------------------------------------------------- the whole model


class Transformer(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.src_embed = nn.Embedding(cfg.src_vocab, cfg.d_model, padding_idx=PAD_ID)
        self.tgt_embed = nn.Embedding(cfg.tgt_vocab, cfg.d_model, padding_idx=PAD_ID)
        self.register_buffer("pe", positional_encoding(cfg.max_positions, cfg.d_model), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg.layers))
        self.decoder = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.layers))
        self.enc_norm = nn.LayerNorm(cfg.d_model)
        self.dec_norm = nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        nn.init.normal_(self.src_embed.weight, std=cfg.d_model**-0.5)
        nn.init.normal_(self.tgt_embed.weight, std=cfg.d_model**-0.5)
        with torch.no_grad():
            self.src_embed.weight[PAD_ID].zero_()
            self.tgt_embed.weight[PAD_ID].zero_()

    def embed(self, table: nn.Embedding, ids: Tensor) -> Tensor:
        """Token embeddings × √d_model plus the positional encoding (section 3.4 and 3.5)."""
        positions = self.pe[: ids.size(1)]
        return self.drop(table(ids) * math.sqrt(self.cfg.d_model) + positions)

    def encode(self, src: Tensor) -> tuple[Tensor, Tensor, list[Tensor]]:
        """src (B, S) -> memory (B, S, D), source mask (B, 1, 1, S), encoder self-attention per layer."""
        src = src[:, : self.cfg.max_positions]
        src_mask = (src != PAD_ID)[:, None, None, :]  # padding never receives weight
        x = self.embed(self.src_embed, src)
        maps = []
        for layer in self.encoder:
            x, w = layer(x, src_mask)
            maps.append(w)
        return self.enc_norm(x), src_mask, maps

    def decode(self, tgt_in: Tensor, memory: Tensor, src_mask: Tensor,
               last_only: bool = False) -> tuple[Tensor, list[Tensor], list[Tensor]]:
        """tgt_in (B, T) starting with <s> -> logits (B, T, V), decoder self- and cross-attention per layer.

        ``last_only``: logits (B, 1, V) for the last position only, all that a decoding step needs
        (the output layer over the whole vocabulary is the largest product of a step).
        """
        T = tgt_in.size(1)
        tgt_mask = causal_mask(T, tgt_in.device) & (tgt_in != PAD_ID)[:, None, None, :]
        y = self.embed(self.tgt_embed, tgt_in)
        self_maps, cross_maps = [], []
        for layer in self.decoder:
            y, ws, wc = layer(y, memory, tgt_mask, src_mask)
            self_maps.append(ws)
            cross_maps.append(wc)
        logits = self.dec_norm(y[:, -1:] if last_only else y) @ self.tgt_embed.weight.T  # tied output layer
        return logits, self_maps, cross_maps

    def forward(self, src: Tensor, tgt_in: Tensor) -> Tensor:
        """Training pass (teacher forcing on the whole target at once) -> logits (B, T, V)."""
        memory, src_mask, _ = self.encode(src)
        return self.decode(tgt_in, memory, src_mask)[0]


# --------------------------------------------------------------------------- the layers


class EncoderLayer(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg)
        self.ffn = PositionwiseFFN(cfg)
        self.norm1, self.norm2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        h = self.norm1(x)
        a, weights = self.self_attn(h, h, h, mask)
        x = x + self.drop(a)  # residual connection
        x = x + self.drop(self.ffn(self.norm2(x)))
        return x, weights


class DecoderLayer(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(cfg)
        self.cross_attn = MultiHeadAttention(cfg)
        self.ffn = PositionwiseFFN(cfg)
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(cfg.d_model) for _ in range(3))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, y: Tensor, memory: Tensor, tgt_mask: Tensor, src_mask: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        h = self.norm1(y)
        a, self_w = self.self_attn(h, h, h, tgt_mask)  # masked: no looking ahead
        y = y + self.drop(a)
        # queries from the target, keys/values from the source
        a, cross_w = self.cross_attn(self.norm2(y), memory, memory, src_mask)
        y = y + self.drop(a)
        y = y + self.drop(self.ffn(self.norm3(y)))
        return y, self_w, cross_w


class MultiHeadAttention(nn.Module):
    """MultiHead(Q, K, V) = Concat(head_1..head_h) W_O, head_i = Attention(Q W_Q_i, K W_K_i, V W_V_i)."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.heads, self.d_k = cfg.heads, cfg.d_k
        self.w_q = nn.Linear(cfg.d_model, cfg.d_model)
        self.w_k = nn.Linear(cfg.d_model, cfg.d_model)
        self.w_v = nn.Linear(cfg.d_model, cfg.d_model)
        self.w_o = nn.Linear(cfg.d_model, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def split(self, x: Tensor) -> Tensor:
        """(B, L, D) -> (B, heads, L, d_k)"""
        return x.view(x.size(0), x.size(1), self.heads, self.d_k).transpose(1, 2)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """-> output (B, Lq, D), weights (B, heads, Lq, Lk)."""
        q, k, v = self.split(self.w_q(query)), self.split(self.w_k(key)), self.split(self.w_v(value))
        out, weights = scaled_dot_product_attention(q, k, v, mask, self.drop if self.training else None)
        out = out.transpose(1, 2).reshape(query.size(0), query.size(1), -1)  # concatenate the heads
        return self.w_o(out), weights


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor,
                                 dropout: nn.Module | None = None) -> tuple[Tensor, Tensor]:
    """Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V. ``mask`` is True where a query may look.

    -> (weighted values, the softmax weights). A masked position gets weight exactly 0.
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    weights = torch.nan_to_num(weights)  # a query with nothing to look at (all padding) gets zeros
    attended = dropout(weights) if dropout is not None else weights
    return attended @ v, weights


class PositionwiseFFN(nn.Module):
    """FFN(x) = max(0, x W1 + b1) W2 + b2, the same two layers at every position."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.w1 = nn.Linear(cfg.d_model, cfg.d_ff)
        self.w2 = nn.Linear(cfg.d_ff, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.w2(self.drop(torch.relu(self.w1(x))))


def positional_encoding(positions: int, d_model: int) -> Tensor:
    """(positions, d_model): sin on even dimensions, cos on odd (see :mod:`tutor.core.positional`)."""
    return torch.from_numpy(positional.positional_encoding(positions, d_model)).float()


def causal_mask(length: int, device=None) -> Tensor:
    """(1, 1, T, T), True on and below the diagonal: position t may look at 1..t only."""
    return torch.tril(torch.ones(length, length, dtype=torch.bool, device=device))[None, None]
