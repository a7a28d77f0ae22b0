"""`tutor train seq2seq`, `translate` and `eval seq2seq` on a tiny corpus the team wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.core import checkpoint, translator

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def run(capsys, argv, paths):
    code = main(argv, paths=paths)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny translator trained through the CLI (the target side: our own rough English)."""
    from tutor.settings import Paths

    base = tmp_path_factory.mktemp("s2s")
    lines = TINY.read_text(encoding="utf-8").splitlines()
    en = [f"sentence {i} about {'dogs' if '犬' in line else 'things'} ." for i, line in enumerate(lines)]
    data = base / "corpus"
    data.mkdir()
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    paths = Paths(data_dir=base / "data", config_dir=base / "config")
    out = base / "model"
    code = main(["train", "seq2seq", "--variant", "additive", "--epochs", "2", "--emb", "16", "--hidden", "24",
                 "--batch-size", "16", "--eval-beam", "2", "--data", str(data), "--out", str(out)], paths=paths)
    assert code == 0
    return paths, out, data


def test_train_saves_a_loadable_model_without_pickle(trained) -> None:
    _, out, _ = trained
    assert sorted(p.name for p in out.iterdir()) == ["CARD.md", "config.json", "model.safetensors", "vocab.json"]
    model = translator.load(out)
    assert model.variant == "additive" and model.model.cfg.hidden == 24
    assert len(model.meta["valid_bleu_per_epoch"]) == 2


def test_translate_json_shape(capsys, trained) -> None:
    paths, out, _ = trained
    code, stdout, _ = run(capsys, ["translate", "犬が走る", "--dir", str(out), "--json"], paths)
    assert code == 0
    data = json.loads(stdout)
    assert set(data) == {"variant", "source", "target", "attention"}
    assert data["source"] == ["犬", "が", "走る"]
    assert len(data["attention"]) == len(data["target"])
    assert all(len(row) == 3 and abs(sum(row) - 1) < 1e-4 for row in data["attention"])


def test_translate_hard_and_beam(capsys, trained) -> None:
    paths, out, _ = trained
    code, stdout, _ = run(capsys, ["translate", "猫が寝ている", "--dir", str(out), "--hard", "--json"], paths)
    rows = json.loads(stdout)["attention"]
    assert code == 0 and all(sorted(r)[-1] == 1.0 and sum(r) == 1.0 for r in rows)
    code, stdout, _ = run(capsys, ["translate", "猫が寝ている", "--dir", str(out), "--beam", "3"], paths)
    assert code == 0 and stdout.count("\n") == 1  # one line per input, even if a tiny model says little
    code, _, err = run(capsys, ["translate", "猫", "--dir", str(out), "--beam", "11"], paths)
    assert code == 2 and "1〜10" in err


def test_eval_prints_corpus_and_bucket_bleu(capsys, trained) -> None:
    paths, out, data = trained
    code, stdout, _ = run(capsys, ["eval", "seq2seq", "--dir", str(out), "--ja", str(data / "dev.ja"),
                                   "--en", str(data / "dev.en"), "--json"], paths)
    result = json.loads(stdout)
    assert code == 0 and result["sentences"] == 50 and 0 <= result["bleu"] <= 100
    assert set(result["buckets"]) <= {"≤ 8", "9–12", "≥ 13"} and result["buckets"]


def test_a_missing_or_broken_model_is_a_message(capsys, trained, tmp_path) -> None:
    paths, out, _ = trained
    code, _, err = run(capsys, ["translate", "犬", "--dir", str(tmp_path / "none")], paths)
    assert code == 1 and "見つかりません" in err
    (out / "vocab.json").write_text('{"src": ["<pad>"]}', encoding="utf-8")
    code, _, err = run(capsys, ["translate", "犬", "--dir", str(out)], paths)
    assert code == 1 and "読めません" in err
    assert not isinstance(checkpoint.ModelCorrupt("x"), checkpoint.ModelMissing)
