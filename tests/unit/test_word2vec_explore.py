"""What the L2 pages ask of word vectors (tutor.core.word2vec_explore), and L1's one-hot distances on a budget."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core import onehot
from tutor.core.word2vec import WordVectors
from tutor.core.word2vec_explore import analogy_rank, content_words, map_layout, rare_words

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
COUNTS = {"王": 3, "女王": 2, "男": 500, "女": 400, "犬": 50, "猫": 40, "日本": 900}


@pytest.fixture
def royal() -> WordVectors:
    return WordVectors(list(ROYAL), np.array(list(ROYAL.values())), counts=np.array([COUNTS[w] for w in ROYAL]))


def test_content_words_keep_nouns_and_verbs_once_in_order() -> None:
    words = content_words("犬が公園で犬と走っている")
    assert words[:3] == ["犬", "公園", "走っ"]
    assert words.count("犬") == 1
    assert not {"が", "で", "と", "て", "いる"} & set(words)  # particles and いる (非自立可能) are not queries
    assert len(content_words("犬 猫 馬 鳥 魚 車 船 家 本 木", limit=4)) == 4


def test_rare_words_uses_the_highest_count_of_any_model(royal) -> None:
    other = WordVectors(["王"], np.ones((1, 4)), counts=np.array([30]))
    assert rare_words(["王", "女王", "男", "ぴよ", "王"], [royal]) == [("王", 3), ("女王", 2)]
    assert rare_words(["王", "女王"], [royal, other]) == [("女王", 2)]  # another model saw 王 often enough
    assert rare_words(["男"], [royal], threshold=1000) == [("男", 500)]
    assert rare_words(["ぴよ"], [royal]) == []  # unknown everywhere: a different message


def test_analogy_rank_finds_the_expected_answer(royal) -> None:
    assert analogy_rank(royal, "王", "男", "女", "女王") == 1
    assert analogy_rank(royal, "王", "男", "女", "猫") > 1
    assert analogy_rank(royal, "王", "男", "女", "ぴよ") is None


def test_map_layout_places_groups_and_the_learners_words(royal) -> None:
    layout = map_layout(royal, {"王族": ["王", "女王", "ぴよ"], "動物": ["犬", "猫"]}, ["猫", "日本", "ふが", "日本"])
    assert layout.words == ("王", "女王", "犬", "猫", "日本")
    assert layout.groups == ("王族", "王族", "動物", None, None)  # 猫 is also the learner's: drawn as theirs
    assert layout.unknown == ("ふが",)
    assert layout.coords.shape == (5, 2)
    assert 0 < layout.shares[0] <= 1 and layout.shares[0] >= layout.shares[1] >= 0
    assert sum(layout.shares) <= 1 + 1e-9


def test_map_layout_of_nothing_known(royal) -> None:
    layout = map_layout(royal, {}, ["ぴよ"])
    assert layout.words == () and layout.coords.shape == (0, 2) and layout.unknown == ("ぴよ",)


def test_onehot_distances_of_the_first_words_only() -> None:
    oh = onehot.build([f"w{i}" for i in range(300)])
    d = oh.distances(12)
    assert d.shape == (12, 12)
    assert np.allclose(d[~np.eye(12, dtype=bool)], math.sqrt(2)) and np.allclose(np.diag(d), 0)
    assert np.allclose(onehot.build(list("abc")).distances(12), onehot.build(list("abc")).distances())
