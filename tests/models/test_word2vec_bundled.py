"""The bundled word2vec models: the manifest, the size budget, no pickle, golden outputs.

The golden lists pin the committed weights: after retraining on purpose, update
them together with the models (and the figures in each CARD.md).
"""

from __future__ import annotations

import json

import pytest

from tutor.core import checkpoint, word2vec
from tutor.core.word2vec_eval import EvalSet, evaluate
from tutor.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"


@pytest.fixture(scope="module", params=["cbow", "skipgram"])
def bundled(request):
    return request.param, word2vec.load_bundled(MODELS, request.param)


def test_manifest_lists_every_bundled_file_with_its_hash() -> None:
    listed = checkpoint.read_manifest(MODELS)
    on_disk = {
        p.relative_to(MODELS).as_posix() for p in MODELS.rglob("*") if p.is_file() and p.name != checkpoint.MANIFEST
    }
    assert set(listed) == on_disk
    for rel, entry in listed.items():
        path = MODELS / rel
        assert path.stat().st_size == entry.size and checkpoint.sha256_file(path) == entry.sha256, rel


def test_models_fit_the_size_budget_and_hold_no_pickle() -> None:
    total = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert total < 60 * 2**20
    for path in MODELS.rglob("*"):
        assert path.suffix not in {".pkl", ".pickle", ".pt", ".pth", ".bin", ".model"}, path
    for path in MODELS.rglob("model.safetensors"):
        raw = path.read_bytes()
        header_len = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8 : 8 + header_len])  # safetensors: a JSON header, then raw arrays
        assert {v["dtype"] for k, v in header.items() if k != "__metadata__"} <= {
            "F16",
            "F32",
            "I32",
            "I64",
        }  # I32: the bigram counts


def test_bundled_models_are_what_the_defaults_train(bundled) -> None:
    mode, wv = bundled
    assert wv.config == word2vec.DEFAULTS[mode]
    assert wv.dim == wv.config.vector_size and len(wv) == wv.meta["vocabulary"]
    assert wv.meta["sentences"] == 50_000
    assert len(wv.meta["loss_per_epoch"]) == wv.config.epochs
    assert wv.meta["loss_per_epoch"][-1] < wv.meta["loss_per_epoch"][0]
    assert wv.meta["train_seconds"] <= 60


def test_recorded_quality_is_what_the_model_scores(bundled) -> None:
    """The figures in config.json and CARD.md are measured, not written by hand."""
    _, wv = bundled
    q = evaluate(wv, EvalSet.load(PROJECT_ROOT / "assets" / "word2vec_eval.toml"))
    recorded = wv.meta["quality"]
    assert q.neighbour_share == pytest.approx(recorded["neighbour_share"], abs=1e-3)
    assert q.analogy_accuracy == pytest.approx(recorded["analogy_accuracy"], abs=1e-3)
    card = (MODELS / word2vec.BUNDLED[bundled[0]] / "CARD.md").read_text(encoding="utf-8")
    assert f"{recorded['neighbour_share']:.3f}" in card


GOLDEN = {
    "cbow": {"月曜": ["土曜", "木曜", "一昨"], "犬": ["猫", "男の子", "ウサギ"]},
    "skipgram": {"月曜": ["金曜", "日曜", "水曜"], "犬": ["猫", "おおきな", "かわいそう"]},
}


def test_golden_neighbours(bundled) -> None:
    mode, wv = bundled
    for word, top3 in GOLDEN[mode].items():
        assert [n.word for n in wv.similar(word, 3)] == top3


def test_golden_analogies(bundled) -> None:
    _, wv = bundled
    assert wv.analogy(["兄", "妹"], ["弟"], 1)[0].word == "姉"
    # The famous one fails on this corpus (王 occurs 3 times, 女王 twice), as the lesson says.
    assert wv.analogy(["王", "女"], ["男"], 1)[0].word != "女王"
    assert wv.count("王") == 3 and wv.count("女王") == 2
