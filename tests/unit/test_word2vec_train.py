"""The word2vec trainer on sentences the team wrote: progress, loss, cancellation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.core.train import TrainingCancelled
from tutor.core.train.word2vec import sentences_from, train
from tutor.core.word2vec import W2VConfig

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="module")
def sentences() -> list[list[str]]:
    return sentences_from(TINY.read_text(encoding="utf-8").splitlines())


def test_sentences_are_our_mecab_tokens(sentences) -> None:
    assert sentences[0][:3] == ["犬", "が", "庭"]
    assert len(sentences) == 50


@pytest.mark.parametrize("sg", [False, True])
def test_training_reports_progress_and_loss(sentences, sg) -> None:
    reports = []
    config = W2VConfig(sg=sg, vector_size=12, window=2, epochs=4, min_count=1, workers=1)
    wv = train(sentences, config, on_progress=reports.append)
    assert wv.dim == 12 and {"犬", "猫", "父", "母"} <= set(wv.words)
    assert wv.counts[wv.index["犬"]] == sum(s.count("犬") for s in sentences)
    assert wv.words[0] in ("は", "。")  # most frequent first
    fractions = [r.fraction for r in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert reports[-1].epoch == 4 and len(reports[-1].losses) == 4
    assert all(loss > 0 for loss in wv.meta["loss_per_epoch"])
    assert wv.meta["sentences"] == 50 and wv.meta["vocabulary"] == len(wv)


def test_min_count_drops_rare_words(sentences) -> None:
    wv = train(sentences, W2VConfig(vector_size=8, epochs=1, min_count=5, workers=1))
    assert "犬" in wv and "春" not in wv  # 春 occurs once


def test_stopping_raises_and_keeps_nothing(sentences) -> None:
    calls = {"n": 0}

    def should_stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 120  # part way through the third epoch

    with pytest.raises(TrainingCancelled):
        train(sentences, W2VConfig(vector_size=8, epochs=1000, min_count=1, workers=1), should_stop=should_stop)
    assert calls["n"] < 200  # it left at once, not after 1000 empty epochs


def test_nothing_to_train_on_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="文がありません"):
        train([], W2VConfig())
    with pytest.raises(ValueError, match="最小出現回数"):
        train([["犬"]], W2VConfig(min_count=2))
