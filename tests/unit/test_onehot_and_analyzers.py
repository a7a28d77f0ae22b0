"""One-hot vectors (C4) and the analyzer comparison (C3)."""

from __future__ import annotations

import math

import numpy as np

from tutor.core import analyzers, onehot


def test_ids_follow_first_appearance_and_repeat_for_repeated_words() -> None:
    oh = onehot.build(["すもも", "も", "もも", "も", "もも", "の", "うち"])
    assert oh.vocab == ("すもも", "も", "もも", "の", "うち")
    assert oh.ids == (0, 1, 2, 1, 2, 3, 4)
    assert oh.dim == 5


def test_each_row_has_a_single_one_at_its_id() -> None:
    oh = onehot.build(["a", "b", "a", "c"])
    m = oh.matrix()
    assert m.shape == (4, 3)
    assert (m.sum(axis=1) == 1).all()
    assert [int(r.argmax()) for r in m] == [0, 1, 0, 2]
    assert oh.vector("b").tolist() == [0, 1, 0]


def test_every_pair_of_different_words_is_equally_far_apart() -> None:
    oh = onehot.build(list("あいうえおかきくけこ"))
    d = oh.distances()
    off = d[~np.eye(oh.dim, dtype=bool)]
    assert np.allclose(off, math.sqrt(2))
    assert np.allclose(np.diag(d), 0)
    cos = oh.cosine()
    assert np.allclose(cos[~np.eye(oh.dim, dtype=bool)], 0)


def test_json_shape() -> None:
    data = onehot.build(["猫", "と", "猫"]).to_json(["猫", "と", "猫"])
    assert data["vocab"] == [{"id": 0, "word": "猫"}, {"id": 1, "word": "と"}]
    assert data["vectors"] == [[1, 0], [0, 1], [1, 0]]
    assert data["dim"] == 2


def test_empty_sentence() -> None:
    oh = onehot.build([])
    assert oh.dim == 0 and oh.matrix().shape == (0, 0)


def test_mecab_and_janome_disagree_where_they_should() -> None:
    text, results = analyzers.compare("お茶を飲みたい", sudachi=False)
    by_name = {r.analyzer: r for r in results}
    mecab, janome = by_name["MeCab (UniDic)"], by_name["Janome (IPADIC)"]
    assert mecab.tokens[:2] == ("お", "茶") and janome.tokens[0] == "お茶"
    diff = analyzers.boundary_diff(text, results)
    assert diff[0] == [True, True, False, False, False]
    assert diff[1] == [True, False, False, False]
    assert mecab.seconds >= 0 and janome.seconds >= 0


def test_agreement_marks_nothing() -> None:
    text, results = analyzers.compare("今日は良い天気ですね", sudachi=False)
    assert not any(any(d) for d in analyzers.boundary_diff(text, results))


def test_compare_cleans_input_and_survives_bad_text() -> None:
    text, results = analyzers.compare("\x00[b]ﾃｽﾄ[/]🍣", sudachi=False)
    assert text == "[b]テスト[/]🍣"
    for r in results:
        assert not r.error
        assert "".join(r.tokens) == text


def test_janome_loads_its_dictionary_once_not_once_per_thread() -> None:
    import threading

    loads = []

    def run() -> None:
        _, results = analyzers.compare("猫が好き", sudachi=False)
        loads.append(next(r for r in results if r.analyzer.startswith("Janome")).load_seconds)

    for _ in range(3):
        t = threading.Thread(target=run)
        t.start()
        t.join()
    assert loads[1:] == [0.0, 0.0]


def test_a_missing_analyzer_is_reported_not_raised(monkeypatch) -> None:
    def boom():
        raise ImportError("no", name="sudachipy")

    monkeypatch.setattr(analyzers, "_sudachi", analyzers._Shared(boom))
    _, results = analyzers.compare("猫", sudachi=True)
    sudachi = [r for r in results if r.analyzer.startswith("Sudachi")]
    assert len(sudachi) == 3 and all("未インストール" in r.error for r in sudachi)
