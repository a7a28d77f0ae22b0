"""cosine (L2): the cosine similarity of two vectors, and the words nearest to a word by it."""

from __future__ import annotations

import numpy as np

from ..sandbox import Call
from ..spec import Case, Exercise, expect

#: The reference keeps its vectors in float32, so the answers are compared to 1e-5.
ATOL = RTOL = 1e-5

ZERO_HINT = ("長さが 0 のベクトルで割っていませんか。"
             "長さは max(|a|, 1e-12) のように小さな数で下を押さえます（ゼロベクトルとの類似度は 0）。")
DOT_HINT = "内積をそのまま返していませんか。二つのベクトルの長さの積 |a|·|b| で割ります。"
ONE_NORM_HINT = "片方のベクトルの長さでしか割っていないようです。|a| と |b| の両方で割ります。"


# -- cosine -------------------------------------------------------------------------------------

def _cosine_reference(a: np.ndarray, b: np.ndarray) -> float:
    from ...core.word2vec import WordVectors

    wv = WordVectors(["a", "b"], np.stack([a, b]))
    return wv.similarity("a", "b")


def _cosine_case(name: str, a: list[float], b: list[float]) -> Case:
    a_, b_ = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    na, nb = float(np.linalg.norm(a_)), float(np.linalg.norm(b_))
    dot = float(a_ @ b_)
    mistakes = [(dot, DOT_HINT)]
    if na > 0 and nb > 0:
        mistakes += [(dot / na, ONE_NORM_HINT), (dot / nb, ONE_NORM_HINT)]
    case = expect(name, "cosine", [a_, b_], _cosine_reference(a_, b_), atol=ATOL, rtol=RTOL, mistakes=mistakes)
    return Case(case.name, case.calls, _with_zero_hint(case.check))


def _with_zero_hint(check):
    """A NaN or inf where a number was due is almost always a division by a zero length: say so."""

    def checked(values: list) -> str | None:
        problem = check(values)
        got = values[0]
        try:
            bad = problem is not None and not np.isfinite(np.asarray(got, dtype=float)).all()
        except (TypeError, ValueError):
            bad = False
        return f"{problem}\n  → {ZERO_HINT}" if bad else problem

    return checked


# -- most_similar --------------------------------------------------------------------------------

def _reference(vectors: np.ndarray, vocab: list[str], word: str, topn: int) -> list[tuple[str, float]]:
    from ...core.word2vec import WordVectors

    wv = WordVectors(list(vocab), vectors)
    return [(n.word, n.similarity) for n in wv.similar(word, topn)]


def _ranked(scores: np.ndarray, vocab: list[str], skip: int | None, topn: int, ascending: bool = False,
            indices: bool = False) -> list[tuple]:
    order = np.argsort(scores if ascending else -scores, kind="stable")
    out = [(int(i) if indices else vocab[i], float(scores[i])) for i in order if i != skip]
    return out[:topn]


def _slips(vectors: np.ndarray, vocab: list[str], word: str, topn: int) -> list[tuple[object, str]]:
    v = vectors.astype(np.float64)
    i = vocab.index(word)
    norms = np.maximum(np.linalg.norm(v, axis=1), 1e-12)
    dots = v @ v[i]
    cos = dots / (norms * norms[i])
    return [
        (_ranked(dots, vocab, i, topn), DOT_HINT),
        (_ranked(dots / norms[i], vocab, i, topn),
         ONE_NORM_HINT + "（ここでは word のベクトルだけを長さ 1 にしています）"),
        (_ranked(dots / norms, vocab, i, topn), ONE_NORM_HINT + "（ここでは語彙の側だけを長さ 1 にしています）"),
        (_ranked(cos, vocab, None, topn),
         "word 自身が入っています。自分自身との類似度は必ず 1 なので、word は候補から除きます。"),
        (_ranked(cos, vocab, i, topn, ascending=True),
         "小さい順に並んでいます。類似度の高い順（大きい順）に並べます。"),
        (_ranked(cos, vocab, i, topn, indices=True),
         "語の番号を返していませんか。組の 1 番目は vocab の語（文字列）です。"),
        (_reverse_ties(cos, vocab, i, topn),
         "類似度が同じ語の順番が逆です。同じ値のときは vocab で前にある語を先にします（安定な並べ替え）。"),
    ]


def _reverse_ties(cos: np.ndarray, vocab: list[str], skip: int, topn: int) -> list[tuple[str, float]]:
    order = np.argsort(cos, kind="stable")[::-1]  # argsort ascending, then reversed: ties come last-index first
    return [(vocab[i], float(cos[i])) for i in order if i != skip][:topn]


