"""`tutor similar`, `analogy`, `train word2vec` and `eval word2vec`: shapes, errors, a short training run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.core import word2vec

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def run(capsys, argv, paths):
    code = main(argv, paths=paths)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    lines = TINY.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "corpus"
    data.mkdir()
    (data / "train.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "train.en").write_text("\n".join("x" for _ in lines) + "\n", encoding="utf-8")
    return data


def test_similar_json_shape(capsys, paths) -> None:
    code, out, err = run(capsys, ["similar", "犬", "--model", "cbow", "--topn", "5", "--json"], paths)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"word", "model", "neighbors"}
    assert data["word"] == "犬" and data["model"] == "cbow"
    assert len(data["neighbors"]) == 5
    assert all(set(n) == {"word", "similarity"} and -1 <= n["similarity"] <= 1 for n in data["neighbors"])
    sims = [n["similarity"] for n in data["neighbors"]]
    assert sims == sorted(sims, reverse=True)


def test_analogy_json_shape(capsys, paths) -> None:
    code, out, err = run(capsys, ["analogy", "兄", "弟", "妹", "--json"], paths)
    assert code == 0
    data = json.loads(out)
    assert data["positive"] == ["兄", "妹"] and data["negative"] == ["弟"] and data["model"] == "skipgram"
    assert len(data["results"]) == 10
    assert not {"兄", "弟", "妹"} & {r["word"] for r in data["results"]}


def test_plain_output_is_a_table(capsys, paths) -> None:
    code, out, _ = run(capsys, ["similar", "ｲﾇ"], paths)  # half-width kana is normalized
    assert code == 0
    assert out.startswith("「イヌ」に近い単語（skipgram）") and "コサイン類似度" in out


@pytest.mark.parametrize("word", ["ぴよぴよぽん", "日本語", "\x00", "[/]", "😀", "あ" * 100_000])
def test_out_of_vocabulary_is_a_message_and_exit_1(capsys, paths, word) -> None:
    code, out, err = run(capsys, ["similar", word], paths)
    assert code == 1 and out == ""
    assert err.startswith("tutor: ") and len(err) < 300
    assert "語彙にありません" in err or "空" in err


def test_analogy_with_an_unknown_word_fails_cleanly(capsys, paths) -> None:
    code, out, err = run(capsys, ["analogy", "王", "ぴよぴよぽん", "女"], paths)
    assert code == 1 and out == "" and "ぴよぴよぽん" in err


def test_a_missing_model_is_a_message(capsys, paths, tmp_path) -> None:
    code, _, err = run(capsys, ["similar", "犬", "--dir", str(tmp_path / "none")], paths)
    assert code == 1 and "見つかりません" in err


def test_train_a_tiny_corpus_then_query_and_evaluate_it(capsys, paths, tiny_corpus, tmp_path) -> None:
    out_dir = tmp_path / "my-w2v"
    argv = ["train", "word2vec", "--sg", "--dim", "16", "--window", "2", "--epochs", "3", "--min-count", "1"]
    code, out, err = run(capsys, argv + ["--data", str(tiny_corpus), "--out", str(out_dir)], paths)
    assert code == 0, err
    assert "保存しました" in out and "エポック 3/3" in err
    wv = word2vec.load(out_dir)
    assert wv.dim == 16 and wv.config.sg and wv.config.epochs == 3 and "犬" in wv
    assert len(wv.meta["loss_per_epoch"]) == 3
    card = (out_dir / "CARD.md").read_text(encoding="utf-8")
    assert "tutor train word2vec" in card and "vector_size: 16" in card

    code, out, _ = run(capsys, ["similar", "犬", "--dir", str(out_dir), "--json"], paths)
    assert code == 0 and json.loads(out)["model"] == str(out_dir)
    code, out, _ = run(capsys, ["eval", "word2vec", "--dir", str(out_dir), "--json"], paths)
    figures = json.loads(out)
    assert code == 0 and 0 <= figures["neighbour_share"] <= figures["ceiling"] <= 1


def test_train_default_output_is_the_user_data_dir_not_the_bundle(capsys, paths, tiny_corpus) -> None:
    code, _, err = run(capsys, ["train", "word2vec", "--epochs", "1", "--min-count", "1", "--data", str(tiny_corpus)],
                       paths)
    assert code == 0, err
    assert (paths.user_models_dir / "word2vec-cbow" / "model.safetensors").is_file()


def test_train_without_corpus_says_how_to_get_it(capsys, paths, tmp_path) -> None:
    code, _, err = run(capsys, ["train", "word2vec", "--data", str(tmp_path)], paths)
    assert code == 1 and "train.ja" in err


def test_train_with_a_too_high_min_count_is_a_message(capsys, paths, tiny_corpus, tmp_path) -> None:
    argv = ["train", "word2vec", "--min-count", "1000", "--data", str(tiny_corpus), "--out", str(tmp_path / "x")]
    code, _, err = run(capsys, argv, paths)
    assert code == 1 and "最小出現回数" in err


def test_eval_of_the_bundled_model(capsys, paths) -> None:
    code, out, _ = run(capsys, ["eval", "word2vec", "--model", "cbow"], paths)
    assert code == 0
    assert "アナロジー" in out and "王 - 男 + 女" in out


def test_written_out_defaults_are_the_models_defaults() -> None:
    from tutor.cli_word2vec import DEFAULT_DIMS
    from tutor.core.word2vec import DEFAULTS

    assert DEFAULT_DIMS == {mode: cfg.vector_size for mode, cfg in DEFAULTS.items()}
