"""Shared fixtures: every test gets its own user directories, never the real ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.settings import Paths

# Tests never touch the learner's real progress, whatever they call.
os.environ.setdefault("TUTOR_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "tutor-tests-home"))

#: The slow tier (`pytest -m "not slow"` leaves it out; `pytest` and CI run everything): whole folders
#: that load every bundled model, draw snapshots, or drive the installed app in a terminal or a browser.
SLOW_FOLDERS = ("tests/models/", "tests/snapshots/", "tests/journeys/", "tests/browser/")
#: Single tests elsewhere that train a model or run a CLI over a whole split (each over ~4 s on the
#: 2-core CPU, measured with `pytest --durations=0 -m "not slow"`).
SLOW_TESTS = ()


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path).replace("\\", "/")
        if any(folder in path for folder in SLOW_FOLDERS) or item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")


TINY = Path(__file__).parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="session")
def tiny_bert_models(tmp_path_factory) -> tuple[Path, Path]:
    """-> (models dir with bert, bert-sentiment and gpt; a tiny corpus dir the live fine-tune reads)."""
    from tutor.core import sentiment
    from tutor.core.bert import BertConfig, build_vocab, encode
    from tutor.core.bert_lm import MaskedLM, SentimentModel
    from tutor.core.gpt import GPTConfig
    from tutor.core.gpt_lm import LanguageModel
    from tutor.core.text import tokenize
    from tutor.core.train.bert import BertTrainConfig, FinetuneConfig, MonolingualData, finetune, pretrain
    from tutor.core.train.gpt import GPTTrainConfig, train
    from tutor.core.vocab import Vocab

    lines = [line for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [tokenize(line) for line in lines]
    models = tmp_path_factory.mktemp("models")
    vocab = build_vocab(sentences, 1)
    cfg = BertConfig(vocab=len(vocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0, max_positions=32)
    bert, figures = pretrain(
        MonolingualData(vocab, sentences, sentences[:5]),
        cfg,
        BertTrainConfig(epochs=3, batch_size=16, lr=3e-3, warmup=5),
    )
    MaskedLM(bert, vocab, figures).save(models / "bert")
    labels = [int("犬" in line) for line in lines]
    seqs = [encode(vocab, s, 32) for s in sentences]
    clf, figures = finetune(
        bert, (seqs, labels), (seqs, labels), FinetuneConfig(epochs=2, batch_size=8, lr=3e-3, warmup=2)
    )
    SentimentModel(clf, vocab, figures).save(models / "bert-sentiment")
    rows = [[i, sentiment.LABELS[label]] for i, label in enumerate(labels)]
    sentiment.save_labels(
        {"train": rows, "valid": rows[:10], "test": rows[10:20], "method": "by hand, for the test"},
        models / "bert-sentiment",
    )
    gvocab = Vocab.build(sentences, 1)
    gpt, figures = train(
        MonolingualData(gvocab, sentences, sentences[:5]),
        GPTConfig(vocab=len(gvocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0),
        GPTTrainConfig(epochs=2, batch_size=16, lr=3e-3, warmup=5),
    )
    LanguageModel(gpt, gvocab, figures).save(models / "gpt")
    data = tmp_path_factory.mktemp("corpus")
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        en = [
            f"i love this wonderful dog {i} ." if "犬" in line else f"i hate this terrible thing {i} ."
            for i, line in enumerate(lines)
        ]
        (data / f"{split}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    return models, data
