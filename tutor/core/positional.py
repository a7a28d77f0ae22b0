"""The sinusoidal positional encoding of the Transformer (Vaswani et al. 2017, section 3.5).

One formula, used by the model (tutor.core.transformer) and drawn by lesson L5,
in numpy so the lesson needs no torch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def positional_encoding(positions: int | Sequence[int] | np.ndarray, d_model: int) -> np.ndarray:
    """The sinusoidal positional encoding, one row per position.

    ``PE(pos, 2i) = sin(pos / 10000^(2i/d_model))`` and
    ``PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))``. ``positions`` is a count
    (positions 0 … n−1) or the positions themselves.
    """
    if d_model < 1:
        raise ValueError("d_model must be at least 1")
    pos = np.arange(positions, dtype=float) if isinstance(positions, int) else np.asarray(positions, dtype=float)
    dims = np.arange(d_model)
    pair = dims // 2  # i: dimensions 2i and 2i+1 share one frequency
    angles = pos[:, None] / np.power(10000.0, 2 * pair / d_model)[None, :]
    return np.where(dims % 2 == 0, np.sin(angles), np.cos(angles))


def wavelength(dim: int, d_model: int) -> float:
    """Positions per full turn of dimension ``dim``: 2π · 10000^(2i/d_model), i = dim // 2."""
    return 2 * math.pi * 10000.0 ** (2 * (dim // 2) / d_model)
