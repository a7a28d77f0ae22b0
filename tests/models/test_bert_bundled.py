"""The bundled BERT: golden fill-mask outputs, the issue's bar, measured figures.

Golden outputs pin the committed weights: after retraining on purpose, update them
together with the models (and their CARD.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.core import bert_lm
from tutor.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"


@pytest.fixture(scope="module")
def lm():
    return bert_lm.load(MODELS / bert_lm.FOLDER)


FILL = {
    "私は[MASK]が好きです。": ["雨"],
    "[MASK]は雨が降るでしょう。": ["彼"],
    "私は駅で友達に[MASK]。": ["なる"],
}


@pytest.mark.parametrize("text", list(FILL))
def test_golden_fill_mask(lm, text) -> None:
    filled = lm.fill(text, top_k=5)
    assert [b.candidates[0][0] for b in filled.blanks] == FILL[text]


def test_every_blank_gets_a_distribution(lm) -> None:
    filled = lm.fill("[MASK]は毎朝[MASK]を飲みます。", top_k=50)
    assert len(filled.blanks) == 2
    for blank in filled.blanks:
        ps = [p for _, p in blank.candidates]
        assert ps == sorted(ps, reverse=True) and 0 < sum(ps) <= 1 + 1e-6 and len(ps) == 50


def test_recorded_masked_accuracy_meets_the_bar(lm) -> None:
    ev = lm.meta["evaluation"]
    assert ev["top5"] >= 0.5 and ev["top1"] < ev["top5"] and ev["masked"] > 1000


@pytest.mark.skipif(not os.environ.get("TUTOR_DATA_DIR"), reason="TUTOR_DATA_DIR is not set: the dev split is not available")
def test_recorded_masked_accuracy_is_what_the_model_scores(lm) -> None:
    from tutor.cli_bert import evaluate_mlm
    from tutor.core import corpus
    from tutor.core.text import tokenize

    sentences = [tokenize(p.ja) for p in corpus.read_pairs(Path(os.environ["TUTOR_DATA_DIR"]), "dev")]
    result = evaluate_mlm(lm, sentences)
    assert result["top5"] == pytest.approx(lm.meta["evaluation"]["top5"], abs=1e-4)
