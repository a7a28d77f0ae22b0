"""`tutor train transformer`, `translate --variant transformer` and `eval transformer` on a tiny corpus the team
wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.core import translator

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from tutor.settings import Paths

    base = tmp_path_factory.mktemp("tf")
    lines = TINY.read_text(encoding="utf-8").splitlines()
    en = [f"sentence {i} about {'dogs' if '犬' in line else 'things'} ." for i, line in enumerate(lines)]
    data = base / "corpus"
    data.mkdir()
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    paths = Paths(data_dir=base / "data", config_dir=base / "config")
    out = base / "model"
    code = main(["train", "transformer", "--epochs", "3", "--d-model", "16", "--heads", "2", "--d-ff", "32",
                 "--layers", "1", "--warmup", "5", "--average", "2", "--batch-size", "16", "--eval-beam", "2",
                 "--data", str(data), "--out", str(out)], paths=paths)
    assert code == 0
    return paths, out


def test_cli_defaults_are_the_config_defaults() -> None:
    from tutor.cli_seq2seq import TRANSFORMER_DEFAULTS
    from tutor.core.train.transformer import TransformerTrainConfig
    from tutor.core.transformer import TransformerConfig

    for key, value in TRANSFORMER_DEFAULTS.items():
        cls = TransformerConfig if key in TransformerConfig.__dataclass_fields__ else TransformerTrainConfig
        assert getattr(cls, key) == value, key


def test_train_saves_a_loadable_transformer_with_its_card(trained) -> None:
    _, out = trained
    assert sorted(p.name for p in out.iterdir()) == ["CARD.md", "config.json", "model.safetensors", "vocab.json"]
    model = translator.load(out)
    assert model.variant == "transformer" and model.model.cfg.d_model == 16
    assert len(model.meta["valid_bleu_per_epoch"]) == 3 and "greedy" in model.meta["evaluation"]
    card = (out / "CARD.md").read_text(encoding="utf-8")
    assert "tutor train transformer" in card and "beam 2" in card


def test_translate_json_has_cross_attention_per_layer_and_head(capsys, trained) -> None:
    paths, out = trained
    assert main(["translate", "犬が走る", "--variant", "transformer", "--dir", str(out), "--json"], paths=paths) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"variant", "source", "target", "attention", "cross_attention"}
    assert data["variant"] == "transformer" and data["source"] == ["犬", "が", "走る"]
    n = len(data["target"])
    assert len(data["attention"]) == n and all(abs(sum(r) - 1) < 1e-4 for r in data["attention"])
    layers = data["cross_attention"]
    assert len(layers) == 1 and len(layers[0]) == 2  # 1 layer, 2 heads
    for head in layers[0]:
        assert len(head) == n and all(len(r) == 3 and abs(sum(r) - 1) < 1e-4 for r in head)
    # The summary row is the heads' mean of the last layer.
    for t in range(n):
        for s in range(3):
            assert data["attention"][t][s] == pytest.approx(sum(h[t][s] for h in layers[-1]) / 2, abs=1e-5)


def test_hard_is_refused_and_beam_works(capsys, trained) -> None:
    paths, out = trained
    assert main(["translate", "犬が走る", "--variant", "transformer", "--dir", str(out), "--hard"], paths=paths) == 2
    assert "--hard" in capsys.readouterr().err
    assert main(["translate", "犬が走る", "--variant", "transformer", "--dir", str(out), "--beam", "3"],
                paths=paths) == 0
    assert capsys.readouterr().out.strip()


def test_eval_transformer_reports_buckets(capsys, trained) -> None:
    paths, out = trained
    data = out.parent / "corpus"
    code = main(["eval", "transformer", "--dir", str(out), "--ja", str(data / "dev.ja"), "--en", str(data / "dev.en"),
                 "--json"], paths=paths)
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["variant"] == "transformer" and 0 <= result["bleu"] <= 100 and result["buckets"]


def test_device_cuda_without_a_gpu_falls_back_with_a_notice(capsys, trained, monkeypatch) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    paths, out = trained
    assert main(["--device", "cuda", "translate", "犬が走る", "--variant", "transformer", "--dir", str(out)],
                paths=paths) == 0
    captured = capsys.readouterr()
    # one line for the one input (this 3-epoch model's translation may be empty), and the notice
    assert captured.out.count("\n") == 1 and "CPU" in captured.err
