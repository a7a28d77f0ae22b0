"""Word vectors: queries on hand-made vectors, save/load without pickle, the manifest check."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tutor.core import checkpoint, word2vec
from tutor.core.word2vec import UnknownWord, W2VConfig, WordVectors, pca_2d
from tutor.core.word2vec_eval import EvalSet, evaluate

# Axis 0: royalty, axis 1: male, axis 2: female, axis 3: animal. 女王 = 王 - 男 + 女 exactly.
ROYAL = {
    "王": [1.0, 1.0, 0.0, 0.0],
    "女王": [1.0, 0.0, 1.0, 0.0],
    "男": [0.0, 1.0, 0.0, 0.0],
    "女": [0.0, 0.0, 1.0, 0.0],
    "犬": [0.0, 0.1, 0.0, 1.0],
    "猫": [0.0, 0.0, 0.1, 1.0],
    "日本": [0.3, 0.3, 0.3, 0.3],
}


@pytest.fixture
def royal() -> WordVectors:
    return WordVectors(list(ROYAL), np.array(list(ROYAL.values())), counts=np.arange(len(ROYAL))[::-1] + 1)


def test_similar_is_cosine_ranked_and_leaves_the_word_out(royal):
    got = royal.similar("犬", topn=3)
    assert got[0].word == "猫"
    assert "犬" not in [n.word for n in got]
    a, b = np.array(ROYAL["犬"]), np.array(ROYAL["猫"])
    assert got[0].similarity == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b), abs=1e-6)
    sims = [n.similarity for n in got]
    assert sims == sorted(sims, reverse=True)


def test_analogy_king_minus_man_plus_woman(royal):
    got = royal.analogy(["王", "女"], ["男"], topn=3)
    assert got[0].word == "女王"
    assert not {"王", "男", "女"} & {n.word for n in got}


def test_queries_match_gensim_keyed_vectors():
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(50)]
    ours_wv = WordVectors(words, rng.normal(size=(50, 8)))
    kv = ours_wv.to_keyed_vectors()
    for word in words[:10]:
        ours = [(n.word, round(n.similarity, 5)) for n in ours_wv.similar(word, topn=5)]
        theirs = [(w, round(s, 5)) for w, s in kv.most_similar(word, topn=5)]
        assert ours == theirs
    ours = [(n.word, round(n.similarity, 5)) for n in ours_wv.analogy(["w1", "w2"], ["w3"], topn=5)]
    theirs = [(w, round(s, 5)) for w, s in kv.most_similar(positive=["w1", "w2"], negative=["w3"], topn=5)]
    assert ours == theirs


def test_unknown_word_names_it_and_suggests_mecab_pieces(royal):
    with pytest.raises(UnknownWord) as err:
        royal.similar("日本語")
    assert "日本語" in str(err.value)
    assert "日本" in err.value.suggestions
    with pytest.raises(UnknownWord):
        royal.analogy(["王", "ライオン"], ["男"])


def test_unknown_word_message_shortens_a_huge_query(royal):
    with pytest.raises(UnknownWord) as err:
        royal.similar("あ" * 100_000)
    assert len(str(err.value)) < 200


def test_save_and_load_round_trip_without_pickle(tmp_path, royal, monkeypatch):
    royal.config = W2VConfig(sg=True, vector_size=4, window=2, epochs=3, min_count=1)
    royal.meta = {"train_seconds": 1.5}
    folder = tmp_path / "word2vec-skipgram"
    royal.save(folder, card="# card\n")
    assert sorted(p.name for p in folder.iterdir()) == ["CARD.md", "config.json", "model.safetensors", "vocab.json"]

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle used at load time")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    loaded = word2vec.load(folder)
    assert loaded.words == royal.words
    np.testing.assert_array_equal(loaded.vectors, royal.vectors.astype(np.float16).astype(np.float32))
    np.testing.assert_array_equal(loaded.counts, royal.counts)
    assert loaded.config == royal.config
    assert loaded.meta == {"train_seconds": 1.5}
    assert [n.word for n in loaded.similar("犬")] == [n.word for n in royal.similar("犬")]


def test_saving_over_a_model_replaces_it_whole(tmp_path, royal):
    folder = tmp_path / "m"
    royal.save(folder)
    small = WordVectors(["犬", "猫"], np.eye(2))
    small.save(folder)
    assert word2vec.load(folder).words == ["犬", "猫"]
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temporary folders left behind


def test_manifest_catches_an_edited_or_missing_file(tmp_path, royal):
    royal.save(tmp_path / "word2vec-cbow")
    checkpoint.write_manifest(tmp_path)
    word2vec.load(tmp_path / "word2vec-cbow")  # matches: loads

    vocab = tmp_path / "word2vec-cbow" / "vocab.json"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("猫", "狐"), encoding="utf-8")
    with pytest.raises(checkpoint.ModelCorrupt, match="vocab.json"):
        word2vec.load(tmp_path / "word2vec-cbow")

    (tmp_path / "word2vec-cbow" / "model.safetensors").unlink()
    with pytest.raises(checkpoint.ModelMissing):
        word2vec.load(tmp_path / "word2vec-cbow")
    with pytest.raises(checkpoint.ModelMissing):
        word2vec.load(tmp_path / "nowhere")


def test_a_model_not_in_the_manifest_is_refused(tmp_path, royal):
    royal.save(tmp_path / "a")
    checkpoint.write_manifest(tmp_path)
    royal.save(tmp_path / "b")
    with pytest.raises(checkpoint.ModelCorrupt, match="MANIFEST"):
        word2vec.load(tmp_path / "b")


def test_garbage_weights_are_a_clear_error(tmp_path, royal):
    royal.save(tmp_path / "m")
    (tmp_path / "m" / "model.safetensors").write_bytes(b"\x80\x04not safetensors")
    with pytest.raises(checkpoint.ModelCorrupt):
        word2vec.load(tmp_path / "m")


def test_pca_separates_two_clusters():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 0.1, (5, 10)) + 3
    b = rng.normal(0, 0.1, (5, 10)) - 3
    coords, (s1, s2) = pca_2d(np.vstack([a, b]))
    assert coords.shape == (10, 2)
    assert s1 > 0.9 and 0 <= s2 < 0.1 and s1 + s2 <= 1 + 1e-9
    assert np.all(np.sign(coords[:5, 0]) == -np.sign(coords[5:, 0]))


def test_pca_of_one_or_two_words():
    assert pca_2d(np.ones((1, 4)))[0].shape == (1, 2)
    assert pca_2d(np.eye(2, 4))[0].shape == (2, 2)


def test_evaluation_scores_a_perfectly_grouped_space_at_its_ceiling():
    words = ["月", "火", "水", "赤", "青", "白"]
    vecs = np.array([[1, 0.1 * i, 0] for i in range(3)] + [[0, 0.1 * i, 1] for i in range(3)], dtype=float)
    wv = WordVectors(words, vecs)
    evalset = EvalSet({"曜": ["月", "火", "水"], "色": ["赤", "青", "白", "黒"]}, [("月", "火", "赤", "青")])
    q = evaluate(wv, evalset, topn=2)
    # 黒 is missing: a miss, not skipped.
    assert q.coverage == pytest.approx(6 / 7)
    assert q.per_group["曜"] == pytest.approx(1.0)
    assert q.per_group["色"] == pytest.approx(3 / 4)
    assert q.ceiling == pytest.approx(1.0)
    assert len(q.analogies) == 1 and q.analogies[0].answers


def test_the_team_evaluation_set_parses():
    from tutor.settings import PROJECT_ROOT

    evalset = EvalSet.load(PROJECT_ROOT / "assets" / "word2vec_eval.toml")
    assert len(evalset.groups) >= 10
    assert ("王", "男", "女", "女王") in evalset.analogies


def test_a_failed_save_keeps_the_old_model_and_leaves_nothing(tmp_path, royal, monkeypatch) -> None:
    royal.save(tmp_path / "m")

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(checkpoint, "save_arrays", disk_full)
    with pytest.raises(OSError):
        WordVectors(["犬"], np.ones((1, 2))).save(tmp_path / "m")
    assert word2vec.load(tmp_path / "m").words == royal.words
    assert [p.name for p in tmp_path.iterdir()] == ["m"]
