"""One attention step worked through: the explained numbers are the decoder's own."""

from __future__ import annotations

import math

import pytest
import torch

from tutor.core.attention_explain import FORMULAS, explain_step
from tutor.core.seq2seq import Seq2Seq, Seq2SeqConfig
from tutor.core.seq2seq_decode import beam_search, greedy_steps

SCORES = ["dot", "general", "concat", "additive"]
SRC = [5, 6, 7, 8, 9]


def tiny_model(variant: str, seed: int = 0) -> Seq2Seq:
    torch.manual_seed(seed)
    cfg = Seq2SeqConfig(variant=variant, src_vocab=30, tgt_vocab=25, emb=16, hidden=24, dropout=0.0, max_len=8)
    return Seq2Seq(cfg).eval()


def encoder_states(model: Seq2Seq, src_ids: list[int]) -> torch.Tensor:
    with torch.no_grad():
        keys, _, _ = model.encode(torch.tensor([src_ids]), torch.tensor([len(src_ids)]))
    return keys[0]  # (S, H)


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("variant", SCORES)
def test_every_row_matches_what_greedy_decoding_reported(variant, hard) -> None:
    model = tiny_model(variant, seed=2)
    steps = list(greedy_steps(model, SRC, hard=hard))
    assert len(steps) > 1  # rows after the first replay a prefix
    keys = encoder_states(model, SRC)
    for row, step in enumerate(steps):
        prefix = [s.token for s in steps[:row]]
        ex = explain_step(model, SRC, prefix, hard=hard)
        assert ex is not None and ex.variant == variant and ex.formula == FORMULAS[variant]
        assert ex.query == ("s_{t-1}" if variant == "additive" else "s_t")
        assert len(ex.scores) == len(ex.exps) == len(ex.softmax) == len(ex.weights) == len(SRC)
        assert ex.weights == pytest.approx(step.weights, abs=1e-5)
        assert sum(ex.weights) == pytest.approx(1.0, abs=1e-6)
        assert sum(ex.softmax) == pytest.approx(1.0, abs=1e-6)
        # scores -> softmax, written out by hand
        top = max(ex.scores)
        assert ex.exps == pytest.approx([math.exp(e - top) for e in ex.scores], rel=1e-5)
        assert max(ex.exps) == pytest.approx(1.0)
        assert ex.softmax == pytest.approx([x / sum(ex.exps) for x in ex.exps], rel=1e-5)
        # the context is the weighted sum of the encoder states
        expected = (torch.tensor(ex.weights).unsqueeze(1) * keys).sum(0)
        assert len(ex.context) == model.cfg.hidden
        assert ex.context == pytest.approx(expected.tolist(), abs=1e-5)
        if hard:
            assert sorted(ex.weights) == [0.0] * (len(SRC) - 1) + [1.0]
            assert ex.best == max(range(len(SRC)), key=ex.softmax.__getitem__)
            assert ex.context == pytest.approx(keys[ex.best].tolist(), abs=1e-6)
        else:
            assert ex.weights == ex.softmax


def test_rows_of_the_best_beam_hypothesis_are_explained_too() -> None:
    model = tiny_model("general", seed=4)
    best = beam_search(model, SRC, width=3)[0]
    for row, weights in enumerate(best.weights[: len(best.tokens)]):
        ex = explain_step(model, SRC, best.tokens[:row])
        assert ex.weights == pytest.approx(weights, abs=1e-5)


def test_plain_has_nothing_to_explain_and_bad_input_is_refused() -> None:
    assert explain_step(tiny_model("plain"), SRC, []) is None
    model = tiny_model("dot")
    with pytest.raises(ValueError):
        explain_step(model, [], [])
    with pytest.raises(ValueError):
        explain_step(model, [5, 999], [])
    with pytest.raises(ValueError):
        explain_step(model, SRC, [-1])
    model.train()
    explain_step(model, SRC, [])
    assert model.training  # the caller's mode is given back
