"""The encoder unrolled over one sentence: the same states the model itself computes."""

from __future__ import annotations

import pytest
import torch

from tutor.core.seq2seq import Seq2Seq, Seq2SeqConfig
from tutor.core.unroll import unroll


def tiny(variant: str = "plain") -> Seq2Seq:
    torch.manual_seed(0)
    return Seq2Seq(Seq2SeqConfig(variant=variant, src_vocab=20, tgt_vocab=15, emb=8, hidden=12, dropout=0.0))


def test_states_match_the_encoder_and_a_step_by_step_gru() -> None:
    model = tiny()
    ids = [5, 7, 9, 4]
    u = unroll(model, ids)
    assert len(u.forward) == len(u.backward) == len(u.change) == 4 and u.hidden == 12
    # Unrolling by hand, one GRU step per word with the same weights, gives the same h_t.
    rnn = model.encoder.rnn
    cell = torch.nn.GRUCell(8, 12)
    cell.load_state_dict({"weight_ih": rnn.weight_ih_l0, "weight_hh": rnn.weight_hh_l0,
                          "bias_ih": rnn.bias_ih_l0, "bias_hh": rnn.bias_hh_l0})
    h = torch.zeros(1, 12)
    with torch.no_grad():
        for t, i in enumerate(ids):
            new = cell(model.encoder.embed(torch.tensor([i])), h)
            assert u.forward[t] == pytest.approx(new[0].tolist(), abs=1e-5)
            assert u.change[t] == pytest.approx(float((new - h).norm()), abs=1e-5)
            h = new
    # The first decoder state is the one the model starts decoding from.
    _, _, state = model.encode(torch.tensor([ids]), torch.tensor([4]))
    assert u.first == pytest.approx(state.s[0].tolist(), abs=1e-5)


def test_an_empty_sentence_is_refused() -> None:
    with pytest.raises(ValueError):
        unroll(tiny(), [])
