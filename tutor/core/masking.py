"""BERT's masking, one function for training and for the lesson (C34).

15 % of the real tokens are chosen; of those, 80 % become ``[MASK]``, 10 % a
random word and 10 % stay as they were. The model must guess the original
token at every chosen position and nowhere else. Why not always ``[MASK]``:
fine-tuning and real use never show ``[MASK]``, so the model also has to
mean something at positions that look normal.

:func:`mask_tokens` returns what became of each position, so the lesson can
colour a draw and count many draws with the very code that trains the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .bert import BERT_SPECIALS, MASK_ID

IGNORE = -100  # cross_entropy's ignore_index: not chosen, no loss
RATE = 0.15  # the share of real tokens chosen
SPLIT = (0.8, 0.1, 0.1)  # what becomes of a chosen one: [MASK], a random word, unchanged
# The fate of a position.
KEPT_OUT, MASKED, RANDOM, UNCHANGED = 0, 1, 2, 3


@dataclass
class Masked:
    inputs: Tensor  # (B, T) what the model reads
    labels: Tensor  # (B, T) the original id at chosen positions, IGNORE elsewhere
    fate: Tensor  # (B, T) KEPT_OUT (not chosen), MASKED, RANDOM or UNCHANGED


def mask_tokens(
    ids: Tensor,
    vocab_size: int,
    generator: torch.Generator,
    rate: float = RATE,
    split: tuple[float, float, float] = SPLIT,
) -> Masked:
    """Mask a batch (B, T) of ids on the CPU. Specials ([CLS], [SEP], padding…) are never chosen.

    Each real token is chosen with probability ``rate``; each chosen one then
    draws its fate with the probabilities ``split`` ([MASK], random, unchanged).
    A random word is drawn uniformly from the ordinary words (never a special).
    """
    ids = ids.cpu()
    eligible = ids >= len(BERT_SPECIALS)
    chosen = (torch.rand(ids.shape, generator=generator) < rate) & eligible
    u = torch.rand(ids.shape, generator=generator)
    to_mask = chosen & (u < split[0])
    to_random = chosen & (u >= split[0]) & (u < split[0] + split[1])
    fate = torch.full_like(ids, KEPT_OUT)
    fate[chosen] = UNCHANGED
    fate[to_mask] = MASKED
    fate[to_random] = RANDOM
    inputs = ids.clone()
    inputs[to_mask] = MASK_ID
    words = torch.randint(len(BERT_SPECIALS), vocab_size, ids.shape, generator=generator)
    inputs[to_random] = words[to_random]
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    return Masked(inputs, labels, fate)
