"""A tiny BERT: an encoder-only Transformer over our MeCab tokens (lesson L7).

Read top-down:

- :class:`BERT`: token embeddings plus learned position embeddings, a stack of
  L5's :class:`~tutor.core.transformer.EncoderLayer` (self-attention with no
  causal mask, so every position sees both sides), a final layer norm. One
  output vector per input position: the i-th belongs to the i-th token, and
  the first, at ``[CLS]``, stands for the whole sentence.
- :meth:`BERT.mlm_logits`: the masked-language-model head (a dense layer, GELU,
  layer norm, then the output layer tied to the token embeddings) that guesses
  the original token at a position.
- :class:`Classifier`: the same encoder with a small layer on the ``[CLS]``
  vector, fine-tuned for a sentence label (positive / negative).

Inputs are one sentence: ``[CLS] w1 … wn [SEP]`` (the original BERT also packs
sentence pairs with segment embeddings for next-sentence prediction; we train
masked language modeling only, on single sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

from .transformer import EncoderLayer, TransformerConfig
from .vocab import PAD_ID, SPECIALS, UNK_ID, Vocab

CLS, SEP, MASK = "[CLS]", "[SEP]", "[MASK]"
BERT_SPECIALS = (*SPECIALS, CLS, SEP, MASK)
CLS_ID, SEP_ID, MASK_ID = 4, 5, 6  # right after the four shared specials


@dataclass(frozen=True)
class BertConfig:
    vocab: int = 0
    d_model: int = 192
    heads: int = 4
    d_ff: int = 768
    layers: int = 4
    dropout: float = 0.1
    max_positions: int = 64

    def __post_init__(self) -> None:
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by heads {self.heads}")

    def layer_config(self) -> TransformerConfig:
        return TransformerConfig(d_model=self.d_model, heads=self.heads, d_ff=self.d_ff, dropout=self.dropout)

    def to_json(self) -> dict:
        return {"kind": "bert", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> BertConfig:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ClassifierConfig(BertConfig):
    labels: int = 2

    def to_json(self) -> dict:
        return {**asdict(self), "kind": "bert-classifier"}


def build_vocab(sentences: Sequence[Sequence[str]], min_count: int = 2) -> Vocab:
    """The shared specials, then [CLS] [SEP] [MASK] at fixed ids, then the corpus words."""
    words = Vocab.build(sentences, min_count).tokens[len(SPECIALS):]
    return Vocab([*BERT_SPECIALS, *[w for w in words if w not in BERT_SPECIALS]])


def check_vocab(vocab: Vocab) -> None:
    if tuple(vocab.tokens[: len(BERT_SPECIALS)]) != BERT_SPECIALS:
        raise ValueError(f"a BERT vocabulary starts with {BERT_SPECIALS}")


def encode(vocab: Vocab, tokens: Sequence[str], max_positions: int) -> list[int]:
    """``[CLS] tokens [SEP]`` as ids, the sentence cut to fit; a literal "[MASK]" token stays a mask."""
    ids = [vocab.index.get(t, UNK_ID) for t in tokens][: max_positions - 2]
    return [CLS_ID, *ids, SEP_ID]


def pad_batch(seqs: Sequence[Sequence[int]]) -> Tensor:
    width = max(len(s) for s in seqs)
    out = torch.full((len(seqs), width), PAD_ID, dtype=torch.long)
    for r, s in enumerate(seqs):
        out[r, : len(s)] = torch.tensor(list(s), dtype=torch.long)
    return out


class BERT(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.d_model, padding_idx=PAD_ID)
        self.pos = nn.Embedding(cfg.max_positions, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)
        self.layers = nn.ModuleList(EncoderLayer(cfg.layer_config()) for _ in range(cfg.layers))
        self.norm = nn.LayerNorm(cfg.d_model)
        # masked-language-model head; its output layer is the token embeddings (tied)
        self.mlm_dense = nn.Linear(cfg.d_model, cfg.d_model)
        self.mlm_norm = nn.LayerNorm(cfg.d_model)
        self.mlm_bias = nn.Parameter(torch.zeros(cfg.vocab))
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.02)
        with torch.no_grad():
            self.tok.weight[PAD_ID].zero_()

    def forward(self, ids: Tensor, return_weights: bool = False) -> tuple[Tensor, list[Tensor]]:
        """ids (B, T) -> hidden (B, T, d_model), attention weights per layer [(B, heads, T, T)] if asked."""
        if ids.size(1) > self.cfg.max_positions:
            raise ValueError(f"at most {self.cfg.max_positions} positions")
        positions = torch.arange(ids.size(1), device=ids.device)
        x = self.drop(self.tok(ids) + self.pos(positions))
        mask = (ids != PAD_ID)[:, None, None, :]  # every query may look at every real token, left or right
        weights = []
        for layer in self.layers:
            x, w = layer(x, mask)
            if return_weights:
                weights.append(w)
        return self.norm(x), weights

    def mlm_logits(self, hidden: Tensor) -> Tensor:
        """hidden (..., d_model) -> logits over the vocabulary (..., V)."""
        h = self.mlm_norm(nn.functional.gelu(self.mlm_dense(hidden)))
        return h @ self.tok.weight.T + self.mlm_bias


class Classifier(nn.Module):
    """BERT's encoder with a linear layer on the [CLS] vector: one label per sentence."""

    def __init__(self, encoder: BERT, labels: int = 2, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.cfg = ClassifierConfig(**asdict(encoder.cfg), labels=labels)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.cfg.d_model, labels)

    def forward(self, ids: Tensor) -> Tensor:
        """ids (B, T) starting with [CLS] -> logits (B, labels)."""
        hidden, _ = self.encoder(ids)
        return self.head(self.drop(hidden[:, 0]))
