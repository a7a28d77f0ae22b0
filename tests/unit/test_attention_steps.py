"""Attention worked by hand for lesson L5 (tutor.core.attention_steps), against the lesson's own arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core.attention_steps import (
    EXAMPLE_K,
    EXAMPLE_Q,
    EXAMPLE_TOKENS,
    EXAMPLE_V,
    STEP_COUNT,
    attend,
    causal_mask,
    cells,
    example_steps,
    mean_heads,
    pad,
    qkv_steps,
)


def test_attention_numbers_match_the_lesson() -> None:
    a = attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V)
    assert a.scores.tolist() == [6, 0, 2]  # 2*2 + 1*2, nothing, 1*2
    assert a.scale == 2 and a.scaled.tolist() == [3, 0, 1]
    assert a.total == pytest.approx(math.exp(3) + 1 + math.e)
    assert a.weights.sum() == pytest.approx(1.0)
    assert np.round(a.weights, 3).tolist() == [0.844, 0.042, 0.114]
    assert np.round(a.output, 3).tolist() == [0.844, 0.114]
    raw = attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, scale=False)
    assert raw.scale == 1 and raw.weights.sum() == pytest.approx(1.0)
    assert np.round(raw.weights, 3).tolist() == [0.980, 0.002, 0.018]


def test_steps_write_the_arithmetic_out() -> None:
    steps = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS)
    assert len(steps) == 5 == STEP_COUNT
    text = ["\n".join(s.lines) for s in steps]
    assert "(2, 1, 0, 1)" in text[0] and "(0, 2, 0, 0)" in text[0] and "(0, 1)" in text[0]
    assert "q·k_野球 = 2×2 + 1×0 + 0×0 + 1×2 = 6" in text[1]
    assert "q·k_得意 = 2×0 + 1×2 + 0×0 + 1×0 = 2" in text[1]
    assert "√d_k = √4 = 2" in text[2] and "6 ÷ 2 = 3" in text[2]
    assert "exp(3) = 20.086" in text[3] and "合計 = 23.804" in text[3]
    for w in ("0.844", "0.042", "0.114"):
        assert f"= {w}" in text[3]
    assert "重みの合計 = 1.000" in text[3]
    assert sorted(steps[3].bars.values()) == pytest.approx(sorted(attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V).weights))
    assert "0.844×(1, 0) + 0.042×(0, 0) + 0.114×(0, 1)" in text[4] and "(0.844, 0.114)" in text[4]
    raw = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS, scale=False)
    assert "÷" not in "\n".join(raw[2].lines)
    assert "exp(6) = 403.429" in "\n".join(raw[3].lines) and "0.980" in raw[3].lines[-1 - 3]
    assert "(0.980, 0.018)" in "\n".join(raw[4].lines)
    assert [s.title for s in example_steps(scale=False)] == [s.title for s in raw]


def test_token_names_line_up_by_terminal_cells() -> None:
    assert pad("が", 4) == "が  " and pad("得意", 4) == "得意" and pad("ab", 4) == "ab  "
    dots = example_steps()[1].lines
    # "=" sits in the same terminal column on every line, though が is one character and 野球 two.
    assert len({cells(line[: line.index("=")]) for line in dots}) == 1


def test_the_causal_mask_lets_a_row_see_itself_and_what_came_before() -> None:
    assert causal_mask(3) == [[True, False, False], [True, True, False], [True, True, True]]
    assert sum(map(sum, causal_mask(6))) == 6 * 7 // 2
    assert causal_mask(0) == []


def test_mean_heads_averages_cell_by_cell() -> None:
    heads = [[[1.0, 0.0], [0.5, 0.5]], [[0.0, 1.0], [0.25, 0.75]]]
    assert mean_heads(heads) == [[0.5, 0.5], [0.375, 0.625]]
    assert mean_heads([[[0.2, 0.8]]]) == [[0.2, 0.8]]
    assert mean_heads([]) == []