def _similar_case(name: str, vectors, vocab: list[str], word: str, topn: int) -> Case:
    vectors = np.asarray(vectors, dtype=np.float64)
    expected = _reference(vectors, vocab, word, topn)
    _assert_clear_ranking(vectors, vocab, word, topn)
    i = vocab.index(word)
    norms = np.maximum(np.linalg.norm(vectors, axis=1), 1e-12)
    promised = _ranked(vectors @ vectors[i] / (norms * norms[i]), vocab, i, topn)
    assert [w for w, _ in expected] == [w for w, _ in promised], "the reference breaks a tie otherwise than stated"
    return expect(name, "most_similar", [vectors, list(vocab), word, topn], expected, atol=ATOL, rtol=RTOL,
                  mistakes=_slips(vectors, vocab, word, topn))


def _assert_clear_ranking(vectors: np.ndarray, vocab: list[str], word: str, topn: int) -> None:
    """Unequal cosines near the cut must differ by more than rounding: else float32 and float64 may rank them
    differently."""
    i = vocab.index(word)
    norms = np.maximum(np.linalg.norm(vectors, axis=1), 1e-12)
    cos = np.delete(vectors @ vectors[i] / (norms * norms[i]), i)
    values = np.sort(cos)[::-1]
    gaps = np.diff(values)
    assert not ((gaps != 0) & (np.abs(gaps) < 1e-4)).any(), f"near-tie in the case for {word!r}"


def _cases() -> list[Case]:
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=50), rng.normal(size=50)
    lesson_vocab = ["犬", "猫", "民主主義", "犬2"]
    lesson_vectors = [[3, 4], [4, 3], [4, -3], [6, 8]]
    words = ["父", "母", "兄", "弟", "姉", "妹", "犬", "猫", "魚", "鳥", "東京", "パリ", "は", "を", "が",
             "食べる", "走る", "赤い", "青い", "本"]
    random_vectors = rng.normal(size=(len(words), 30))
    # equal cosines come from equal rows (and exact zeros), so every way of computing them ties
    ties = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 1.0, 0.0], [0.0, 3.0, 0.0], [1.0, 1.0, 0.0],
                     [0.0, 0.0, 5.0], [-1.0, 0.0, 0.0]])
    tie_vocab = ["あ", "い", "う", "え", "お", "か", "き"]
    with_zero = np.array([[1.0, 2.0], [0.0, 0.0], [2.0, 1.0], [-1.0, -2.0], [1.0, -1.0]])
    zero_vocab = ["x", "ゼロ", "y", "z", "w"]
    return [
        _cosine_case("cosine 例: 犬 (3, 4) と 猫 (4, 3)", [3.0, 4.0], [4.0, 3.0]),
        _cosine_case("cosine 直交: 犬 と 民主主義", [3.0, 4.0], [4.0, -3.0]),
        _cosine_case("cosine 同じ向きで長さ 2 倍", [3.0, 4.0], [6.0, 8.0]),
        _cosine_case("cosine 正反対", [1.0, -2.0, 0.5], [-2.0, 4.0, -1.0]),
        _cosine_case("cosine ランダムな 50 次元", a.tolist(), b.tolist()),
        _cosine_case("cosine 大きさの違う 1 次元", [0.001], [-250.0]),
        _cosine_case("cosine 片方がゼロベクトル", [0.0, 0.0, 0.0], [1.0, 2.0, 3.0]),
        _cosine_case("cosine 両方ゼロベクトル", [0.0, 0.0], [0.0, 0.0]),
        _similar_case("most_similar 例: 犬 に近い 2 語", lesson_vectors, lesson_vocab, "犬", 2),
        _similar_case("most_similar ランダムな 20 語 × 30 次元", random_vectors, words, "猫", 5),
        _similar_case("most_similar 最後の語を調べる", random_vectors, words, "本", 3),
        _similar_case("most_similar topn が語彙より多い", lesson_vectors, lesson_vocab, "民主主義", 10),
        _similar_case("most_similar 類似度が同じ語がある", ties, tie_vocab, "あ", 6),
        _similar_case("most_similar ゼロベクトルの語を含む", with_zero, zero_vocab, "x", 4),
        Case("most_similar は (語, 類似度) の組のリスト",
             (Call("most_similar", (np.asarray(lesson_vectors, dtype=np.float64), lesson_vocab, "猫", 2)),),
             _pairs_shape),
    ]


def _pairs_shape(values: list) -> str | None:
    got = values[0]
    if not isinstance(got, (list, tuple)):
        return None  # the other cases say what is wrong
    for item in got:
        if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], str):
            return f"リストの要素は (語, 類似度) の組にします。いまは {item!r} のような要素が入っています。"
    return None


EXERCISE = Exercise(
    id="cosine",
    lesson="L2",
    title="コサイン類似度と類似語",
    functions=("cosine", "most_similar"),
    tolerance="類似度は各値 1e-5 + 1e-5×|期待値| まで、語と順番は完全一致",
    make_cases=_cases,
)
