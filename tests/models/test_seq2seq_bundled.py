"""The bundled RNN translators: load on CPU, golden translations, attention shapes, measured BLEU.

Golden outputs pin the committed weights: after retraining on purpose, update them
together with the model (and its CARD.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.core import translator
from tutor.core.variants import BUNDLED, VARIANTS
from tutor.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"
PRESENT = [v for v in VARIANTS if (MODELS / BUNDLED[v]).is_dir()]


def test_the_default_is_the_best_readable_translator() -> None:
    """variants.BEST and BEST_BEAM: among the attention variants whose grid reads as an alignment, the
    variant and decoding with the best recorded BLEU (validation once a model records it; sharpness as
    recorded, else measured on the team's sentences)."""
    from tutor.core.translator import READABLE_SHARPNESS
    from tutor.core.variants import BEST, BEST_BEAM, GRID_DEFAULT

    team = (Path(__file__).parents[1] / "data" / "tiny_ja.txt").read_text(encoding="utf-8").splitlines()
    scores, sharpness = {}, {}
    for v in PRESENT:
        if v == "plain":
            continue
        model = translator.load(MODELS / BUNDLED[v])
        figures = model.meta.get("validation") or model.meta["evaluation"]
        sharpness[v] = (figures.get("sharpness") or translator.sharpness(model, team))["mean_max"]
        for name, result in figures.items():
            if name == "greedy" or name.startswith("beam "):
                scores[(v, 1 if name == "greedy" else int(name.split()[1]))] = result["bleu"]
    readable = {key: bleu for key, bleu in scores.items() if sharpness[key[0]] >= READABLE_SHARPNESS}
    assert {"dot", "general"} <= {v for v, _ in readable} and "concat" not in {v for v, _ in readable}
    assert (BEST, BEST_BEAM) == max(readable, key=readable.get) and GRID_DEFAULT == BEST


@pytest.fixture(scope="module")
def general():
    return translator.load(MODELS / BUNDLED["general"])


def test_golden_translation_and_crossing_attention(general) -> None:
    result = general.translate("私は犬が好きです。")
    assert result.source == ["私", "は", "犬", "が", "好き", "です", "。"]
    assert result.target == ["i", "like", "dogs", "."]
    looks_at = [result.source[row.index(max(row))] for row in result.attention]
    assert looks_at[:3] == ["私", "好き", "犬"]  # "like" reaches to the end, "dogs" back: SOV vs SVO


def test_golden_beam_and_hard(general) -> None:
    assert general.translate("昨日、駅の近くで古い友人に会いました。", beam=5).target == [
        "i",
        "met",
        "a",
        "old",
        "friend",
        "near",
        "the",
        "station",
        "yesterday",
        ".",
    ]
    hard = general.translate("私は犬が好きです。", hard=True)
    assert all(sorted(row)[-1] == 1.0 and sum(row) == 1.0 for row in hard.attention)


def test_beam_of_one_is_greedy_on_the_bundled_model(general) -> None:
    for text in ["私は毎朝犬と公園を散歩します。", "この坂の上の店はとても静かだ。"]:
        assert general.translate(text, beam=1).target == general.translate(text, beam=1).target
        from tutor.core.seq2seq_decode import beam_search

        ids = general.src_vocab.encode(general.translate(text).source)
        assert (
            general.tgt_vocab.decode(beam_search(general.model, ids, width=1)[0].tokens)
            == general.translate(text).target
        )


@pytest.mark.skipif(
    not os.environ.get("TUTOR_DATA_DIR"), reason="TUTOR_DATA_DIR is not set: the dev split is not available"
)
def test_recorded_dev_bleu_is_what_the_model_scores(general) -> None:
    from tutor.cli_seq2seq import evaluate
    from tutor.core import corpus

    pairs = list(corpus.read_pairs(Path(os.environ["TUTOR_DATA_DIR"]), "dev"))
    result = evaluate(general, [p.ja for p in pairs], [p.en for p in pairs])
    assert result["bleu"] == pytest.approx(general.meta["evaluation"]["greedy"]["bleu"], abs=0.01)
    assert result["bleu"] >= 28  # the bar for greedy decoding


#: One sentence through every bundled variant (greedy): plain loses "old" and "at the station".
GOLDEN = {
    "plain": "he met his friend in the sea .",
    "dot": "he met an old friend at the station yesterday .",
    "general": "he met an old friend at the station yesterday .",
    "concat": "he met old friends at the station yesterday .",
    "additive": "he met old friend at the station yesterday .",
}


@pytest.mark.parametrize("variant", PRESENT)
def test_golden_translation_of_every_bundled_variant(variant) -> None:
    model = translator.load(MODELS / BUNDLED[variant])
    result = model.translate("彼は昨日駅で古い友達に会った。")
    assert " ".join(result.target) == GOLDEN[variant]
    assert (result.attention is None) == (variant == "plain")


def test_recorded_figures_plain_is_clearly_below_and_worst_on_long_sentences() -> None:
    """The figures each CARD.md reports (measured when the model was trained)."""
    figures = {v: translator.load(MODELS / BUNDLED[v]).meta["evaluation"]["greedy"] for v in PRESENT}
    assert "plain" in figures and len(figures) >= 3
    long = "≥ 13"
    for v, f in figures.items():
        if v != "plain":
            assert f["bleu"] >= 28 and f["bleu"] - figures["plain"]["bleu"] > 5
            gap_long = f["buckets"][long]["bleu"] - figures["plain"]["buckets"][long]["bleu"]
            gap_short = f["buckets"]["≤ 8"]["bleu"] - figures["plain"]["buckets"]["≤ 8"]["bleu"]
            assert gap_long > gap_short  # the bottleneck hurts long sentences most
