"""The sinusoidal positional encoding and what lesson L5's page draws of it (tutor.core.positional)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core.positional import (
    positional_encoding,
    positional_view,
    similarity_to_first,
    wave_dims,
    wave_label,
    wavelength,
)


@pytest.mark.parametrize("d_model", [4, 16, 64, 256])
def test_positional_encoding_follows_the_formula(d_model) -> None:
    pe = positional_encoding(60, d_model)
    assert pe.shape == (60, d_model)
    for pos in (0, 1, 2, 7, 33, 59):
        for dim in {0, 1, 2, 3, d_model // 2, d_model // 2 + 1, d_model - 2, d_model - 1}:
            i = dim // 2
            angle = pos / 10000 ** (2 * i / d_model)
            expected = math.sin(angle) if dim % 2 == 0 else math.cos(angle)
            assert pe[pos, dim] == pytest.approx(expected, abs=1e-12)
    assert np.all(np.abs(pe) <= 1.0)


def test_positional_encoding_matches_the_lesson_table() -> None:
    """The d_model = 4 table in lesson.md, section 2."""
    expected = [(0.000, 1.000, 0.000, 1.000), (0.841, 0.540, 0.010, 1.000),
                (0.909, -0.416, 0.020, 1.000), (0.141, -0.990, 0.030, 1.000)]
    assert np.round(positional_encoding(4, 4), 3).tolist() == [list(r) for r in expected]
    # Explicit positions give the same rows.
    assert np.allclose(positional_encoding([2, 3], 4), positional_encoding(4, 4)[2:])


def test_wavelengths_and_the_dimensions_drawn_as_waves() -> None:
    assert wavelength(0, 64) == pytest.approx(2 * math.pi)
    assert wavelength(1, 64) == pytest.approx(2 * math.pi)  # sin and cos of a pair share one
    assert wavelength(62, 64) == pytest.approx(2 * math.pi * 10000 ** (62 / 64))
    for d in (16, 32, 64, 128, 256):
        dims = wave_dims(d)
        assert dims[:2] == [0, 1] and dims[-1] == d - 2 and dims == sorted(set(dims))
        lengths = [wavelength(x, d) for x in dims]
        assert lengths == sorted(lengths)  # fast waves first, ever slower


def test_nearby_positions_are_more_similar() -> None:
    sims = dict(similarity_to_first(positional_encoding(20, 64)))
    assert set(sims) == {1, 5, 10}
    assert 1 > sims[1] > sims[5] > sims[10]
    assert [k for k, _ in similarity_to_first(positional_encoding(10, 64))] == [1, 5]
    # Against a cosine similarity computed by hand for one offset.
    pe = positional_encoding(6, 16)
    by_hand = sum(a * b for a, b in zip(pe[0], pe[5])) / (math.sqrt(sum(a * a for a in pe[0]))
                                                          * math.sqrt(sum(b * b for b in pe[5])))
    assert dict(similarity_to_first(pe))[5] == pytest.approx(by_hand)


def test_wave_labels_and_the_whole_view() -> None:
    assert wave_label(0, 64) == "  0 sin 波長    6.3"
    assert wave_label(1, 64).split()[1] == "cos"
    assert wave_label(254, 256).endswith("58,470") or "," in wave_label(254, 256)
    view = positional_view(20, 64)
    assert view.pe.shape == (20, 64) and np.allclose(view.pe, positional_encoding(20, 64))
    assert [label.split()[0] for label, _ in view.waves] == [str(d) for d in wave_dims(64)]
    assert all(len(values) == 20 for _, values in view.waves)
    assert np.allclose(view.waves[0][1], view.pe[:, 0])
    assert view.similarities == similarity_to_first(view.pe)
