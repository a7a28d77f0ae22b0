"""`tutor train all`: order, resume after an interruption, dependents retrained, cards naming the final folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.cli_train_all import STATE, read_state, run_all
from tutor.core import recipes


def fake_runner(calls: list[str], fail_at: str | None = None, code: int = 130):
    def run(recipe, partial: Path, out_dir: Path) -> int:
        calls.append(recipe.folder)
        if recipe.folder == fail_at:
            partial.mkdir()
            (partial / "config.json").write_text("{}", encoding="utf-8")  # half-written
            if code == 130:
                raise KeyboardInterrupt
            return code
        partial.mkdir()
        (partial / "config.json").write_text(json.dumps({"command": f"tutor train x --out {partial}"}),
                                             encoding="utf-8")
        (partial / "CARD.md").write_text(f"```sh\ntutor train x --out {partial}\n```\n", encoding="utf-8")
        return 0
    return run


def test_every_bundled_folder_has_a_recipe_and_the_classifier_follows_its_base() -> None:
    bundled = sorted(p.name for p in (Path(__file__).parents[2] / "models").iterdir() if p.is_dir())
    assert sorted(recipes.BY_FOLDER) == bundled
    order = [r.folder for r in recipes.RECIPES]
    assert order.index("bert") < order.index("bert-sentiment")
    assert [r.folder for r in recipes.plan(["bert"])] == ["bert", "bert-sentiment"]
    with pytest.raises(KeyError):
        recipes.plan(["nope"])


def test_an_interrupted_run_continues_where_it_stopped(tmp_path) -> None:
    plan = recipes.plan(["bigram-ja", "word2vec-cbow", "gpt"])
    calls: list[str] = []
    logs: list[str] = []
    (tmp_path / "word2vec-cbow").mkdir()
    (tmp_path / "word2vec-cbow" / "config.json").write_text('{"old": 1}', encoding="utf-8")
    assert run_all(plan, tmp_path, fake_runner(calls, fail_at="word2vec-cbow"), log=logs.append) == 130
    assert calls == ["bigram-ja", "word2vec-cbow"]
    # the interrupted model's folder is as it was; no half-written folder is left
    assert json.loads((tmp_path / "word2vec-cbow" / "config.json").read_text()) == {"old": 1}
    assert not list(tmp_path.glob("*.partial"))
    assert list(read_state(tmp_path / STATE)["done"]) == ["bigram-ja"]
    assert any("word2vec-cbow から続けます" in line for line in logs)

    calls.clear()
    assert run_all(plan, tmp_path, fake_runner(calls), log=logs.append) == 0
    assert calls == ["word2vec-cbow", "gpt"]
    assert set(read_state(tmp_path / STATE)["done"]) == {"bigram-ja", "word2vec-cbow", "gpt"}
    card = (tmp_path / "gpt" / "CARD.md").read_text()
    assert ".partial" not in card and str(tmp_path / "gpt") in card
    assert ".partial" not in (tmp_path / "gpt" / "config.json").read_text()

    calls.clear()
    assert run_all(plan, tmp_path, fake_runner(calls), log=logs.append) == 0
    assert calls == [] and any("学習しました: 3 モデル" in line for line in logs)
    assert run_all(plan, tmp_path, fake_runner(calls), restart=True, log=logs.append) == 0
    assert calls == ["bigram-ja", "word2vec-cbow", "gpt"]


def test_a_failed_model_stops_the_run_and_is_retried_next_time(tmp_path) -> None:
    plan = recipes.plan(["bigram-ja", "word2vec-cbow"])
    calls: list[str] = []
    assert run_all(plan, tmp_path, fake_runner(calls, fail_at="bigram-ja", code=1), log=lambda _: None) == 1
    assert calls == ["bigram-ja"] and not (tmp_path / "bigram-ja").exists()
    calls.clear()
    assert run_all(plan, tmp_path, fake_runner(calls), log=lambda _: None) == 0
    assert calls == ["bigram-ja", "word2vec-cbow"]


def test_retraining_a_base_retrains_what_is_built_on_it(tmp_path) -> None:
    plan = recipes.plan(["bert"])
    calls: list[str] = []
    assert run_all(plan, tmp_path, fake_runner(calls), log=lambda _: None) == 0
    assert calls == ["bert", "bert-sentiment"]
    (tmp_path / "bert" / "config.json").unlink()  # bert lost: both again
    calls.clear()
    assert run_all(plan, tmp_path, fake_runner(calls), log=lambda _: None) == 0
    assert calls == ["bert", "bert-sentiment"]


def test_other_settings_start_over(tmp_path) -> None:
    plan = recipes.plan(["bigram-ja"])
    calls: list[str] = []
    logs: list[str] = []
    run_all(plan, tmp_path, fake_runner(calls), settings={"limit": None}, log=logs.append)
    run_all(plan, tmp_path, fake_runner(calls), settings={"limit": 500}, log=logs.append)
    assert calls == ["bigram-ja", "bigram-ja"] and any("設定が違う" in line for line in logs)


def test_a_corrupt_record_is_read_as_nothing_done(tmp_path) -> None:
    (tmp_path / STATE).write_text("{not json", encoding="utf-8")
    assert read_state(tmp_path / STATE) == {"done": {}}
    (tmp_path / STATE).write_text('{"done": [1]}', encoding="utf-8")
    assert read_state(tmp_path / STATE) == {"done": {}}


def test_train_all_runs_the_real_commands(tmp_path, capsys) -> None:
    """The real command, in child processes, on a tiny corpus: the bigram model, then the same run again."""
    from tutor.__main__ import main
    from tutor.core import ngram

    data = tmp_path / "data"
    data.mkdir()
    ja = ["犬 が 走る 。", "猫 が 寝る 。", "犬 が 寝る 。", "鳥 が 飛ぶ 。"] * 5
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(ja) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("a\n" * len(ja), encoding="utf-8")
    out = tmp_path / "models"
    assert main(["train", "all", "--only", "bigram-ja", "--data", str(data), "--out", str(out)]) == 0
    lm, meta = ngram.load(out / "bigram-ja")
    assert meta["sentences"] == 18 and lm.count("犬", "が") > 0
    card = (out / "bigram-ja" / "CARD.md").read_text(encoding="utf-8")
    assert f"--out {out / 'bigram-ja'}" in card and ".partial" not in card
    assert main(["train", "all", "--only", "bigram-ja", "--data", str(data), "--out", str(out)]) == 0
    assert "前回までに学習済み" in capsys.readouterr().out
    assert main(["train", "all", "--only", "nope"]) == 1
