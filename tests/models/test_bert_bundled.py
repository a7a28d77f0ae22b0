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


@pytest.mark.skipif(
    not os.environ.get("TUTOR_DATA_DIR"), reason="TUTOR_DATA_DIR is not set: the dev split is not available"
)
def test_recorded_masked_accuracy_is_what_the_model_scores(lm) -> None:
    from tutor.cli_bert import evaluate_mlm
    from tutor.core import corpus
    from tutor.core.text import tokenize

    sentences = [tokenize(p.ja) for p in corpus.read_pairs(Path(os.environ["TUTOR_DATA_DIR"]), "dev")]
    result = evaluate_mlm(lm, sentences)
    assert result["top5"] == pytest.approx(lm.meta["evaluation"]["top5"], abs=1e-4)


# The bundled sentiment classifier (LoRA factors on top of models/bert): its verdict on each of the
# team's 80 hand-labelled sentences, in file order (p = positive, n = negative).
HAND_VERDICTS = "nnpnpppnnpnnnppnnppnnppnnppnppppnpppnnnpppppnpnnnppnpppppnppnnnnppnnnpnpnnnpnnpn"


@pytest.fixture(scope="module")
def clf():
    return bert_lm.load_classifier(MODELS / bert_lm.CLASSIFIER_FOLDER)


def test_golden_verdicts_on_the_hand_labelled_sentences(clf) -> None:
    from tutor.core import sentiment

    hand = sentiment.hand_labelled()
    verdicts = clf.classify_many(hand.texts)
    assert "".join(v.label[0] for v in verdicts) == HAND_VERDICTS
    right = sum(v.label == bert_lm.LABELS[y] for v, y in zip(verdicts, hand.labels))
    assert right / len(hand.labels) == pytest.approx(clf.meta["evaluation"]["hand"]["bert"], abs=1e-4)
    for v in verdicts:
        assert sum(v.probabilities.values()) == pytest.approx(1.0, abs=1e-5)


def test_golden_probabilities(clf) -> None:
    verdict = clf.classify("この映画はとても面白かった。")
    assert verdict.label == "positive" and verdict.probabilities["positive"] == pytest.approx(0.9935, abs=1e-3)
    assert clf.classify("私はこの町が嫌いだ。").label == "negative"


def test_the_classifier_is_stored_as_low_rank_factors_on_the_bundled_bert() -> None:
    import json

    from safetensors import safe_open

    folder = MODELS / bert_lm.CLASSIFIER_FOLDER
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["base"]["folder"] == bert_lm.FOLDER and config["lora"]["rank"] == 8
    with safe_open(str(folder / "model.safetensors"), "pt") as f:
        names = list(f.keys())
    assert any(".lora_" in n for n in names) and not any(
        n.endswith(("w_q.base.weight", "tok.base.weight")) for n in names
    )
    assert (folder / "model.safetensors").stat().st_size < 1_000_000


def test_recorded_classifier_accuracy_beats_both_baselines_on_both_sets(clf) -> None:
    for name in ("test", "hand"):
        r = clf.meta["evaluation"][name]
        assert r["bert"] > r["majority"] and r["bert"] > r["lexicon"], name
    assert clf.meta["evaluation"]["test"]["sentences"] > 1000


@pytest.mark.skipif(
    not os.environ.get("TUTOR_DATA_DIR"), reason="TUTOR_DATA_DIR is not set: the corpus is not available"
)
def test_recorded_test_accuracy_is_what_the_classifier_scores(clf) -> None:
    from tutor.core import sentiment

    labels = sentiment.read_labels(MODELS / bert_lm.CLASSIFIER_FOLDER)
    test = sentiment.resolve(Path(os.environ["TUTOR_DATA_DIR"]), labels["test"])
    predicted = [sentiment.LABELS.index(v.label) for v in clf.classify_many(test.texts)]
    assert len(test.texts) == clf.meta["evaluation"]["test"]["sentences"]
    assert sentiment.accuracy(predicted, test.labels) == pytest.approx(clf.meta["evaluation"]["test"]["bert"], abs=1e-4)
