"""onehot (L1): the vocabulary of a token list in order of first appearance, and one one-hot row per token."""

from __future__ import annotations

import numpy as np

from ..sandbox import Call
from ..spec import Case, Exercise, expect


def _reference(tokens: list[str]) -> tuple[list[str], np.ndarray]:
    from ...core import onehot

    oh = onehot.build(tokens)
    return list(oh.vocab), oh.matrix().astype(np.int64)


def _sorted_vocab(tokens: list[str]) -> tuple[list[str], np.ndarray]:
    vocab = sorted(set(tokens))
    m = np.zeros((len(tokens), len(vocab)), dtype=np.int64)
    for i, t in enumerate(tokens):
        m[i, vocab.index(t)] = 1
    return vocab, m


def _per_word(tokens: list[str]) -> tuple[list[str], np.ndarray]:
    vocab = list(dict.fromkeys(tokens))
    return vocab, np.eye(len(vocab), dtype=np.int64)


def _case(name: str, tokens: list[str]) -> Case:
    expected = _reference(tokens)
    mistakes = [(_sorted_vocab(tokens),
                 "語彙を並べ替えていませんか。語彙は「初めて出てきた順」です（sorted や set の順ではありません）。"),
                (_per_word(tokens),
                 "行は語彙の 1 語ごとではなく、入力の 1 トークンごとです（同じ語が 2 回出れば同じ行が 2 回）。")]
    return expect(name, "onehot", [tokens], expected, mistakes=mistakes, names=("vocab", "matrix"))


def _cases() -> list[Case]:
    rng = np.random.default_rng(1)
    words = ["猫", "が", "魚", "を", "食べ", "た", "犬", "は", "。"]
    random_tokens = [words[i] for i in rng.integers(0, len(words), 30)]
    unseen = ["ｶﾀｶﾅ", "😀", "[b]", "a b"]
    return [
        _case("例: 猫 が 魚 を 食べ た", ["猫", "が", "魚", "を", "食べ", "た"]),
        _case("同じ語が 2 回 (が・を)", ["猫", "が", "犬", "が", "魚", "を", "見", "て", "いる", "を"]),
        _case("1 語だけ", ["あ"]),
        _case("空のリスト", []),
        _case("ランダムな 30 トークン", random_tokens),
        _case("記号・絵文字・空白を含む語", unseen + unseen[::-1]),
        Case("行列の中身は 0 と 1 の整数", (Call("onehot", (["a", "b", "a"],)),), _integer_matrix),
    ]


def _integer_matrix(values: list) -> str | None:
    got = values[0]
    if not isinstance(got, tuple) or len(got) != 2:
        return None  # the other cases say what is wrong with the shape of the answer
    matrix = np.asarray(got[1])
    if matrix.dtype.kind not in "iub":
        return f"行列の dtype が {matrix.dtype} です。one-hot は 0 と 1 の整数で作ります（np.zeros(..., dtype=int)）。"
    return None


EXERCISE = Exercise(
    id="onehot",
    lesson="L1",
    title="one-hot ベクトルを作る",
    functions=("onehot",),
    tolerance="語彙は完全一致、行列は 0 / 1 の整数で完全一致",
    make_cases=_cases,
)
