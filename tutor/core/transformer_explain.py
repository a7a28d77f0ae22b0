"""One token's vector followed through an encoder layer of the Transformer (lesson L5, C26).

:func:`trace_token` reruns the encoder up to ``layer`` and returns the token's
vector after each step of that layer, with the model's own modules:

input x → LN → self-attention → x + attention (residual) → LN → FFN → + FFN (residual)

so the lesson can show what layer normalization does to the numbers (mean 0,
spread 1, then the learned gain and bias), what the FFN adds, and that the
residual path carries the input through.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .transformer import Transformer
from .vocab import PAD_ID


@dataclass(frozen=True)
class Stage:
    name: str  # Japanese label for the lesson
    formula: str
    vector: list[float]

    @property
    def mean(self) -> float:
        return sum(self.vector) / len(self.vector)

    @property
    def std(self) -> float:
        m = self.mean
        return (sum((v - m) ** 2 for v in self.vector) / len(self.vector)) ** 0.5

    @property
    def norm(self) -> float:
        return sum(v * v for v in self.vector) ** 0.5


@torch.no_grad()
def trace_token(model: Transformer, src_ids: list[int], layer: int, position: int) -> list[Stage]:
    """The stages of encoder layer ``layer`` (0-based) for the token at ``position``."""
    if not src_ids:
        raise ValueError("empty sentence")
    if not 0 <= layer < len(model.encoder) or not 0 <= position < len(src_ids):
        raise ValueError("layer or position out of range")
    model.eval()
    src = torch.tensor([src_ids], dtype=torch.long, device=model.src_embed.weight.device)
    mask = (src != PAD_ID)[:, None, None, :]
    x = model.embed(model.src_embed, src)
    for lower in model.encoder[:layer]:
        x, _ = lower(x, mask)
    enc = model.encoder[layer]
    h1 = enc.norm1(x)
    a, _ = enc.self_attn(h1, h1, h1, mask)
    r1 = x + a
    h2 = enc.norm2(r1)
    f = enc.ffn(h2)
    r2 = r1 + f
    at = position
    return [
        Stage("入力 x", "x（前の層の出力。1 層目は 埋め込み×√d + PE）", x[0, at].tolist()),
        Stage("層正規化", "LN(x) = γ·(x − 平均)/標準偏差 + β", h1[0, at].tolist()),
        Stage("自己アテンション", "MultiHead(LN(x))", a[0, at].tolist()),
        Stage("残差接続 1", "x + MultiHead(LN(x))", r1[0, at].tolist()),
        Stage("層正規化", "LN(…)", h2[0, at].tolist()),
        Stage("FFN", "max(0, LN(…)W₁ + b₁)W₂ + b₂", f[0, at].tolist()),
        Stage("残差接続 2", "… + FFN(LN(…))  = この層の出力", r2[0, at].tolist()),
    ]


@dataclass(frozen=True)
class Trace:
    """One token through one encoder layer of a translator, for the sentence the learner typed."""

    source: list[str]  # the sentence's tokens as the translator reads them
    layers: int  # encoder layers in the model
    layer: int  # the layer traced (0-based, clamped into range)
    position: int  # the token traced (0-based, clamped into range)
    stages: list[Stage]


def trace_sentence(translator, text: str, layer: int, position: int) -> Trace:
    """Tokenize ``text`` as ``translator.translate`` does and trace token ``position`` through ``layer``.

    ``translator`` is a :class:`~tutor.core.transformer_translator.TransformerTranslator`;
    an empty sentence gives a Trace without stages.
    """
    from .text import analyze

    model = translator.model
    layers = len(model.encoder)
    source = [t.surface for t in analyze(text).tokens][: model.cfg.max_positions]
    layer = max(0, min(layers - 1, layer))
    position = max(0, min(len(source) - 1, position))
    if not source:
        return Trace(source, layers, layer, 0, [])
    return Trace(source, layers, layer, position,
                 trace_token(model, translator.src_vocab.encode(source), layer, position))
