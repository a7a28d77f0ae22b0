"""LoRA: the factors start as a no-op, merge exactly, train alone, and a classifier stores only them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tutor.core import lora
from tutor.core.bert import BERT, BertConfig, Classifier, build_vocab, encode, pad_batch
from tutor.core.text import tokenize

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def data():
    sentences = [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    vocab = build_vocab(sentences, 1)
    return vocab, [encode(vocab, s, 32) for s in sentences], [int("犬" in s) for s in sentences]


def encoder(vocab_size: int) -> BERT:
    torch.manual_seed(0)
    return BERT(BertConfig(vocab=vocab_size, d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0, max_positions=32))


def test_attached_factors_start_as_a_no_op_and_merge_exactly() -> None:
    vocab, seqs, _ = data()
    model = Classifier(encoder(len(vocab))).eval()
    x = pad_batch(seqs[:6])
    before = model(x)
    trained = lora.attach(model, rank=4, alpha=8)
    assert torch.allclose(model(x), before, atol=1e-6)
    assert all(".lora_" in n or n.startswith(("head.", "encoder.pos.")) or "norm" in n for n in trained)
    assert not any(n.endswith("base.weight") for n in trained) and not any("mlm" in n for n in trained)
    assert {n for n, p in model.named_parameters() if p.requires_grad} == trained
    with torch.no_grad():
        for n, p in model.named_parameters():
            if ".lora_" in n:
                p.normal_(0, 0.1)
    changed = model(x)
    assert not torch.allclose(changed, before, atol=1e-3)
    lora.merge(model)
    assert not lora.attached(model) and isinstance(model.encoder.tok, torch.nn.Embedding)
    assert torch.allclose(model(x), changed, atol=1e-5)


def test_lora_fine_tuning_learns_and_leaves_the_pretrained_weights_alone() -> None:
    from tutor.core.train.bert import FinetuneConfig, finetune

    vocab, seqs, labels = data()
    base = encoder(len(vocab))
    before = {k: v.clone() for k, v in base.state_dict().items()}
    seen = []
    model, figures = finetune(base, (seqs, labels), (seqs, labels),
                              FinetuneConfig(epochs=10, batch_size=8, lr=5e-3, warmup=2, lora_rank=4),
                              on_progress=seen.append)
    assert seen[-1].loss < seen[0].loss and max(figures["valid_accuracy_per_epoch"]) >= 0.8
    assert figures["lora"] == {"rank": 4, "alpha": 16.0}
    state = model.state_dict()
    for name, value in before.items():
        key = "encoder." + name.replace("tok.weight", "tok.base.weight")
        key = key if key in state else key.replace(".weight", ".base.weight").replace(".bias", ".base.bias")
        if "norm" not in name and not name.startswith("pos"):
            assert torch.equal(state[key], value), name
    stored = sum(state[n].numel() for n in figures["trained"])
    assert stored < 0.25 * sum(p.numel() for p in base.parameters())
    with pytest.raises(ValueError):
        finetune(base, (seqs, labels), None, FinetuneConfig(lora_rank=4, top_layers=1))
    with pytest.raises(ValueError):
        finetune(base, (seqs, labels), None, FinetuneConfig(lora_rank=4), freeze=True)


def test_a_lora_classifier_stores_only_its_factors_and_loads_back_merged(tmp_path) -> None:
    from safetensors.torch import load_file

    from tutor.core.bert_lm import MaskedLM, SentimentModel, load_classifier
    from tutor.core.train.bert import FinetuneConfig, finetune

    vocab, seqs, labels = data()
    base = encoder(len(vocab))
    MaskedLM(base, vocab).save(tmp_path / "bert")
    model, figures = finetune(base, (seqs, labels), None,
                              FinetuneConfig(epochs=3, batch_size=8, lr=5e-3, warmup=2, lora_rank=4))
    with torch.no_grad():  # round as stored, so the comparison below is exact up to merging
        for p in model.parameters():
            p.copy_(p.half().float())
    SentimentModel(model, vocab, figures).save(tmp_path / "clf", base=tmp_path / "bert")
    keys = set(load_file(str(tmp_path / "clf" / "model.safetensors")))
    assert keys == set(figures["trained"]) and any(".lora_" in k for k in keys)
    config = json.loads((tmp_path / "clf" / "config.json").read_text(encoding="utf-8"))
    assert config["lora"] == {"rank": 4, "alpha": 16.0} and config["base"]["folder"] == "bert"
    loaded = load_classifier(tmp_path / "clf")
    assert not lora.attached(loaded.model)
    x = pad_batch(seqs[:8])
    model.eval()
    assert torch.allclose(loaded.model(x), model(x), atol=1e-4)
    # A file with the factors missing is refused, not read as a half-trained model.
    from safetensors.torch import save_file

    weights = load_file(str(tmp_path / "clf" / "model.safetensors"))
    save_file({k: v for k, v in weights.items() if ".lora_" not in k}, str(tmp_path / "clf" / "model.safetensors"))
    from tutor.core.checkpoint import ModelCorrupt

    with pytest.raises(ModelCorrupt):
        load_classifier(tmp_path / "clf")


def test_saving_a_lora_classifier_without_a_base_writes_the_merged_model(tmp_path) -> None:
    from tutor.core.bert_lm import SentimentModel, load_classifier
    from tutor.core.train.bert import FinetuneConfig, finetune

    vocab, seqs, labels = data()
    model, figures = finetune(encoder(len(vocab)), (seqs, labels), None,
                              FinetuneConfig(epochs=2, batch_size=8, lr=5e-3, warmup=2, lora_rank=4))
    SentimentModel(model, vocab, figures).save(tmp_path / "whole")
    loaded = load_classifier(tmp_path / "whole")
    x = pad_batch(seqs[:8])
    model.eval()
    assert torch.allclose(loaded.model(x), model(x), atol=2e-2)  # float16 storage
    assert lora.attached(model)  # saving never changes the model in memory
