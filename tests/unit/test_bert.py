"""The tiny BERT: masking proportions, bidirectional attention, fill-mask, a few training steps, fine-tuning."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tutor.core.bert import (
    BERT,
    BERT_SPECIALS,
    CLS_ID,
    MASK,
    MASK_ID,
    SEP_ID,
    BertConfig,
    build_vocab,
    encode,
    pad_batch,
)
from tutor.core.masking import IGNORE, KEPT_OUT, MASKED, RANDOM, UNCHANGED, mask_tokens
from tutor.core.text import tokenize
from tutor.core.vocab import PAD_ID

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def sentences() -> list[list[str]]:
    return [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]


def tiny(vocab: int = 40, seed: int = 0) -> BERT:
    torch.manual_seed(seed)
    return BERT(BertConfig(vocab=vocab, d_model=16, heads=4, d_ff=32, layers=2, dropout=0.0, max_positions=24)).eval()


def test_the_vocabulary_puts_cls_sep_and_mask_at_fixed_ids() -> None:
    vocab = build_vocab(sentences(), 1)
    assert tuple(vocab.tokens[: len(BERT_SPECIALS)]) == BERT_SPECIALS
    assert (vocab.tokens[CLS_ID], vocab.tokens[SEP_ID], vocab.tokens[MASK_ID]) == ("[CLS]", "[SEP]", "[MASK]")
    ids = encode(vocab, ["犬", "が", MASK], 24)
    assert ids[0] == CLS_ID and ids[-1] == SEP_ID and ids[-2] == MASK_ID


def test_masking_proportions_converge_and_specials_are_never_chosen() -> None:
    gen = torch.Generator().manual_seed(0)
    rows = [[CLS_ID, *range(10, 10 + n), SEP_ID] for n in (5, 12, 20, 30)]
    ids = pad_batch(rows * 500)
    m = mask_tokens(ids, 1000, gen)
    special = ids < len(BERT_SPECIALS)
    assert torch.all(m.fate[special] == KEPT_OUT) and torch.all(m.labels[special] == IGNORE)
    assert torch.all(m.inputs[ids == PAD_ID] == PAD_ID)
    real = int((~special).sum())
    chosen = m.fate != KEPT_OUT
    assert int(chosen.sum()) / real == pytest.approx(0.15, abs=0.01)
    n = int(chosen.sum())
    assert int((m.fate == MASKED).sum()) / n == pytest.approx(0.8, abs=0.02)
    assert int((m.fate == RANDOM).sum()) / n == pytest.approx(0.1, abs=0.015)
    assert int((m.fate == UNCHANGED).sum()) / n == pytest.approx(0.1, abs=0.015)
    # What the model reads, and what it must answer.
    assert torch.all(m.inputs[m.fate == MASKED] == MASK_ID)
    assert torch.all(m.inputs[m.fate == UNCHANGED] == ids[m.fate == UNCHANGED])
    assert torch.all(m.inputs[m.fate == RANDOM] >= len(BERT_SPECIALS))
    assert torch.all(m.labels[chosen] == ids[chosen]) and torch.all(m.labels[~chosen] == IGNORE)


def test_masking_is_reproducible_from_its_seed() -> None:
    ids = pad_batch([[CLS_ID, *range(10, 30), SEP_ID]])
    a = mask_tokens(ids, 100, torch.Generator().manual_seed(7))
    b = mask_tokens(ids, 100, torch.Generator().manual_seed(7))
    assert torch.equal(a.inputs, b.inputs) and torch.equal(a.fate, b.fate)


def test_attention_sees_both_sides_but_never_padding() -> None:
    model = tiny()
    ids = pad_batch([[CLS_ID, 10, 11, 12, SEP_ID], [CLS_ID, 10, SEP_ID]])
    with torch.no_grad():
        _, weights = model(ids, return_weights=True)
    for w in weights:
        assert float(w[0, :, 1, 3].min()) > 0  # a token looks to its right, unlike GPT
        assert torch.all(w[1, :, :, 3:] == 0)  # padding gets nothing
        assert torch.allclose(w[0].sum(-1), torch.ones(4, 5), atol=1e-5)


def test_a_change_on_the_right_changes_the_left_outputs() -> None:
    model = tiny()
    a, _ = model(torch.tensor([[CLS_ID, 10, 11, 12, SEP_ID]]))
    b, _ = model(torch.tensor([[CLS_ID, 10, 11, 13, SEP_ID]]))
    assert not torch.allclose(a[0, 1], b[0, 1])  # bidirectional: position 1 saw position 3


def test_pretraining_lowers_the_masked_loss_and_fill_mask_reads_typed_masks() -> None:
    from tutor.core.bert_lm import MaskedLM
    from tutor.core.train.bert import BertTrainConfig, MonolingualData, evaluate, pretrain

    data = sentences()
    vocab = build_vocab(data, 1)
    cfg = BertConfig(vocab=len(vocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0, max_positions=32)
    before = evaluate(BERT(cfg), [encode(vocab, s, 32) for s in data])
    model, figures = pretrain(MonolingualData(vocab, data * 4, data), cfg,
                              BertTrainConfig(epochs=6, batch_size=16, lr=3e-3, warmup=5))
    assert figures["valid"]["loss"] < before["loss"] - 0.5
    assert len(figures["valid_per_epoch"]) == 6 and 0 <= figures["valid"]["top5"] <= 1
    lm = MaskedLM(model, vocab, figures)
    for typed in ("犬が[MASK]で遊ぶ。", "犬が［ＭＡＳＫ］で遊ぶ。", "犬が[mask]で遊ぶ。"):
        filled = lm.fill(typed, top_k=5)
        assert filled.tokens[:3] == ["犬", "が", MASK] and [b.index for b in filled.blanks] == [2]
        cands = filled.blanks[0].candidates
        assert len(cands) == 5 and all(not t.startswith(("[", "<")) for t, _ in cands)
        assert cands == sorted(cands, key=lambda c: -c[1]) and sum(p for _, p in cands) <= 1 + 1e-6
    # Hiding a token by its index, and no blank at all.
    assert [b.index for b in lm.fill("犬が走る。", extra_masks=(0,)).blanks] == [0]
    assert lm.fill("犬が走る。").blanks == []


def test_fine_tuning_lowers_the_loss_and_the_frozen_encoder_stays_put() -> None:
    from tutor.core.train.bert import FinetuneConfig, finetune

    data = sentences()
    vocab = build_vocab(data, 1)
    encoder = BERT(BertConfig(vocab=len(vocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0, max_positions=32))
    seqs = [encode(vocab, s, 32) for s in data]
    labels = [int("犬" in s) for s in data]  # learnable from the tokens
    seen = []
    cfg = FinetuneConfig(epochs=8, batch_size=8, lr=3e-3, warmup=2)
    model, figures = finetune(encoder, (seqs, labels), (seqs, labels), cfg, on_progress=seen.append)
    assert seen[-1].loss < seen[0].loss and max(figures["valid_accuracy_per_epoch"]) >= 0.8
    before = {k: v.clone() for k, v in encoder.state_dict().items()}
    frozen, _ = finetune(encoder, (seqs, labels), None, FinetuneConfig(epochs=1, batch_size=8), freeze=True)
    assert all(torch.equal(before[k], v) for k, v in frozen.encoder.state_dict().items())
    assert all(torch.equal(before[k], v) for k, v in encoder.state_dict().items())  # the original is never touched
