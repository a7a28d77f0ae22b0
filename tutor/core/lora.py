"""Low-rank adaptation (LoRA; Hu et al., 2021): fine-tune a frozen model through small matrices beside its weights.

A pretrained weight ``W`` (out × in) stays as it is. Beside it sit two small
matrices, ``A`` (r × in) and ``B`` (out × r), and the layer computes
``W x + (alpha / r) · B A x``. ``B`` starts at zero, so training starts from
the pretrained model exactly; only ``A`` and ``B`` learn. With rank r = 8 a
192 × 768 layer learns 7,680 numbers instead of 147,456.

For an embedding table the low-rank change is ``A[token] @ B`` with ``A``
(vocabulary × r) starting at zero: every word may move, but only within an
r-dimensional space shared by all words.

After training, :func:`merge` folds ``(alpha / r) · B A`` into ``W`` and
puts plain layers back, so the merged model runs as fast as the original.
The bundled sentiment classifier is stored as these factors (plus the layer
norms, position embeddings and the [CLS] head) on top of the bundled BERT.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn
from torch.nn import functional as F


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x: Tensor) -> Tensor:
        return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale

    def merged(self) -> nn.Linear:
        out = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None)
        with torch.no_grad():
            out.weight.copy_(self.base.weight + self.scale * self.lora_b @ self.lora_a)
            if self.base.bias is not None:
                out.bias.copy_(self.base.bias)
        return out.to(self.base.weight.device)


class LoRAEmbedding(nn.Module):
    def __init__(self, base: nn.Embedding, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.zeros(base.num_embeddings, rank))
        self.lora_b = nn.Parameter(torch.randn(rank, base.embedding_dim) * 0.02)

    @property
    def weight(self) -> Tensor:
        """The table as it stands (the masked-word head reads it: its output layer is tied to the embeddings)."""
        return self.base.weight + self.scale * self.lora_a @ self.lora_b

    def forward(self, ids: Tensor) -> Tensor:
        return self.base(ids) + F.embedding(ids, self.lora_a) @ self.lora_b * self.scale

    def merged(self) -> nn.Embedding:
        out = nn.Embedding(self.base.num_embeddings, self.base.embedding_dim, padding_idx=self.base.padding_idx)
        with torch.no_grad():
            out.weight.copy_(self.weight)
        return out.to(self.base.weight.device)


def attach(model: nn.Module, rank: int, alpha: float) -> set[str]:
    """Wrap every attention and feed-forward linear layer and the token embeddings of ``model.encoder``
    with LoRA, and freeze everything else except the layer norms, the position embeddings and the
    head (small, and trained too). -> the names of the parameters that train."""
    enc = model.encoder
    for layer in enc.layers:
        for owner, names in ((layer.self_attn, ("w_q", "w_k", "w_v", "w_o")), (layer.ffn, ("w1", "w2"))):
            for name in names:
                setattr(owner, name, LoRALinear(getattr(owner, name), rank, alpha))
    enc.tok = LoRAEmbedding(enc.tok, rank, alpha)
    trained = {n for n, _ in model.named_parameters()
               if ".lora_" in n or n.startswith("head.") or n.startswith("encoder.pos.")
               or ("norm" in n and "mlm" not in n)}
    for name, p in model.named_parameters():
        p.requires_grad_(name in trained)
    return trained


def merge(model: nn.Module) -> nn.Module:
    """Fold every LoRA module into a plain layer (in place); -> the model."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, (LoRALinear, LoRAEmbedding)):
                setattr(parent, name, child.merged())
    return model


def attached(model: nn.Module) -> bool:
    return any(isinstance(m, (LoRALinear, LoRAEmbedding)) for m in model.modules())
