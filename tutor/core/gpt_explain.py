"""Measures and views for lesson L6: how varied generated text is, and where the newest token looks.

- :func:`distinct_n`: distinct n-grams / all n-grams over a set of continuations
  (Li et al. 2016): low for bland, repetitive text.
- :func:`repetition_rate`: the share of tokens that repeat a token already in
  the same continuation (punctuation aside).
- :func:`newest_token_attention`: the causal self-attention of the last
  position, per layer and head, over every position before it.
"""

from __future__ import annotations

from collections.abc import Sequence

PUNCTUATION = {"。", "、", "！", "？", "!", "?", ".", ","}


def distinct_n(continuations: Sequence[Sequence[str]], n: int) -> float:
    grams = [tuple(c[i : i + n]) for c in continuations for i in range(len(c) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def repetition_rate(continuations: Sequence[Sequence[str]]) -> float:
    repeated = total = 0
    for c in continuations:
        seen: set[str] = set()
        for t in c:
            if t in PUNCTUATION:
                continue
            total += 1
            repeated += t in seen
            seen.add(t)
    return repeated / total if total else 0.0


def newest_token_attention(model, ids: list[int]) -> list[list[list[float]]]:
    """-> [layer][head][position]: how the last position's query spreads over positions 0..last."""
    import torch

    model.eval()
    device = next(model.parameters()).device
    with torch.no_grad():
        _, _, weights = model(torch.tensor([ids], device=device), return_weights=True)
    return [[w[0, h, -1].tolist() for h in range(w.size(1))] for w in weights]
