"""The sinusoidal positional encoding of the Transformer (Vaswani et al. 2017, section 3.5).

One formula, used by the model (tutor.core.transformer) and drawn by lesson L5,
in numpy so the lesson needs no torch; and what L5's page shows of it (:func:`positional_view`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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


# -- what lesson L5's 位置エンコーディング page draws ---------------------------------------------

#: Offsets whose similarity to position 0 the page quotes (those inside the length).
OFFSETS = (1, 5, 10)


def wave_dims(d_model: int) -> list[int]:
    """Dimensions to draw as waves: the fastest pair, then ever slower ones, up to the last sine."""
    picks = [0, 1, d_model // 8, d_model // 4, d_model // 2, d_model - 2]
    out: list[int] = []
    for d in picks:
        d -= d % 2 if d > 1 else 0  # the sine of its pair, except the cos of the first pair
        if 0 <= d < d_model and d not in out:
            out.append(d)
    return sorted(out)


def similarity_to_first(pe: np.ndarray, offsets: Sequence[int] = OFFSETS) -> list[tuple[int, float]]:
    """Cosine similarity of row 0 with each row ``offset`` further on (those that exist)."""
    first = pe[0]
    out = []
    for k in offsets:
        if k < len(pe):
            row = pe[k]
            out.append((k, float(first @ row / (np.linalg.norm(first) * np.linalg.norm(row)))))
    return out


def format_wavelength(value: float) -> str:
    """One decimal under 100, else a whole number with thousands separators."""
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def wave_label(dim: int, d_model: int) -> str:
    """A wave's label, e.g. "254 sin 波長 58,470": the dimension, its function and its wavelength in positions."""
    fn = "sin" if dim % 2 == 0 else "cos"
    return f"{dim:>3} {fn} 波長 {format_wavelength(wavelength(dim, d_model)):>6}"


@dataclass(frozen=True)
class PositionalView:
    """Everything the page draws for one d_model and length."""

    pe: np.ndarray  # (length, d_model)
    similarities: list[tuple[int, float]]  # (offset, cosine similarity to position 0)
    waves: list[tuple[str, np.ndarray]]  # (label, the dimension's values over the positions)


def positional_view(length: int, d_model: int) -> PositionalView:
    """PE for ``length`` positions × ``d_model`` dimensions, with the similarities and waves the lesson quotes."""
    pe = positional_encoding(length, d_model)
    return PositionalView(pe, similarity_to_first(pe), [(wave_label(d, d_model), pe[:, d]) for d in wave_dims(d_model)])
