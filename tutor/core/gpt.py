"""A tiny GPT: a decoder-only Transformer over our MeCab tokens (lesson L6).

Read top-down:

- :class:`GPT`: token embeddings plus learned position embeddings, a stack of
  :class:`Block` s, a final layer norm, and an output layer tied to the token
  embeddings. Trained to predict every next token at once: the input is the
  sentence shifted right behind ``<s>``, and a causal mask keeps each position
  from seeing the ones after it.
- :class:`Block`: masked self-attention and a feed-forward network, each inside
  a residual connection with layer normalization first (as GPT-2).
- :class:`CausalSelfAttention`: multi-head attention that returns its weights
  and can keep the keys and values of earlier positions (a cache), so that
  generating one more token costs one position's work instead of the whole
  prefix again.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

from .transformer import causal_mask, scaled_dot_product_attention
from .vocab import PAD_ID


@dataclass(frozen=True)
class GPTConfig:
    vocab: int = 0
    d_model: int = 192
    heads: int = 4
    d_ff: int = 768
    layers: int = 6
    dropout: float = 0.15
    max_positions: int = 64

    def __post_init__(self) -> None:
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by heads {self.heads}")

    def to_json(self) -> dict:
        return {"kind": "gpt", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "GPTConfig":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


#: Keys and values of the positions seen so far, per layer: [(k, v)] with k, v (B, heads, T, d_k).
Cache = list[tuple[Tensor, Tensor]]


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.d_model, padding_idx=PAD_ID)
        self.pos = nn.Embedding(cfg.max_positions, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.norm = nn.LayerNorm(cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.02)
        with torch.no_grad():
            self.tok.weight[PAD_ID].zero_()

    def forward(
        self, ids: Tensor, cache: Cache | None = None, return_weights: bool = False
    ) -> tuple[Tensor, Cache, list[Tensor]]:
        """ids (B, T), continuing ``cache`` if given -> logits (B, T, V), the new cache, weights per layer.

        Without a cache the T positions attend causally among themselves; with one,
        they also see every cached position (all of which came before them).
        """
        past = 0 if not cache else cache[0][0].size(2)
        if past + ids.size(1) > self.cfg.max_positions:
            raise ValueError(f"at most {self.cfg.max_positions} positions")
        positions = torch.arange(past, past + ids.size(1), device=ids.device)
        x = self.drop(self.tok(ids) + self.pos(positions))
        new_cache: Cache = []
        weights: list[Tensor] = []
        for i, block in enumerate(self.blocks):
            x, kv, w = block(x, None if not cache else cache[i], return_weights)
            new_cache.append(kv)
            if return_weights:
                weights.append(w)
        logits = self.norm(x) @ self.tok.weight.T  # tied output layer
        return logits, new_cache, weights


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = CausalSelfAttention(cfg)
        self.ffn = nn.Sequential(nn.Linear(cfg.d_model, cfg.d_ff), nn.GELU(), nn.Linear(cfg.d_ff, cfg.d_model),
                                 nn.Dropout(cfg.dropout))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, past: tuple[Tensor, Tensor] | None,
                need_weights: bool = True) -> tuple[Tensor, tuple[Tensor, Tensor], Tensor | None]:
        a, kv, w = self.attn(self.norm1(x), past, need_weights)
        x = x + self.drop(a)
        x = x + self.ffn(self.norm2(x))
        return x, kv, w


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.heads, self.d_k = cfg.heads, cfg.d_model // cfg.heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: Tensor, past: tuple[Tensor, Tensor] | None,
                need_weights: bool = True) -> tuple[Tensor, tuple[Tensor, Tensor], Tensor | None]:
        B, T, D = x.shape
        # (B, T, 3D) -> q, k, v, each (B, heads, T, d_k)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, self.d_k).permute(2, 0, 3, 1, 4).unbind(0)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        S = k.size(2)  # every position so far, the new ones last
        if need_weights or self.training:
            mask = causal_mask(S, x.device)[:, :, S - T :, :]  # the new rows of the full causal mask
            out, weights = scaled_dot_product_attention(q, k, v, mask, self.drop if self.training else None)
        else:  # inference that shows no weights (every generation step): PyTorch's fused kernel, same result;
            # one new token may look at everything before it, so it needs no mask
            mask = None if T == 1 else causal_mask(S, x.device)[:, :, S - T :, :]
            out, weights = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask), None
        return self.out(out.transpose(1, 2).reshape(B, T, D)), (k, v), weights


def perplexity_terms(model: GPT, batch: Tensor, targets: Tensor) -> tuple[float, int]:
    """Summed negative log-likelihood (nats) of ``targets`` and how many (padding skipped)."""
    with torch.no_grad():
        logits = model(batch)[0]
        nll = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1),
                                          ignore_index=PAD_ID, reduction="sum")
    return float(nll), int((targets != PAD_ID).sum())


def perplexity(nll: float, tokens: int) -> float:
    return math.exp(nll / max(tokens, 1))
