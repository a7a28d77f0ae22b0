"""The Transformer translator: positional encoding, masks, attention, decoding, a few training steps."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from tutor.core.transformer import (
    MultiHeadAttention,
    Transformer,
    TransformerConfig,
    causal_mask,
    positional_encoding,
    scaled_dot_product_attention,
)
from tutor.core.transformer_decode import attention_maps, beam_search, greedy, greedy_batch
from tutor.core.vocab import PAD_ID, Vocab

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def tiny(seed: int = 0, **kw) -> Transformer:
    torch.manual_seed(seed)
    cfg = TransformerConfig(src_vocab=30, tgt_vocab=25, d_model=16, heads=4, d_ff=32, layers=2, dropout=0.0,
                            max_len=10, **kw)
    return Transformer(cfg).eval()


def test_positional_encoding_is_the_formula() -> None:
    pe = positional_encoding(50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            angle = pos / 10000 ** (2 * i / 16)
            assert pe[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
            assert pe[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)


def test_scaled_dot_product_by_hand() -> None:
    q = torch.tensor([[[[1.0, 0.0]]]])  # (B=1, heads=1, Lq=1, d_k=2)
    k = torch.tensor([[[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]]])
    v = torch.tensor([[[[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]]])
    out, w = scaled_dot_product_attention(q, k, v, torch.tensor([True, True, False])[None, None, None])
    s = 1 / math.sqrt(2)
    expected = torch.softmax(torch.tensor([s, 0.0]), 0)
    assert w[0, 0, 0].tolist() == pytest.approx([*expected.tolist(), 0.0])
    assert out[0, 0, 0].tolist() == pytest.approx(expected.tolist())


def test_masks_weights_and_shapes() -> None:
    model = tiny()
    src = torch.tensor([[5, 6, 7, 8], [9, 10, PAD_ID, PAD_ID]])
    tgt = torch.tensor([[1, 5, 6, 7], [1, 8, PAD_ID, PAD_ID]])
    memory, src_mask, enc = model.encode(src)
    logits, dec, cross = model.decode(tgt, memory, src_mask)
    assert logits.shape == (2, 4, 25) and len(enc) == len(dec) == len(cross) == 2
    for maps in (enc, dec, cross):
        for w in maps:
            assert w.shape[:2] == (2, 4)
    # Every real query's weights sum to 1; padding never receives weight.
    for w in enc + cross:
        assert torch.allclose(w[0].sum(-1), torch.ones(4, 4), atol=1e-5)
        assert torch.all(w[1, :, :, 2:] == 0)
    # The causal mask: no weight on a future position.
    for w in dec:
        assert torch.all(w[0].triu(1) == 0)
        assert torch.allclose(w[0].sum(-1), torch.ones(4, 4), atol=1e-5)
    assert causal_mask(3)[0, 0].tolist() == [[True, False, False], [True, True, False], [True, True, True]]


def test_multi_head_splits_and_concatenates() -> None:
    torch.manual_seed(0)
    cfg = TransformerConfig(src_vocab=5, tgt_vocab=5, d_model=8, heads=2, d_ff=8, dropout=0.0)
    mha = MultiHeadAttention(cfg).eval()
    x = torch.randn(1, 3, 8)
    out, w = mha(x, x, x, torch.ones(1, 1, 1, 3, dtype=torch.bool))
    # Head h attends with its own slice of the projections; the outputs are concatenated, then W_O.
    q, k, v = mha.w_q(x), mha.w_k(x), mha.w_v(x)
    heads = []
    for h in range(2):
        sl = slice(4 * h, 4 * h + 4)
        weights = torch.softmax(q[0, :, sl] @ k[0, :, sl].T / 2.0, -1)
        assert torch.allclose(weights, w[0, h], atol=1e-6)
        heads.append(weights @ v[0, :, sl])
    assert torch.allclose(out[0], mha.w_o(torch.cat(heads, -1)), atol=1e-5)
    with pytest.raises(ValueError):
        TransformerConfig(d_model=10, heads=4)


def test_padding_does_not_change_a_sentence() -> None:
    model = tiny()
    one = greedy_batch(model, torch.tensor([[5, 6, 7]]))
    padded = greedy_batch(model, torch.tensor([[5, 6, 7, PAD_ID, PAD_ID], [8, 9, 10, 11, 12]]))
    assert padded[0] == one[0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beam_of_width_one_is_greedy(seed) -> None:
    model = tiny(seed)
    ids = [5, 9, 12, 7]
    tokens, probs = greedy(model, ids)
    assert beam_search(model, ids, width=1)[0].tokens == tokens == greedy_batch(model, torch.tensor([ids]))[0]
    assert all(0 < p <= 1 for p in probs)


def test_beam_reports_kept_and_pruned() -> None:
    steps = []
    hyps = beam_search(tiny(), [5, 9, 12], width=3,
                       on_step=lambda t, alive, pruned: steps.append((len(alive), len(pruned))))
    assert steps and all(a <= 3 for a, _ in steps) and any(p > 0 for _, p in steps)
    scores = [h.score(True) for h in hyps]
    assert scores == sorted(scores, reverse=True)


def test_attention_maps_of_a_translation() -> None:
    model = tiny()
    ids = [5, 9, 12, 7]
    tokens, _ = greedy(model, ids)
    maps = attention_maps(model, ids, tokens)
    T = len(tokens) + 1
    assert len(maps.encoder) == 2 and len(maps.encoder[0]) == 4
    assert len(maps.cross[0][0]) == T and len(maps.cross[0][0][0]) == 4
    assert len(maps.decoder[0][0]) == T and len(maps.decoder[0][0][0]) == T
    for row in maps.cross_mean_last():
        assert sum(row) == pytest.approx(1.0, abs=1e-5)


def test_a_few_epochs_on_team_sentences_lower_the_loss() -> None:
    from tutor.core.text import tokenize
    from tutor.core.train.seq2seq import ParallelData
    from tutor.core.train.transformer import TransformerTrainConfig, lr_at, train

    lines = TINY.read_text(encoding="utf-8").splitlines()
    pairs = [(tokenize(line), list(reversed(tokenize(line)))) for line in lines]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:8])
    cfg = TransformerConfig(src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), d_model=32, heads=4, d_ff=64,
                            layers=1, dropout=0.0)
    tcfg = TransformerTrainConfig(epochs=6, batch_size=10, lr=3e-3, warmup=5, average=3)
    losses = []
    model, figures = train(data, cfg, tcfg, on_progress=lambda p: losses.append(p.loss))
    assert losses[-1] < losses[0] * 0.7
    assert len(figures["valid_bleu_per_epoch"]) == 6 and figures["kept"]
    measured = [b for b in figures["valid_bleu_per_epoch"] if b is not None]
    assert len(measured) == 3  # the second half only: early epochs are never kept, and cost most to measure
    assert figures["best_valid_bleu"] >= max(measured)
    # The schedule: a linear rise to the peak, then 1/√step.
    assert lr_at(1, tcfg) < lr_at(5, tcfg) and lr_at(5, tcfg) == pytest.approx(3e-3)
    assert lr_at(20, tcfg) == pytest.approx(3e-3 * 0.5)


def test_trace_token_follows_the_layer_step_by_step() -> None:
    from tutor.core.transformer_explain import trace_token

    model = tiny()
    ids = [5, 9, 12, 7]
    for layer in (0, 1):
        stages = trace_token(model, ids, layer, 2)
        assert len(stages) == 7 and all(len(s.vector) == 16 for s in stages)
        x, ln1, att, r1, ln2, ffn, r2 = (torch.tensor(s.vector) for s in stages)
        assert torch.allclose(r1, x + att, atol=1e-5) and torch.allclose(r2, r1 + ffn, atol=1e-5)
        # Layer norm (before its learned gain and bias, which start at 1 and 0): mean 0, spread 1.
        assert abs(stages[1].mean) < 1e-4 and stages[1].std == pytest.approx(1.0, abs=1e-3)
    # The last stage of layer 0 is the input of layer 1, and the output of the top layer
    # (before the final LN) is what the encoder's last LN normalizes.
    assert trace_token(model, ids, 0, 1)[-1].vector == pytest.approx(trace_token(model, ids, 1, 1)[0].vector, abs=1e-5)
    memory, _, _ = model.encode(torch.tensor([ids]))
    top = torch.tensor(trace_token(model, ids, 1, 3)[-1].vector)
    assert torch.allclose(model.enc_norm(top), memory[0, 3], atol=1e-5)
    with pytest.raises(ValueError):
        trace_token(model, ids, 2, 0)
