"""The bigram language model on sentences the team wrote."""

from __future__ import annotations

import math

import pytest

from tutor.core.ngram import BOS, EOS, Bigram

SENTENCES = [["犬", "が", "走る"], ["猫", "が", "寝る"], ["犬", "が", "寝る"]]


def test_counts_and_probabilities() -> None:
    lm = Bigram.fit(SENTENCES, k=0.0)
    assert lm.count("犬", "が") == 2 and lm.count(BOS, "犬") == 2
    assert lm.prob("が", "寝る") == pytest.approx(2 / 3)
    assert lm.next_words("が")[0][:2] == ("寝る", 2)
    # The chain rule: a sentence's probability is the product of its bigram probabilities.
    expected = math.log(2 / 3) + math.log(1) + math.log(1 / 3) + math.log(1)
    assert lm.sentence_logprob(["犬", "が", "走る"]) == pytest.approx(expected)


def test_smoothing_keeps_unseen_pairs_possible() -> None:
    lm = Bigram.fit(SENTENCES, k=0.1)
    assert 0 < lm.prob("猫", "走る") < lm.prob("猫", "が")
    total = sum(lm.prob("が", w) for w in lm.vocab)
    assert total == pytest.approx(1.0)
    assert lm.perplexity(SENTENCES) < lm.perplexity([["寝る", "猫", "走る"]])


def test_generation_follows_seen_pairs_and_is_seeded() -> None:
    lm = Bigram.fit(SENTENCES)
    for seed in range(10):
        words = lm.generate(seed=seed)
        seq = [BOS, *words, EOS]
        assert all(lm.count(a, b) > 0 for a, b in zip(seq, seq[1:-1]))
    assert lm.generate(seed=3) == lm.generate(seed=3)
    assert lm.generate(["猫"], seed=1)[0] == "猫"


def test_save_load_round_trip_with_manifest(tmp_path) -> None:
    from tutor.core import checkpoint, ngram

    lm = Bigram.fit(SENTENCES, k=0.05)
    lm.save(tmp_path / "bigram-ja", {"sentences": 3})
    checkpoint.write_manifest(tmp_path)
    back, meta = ngram.load(tmp_path / "bigram-ja")
    assert meta == {"sentences": 3} and back.k == 0.05
    assert back.vocab == lm.vocab and back.pair_count == lm.pair_count == 8
    for a in [BOS, "犬", "が", "猫"]:
        assert back.next_words(a) == lm.next_words(a)
    assert back.perplexity(SENTENCES) == pytest.approx(lm.perplexity(SENTENCES))
    # A changed file fails the manifest check instead of giving wrong counts.
    weights = tmp_path / "bigram-ja" / checkpoint.WEIGHTS
    weights.write_bytes(weights.read_bytes()[:-4] + b"\0\0\0\1")
    with pytest.raises(checkpoint.ModelCorrupt):
        ngram.load(tmp_path / "bigram-ja")


def test_load_rejects_a_folder_of_another_kind(tmp_path) -> None:
    from tutor.core import checkpoint, ngram

    with pytest.raises(checkpoint.ModelMissing):
        ngram.load(tmp_path / "nothing")
    Bigram.fit(SENTENCES).save(tmp_path / "b")
    checkpoint.write_json(tmp_path / "b" / checkpoint.CONFIG, {"kind": "seq2seq"})
    with pytest.raises(checkpoint.ModelCorrupt):
        ngram.load(tmp_path / "b")


def test_train_bigram_cli_counts_the_corpus_and_picks_k(tmp_path, capsys) -> None:
    from tutor.__main__ import main
    from tutor.core import corpus, ngram

    data = tmp_path / "data"
    data.mkdir()
    ja = ["犬 が 走る 。", "猫 が 寝る 。", "犬 が 寝る 。", "鳥 が 飛ぶ 。"]
    for split in ("train", "dev", "test"):
        (data / f"{split}.ja").write_text("\n".join(ja) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("a\n" * len(ja), encoding="utf-8")
    assert main(["train", "bigram", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    lm, meta = ngram.load(tmp_path / "out")
    (held,) = corpus.valid_lines(4)  # one of the four is the validation split: never counted
    counted = [s.split() for i, s in enumerate(ja) if i != held]
    assert lm.count("犬", "が") == sum(s[:2] == ["犬", "が"] for s in counted)
    assert lm.count("が", "寝る") == sum(s[1:3] == ["が", "寝る"] for s in counted)
    assert meta["sentences"] == 3 and str(lm.k) in meta["k_sweep"]
    assert meta["valid_perplexity"] == min(meta["k_sweep"].values()) and meta["dev_perplexity"] > 1
    assert "保存しました" in capsys.readouterr().out


def test_train_bigram_cli_without_corpus_says_so(tmp_path, capsys) -> None:
    from tutor.__main__ import main

    assert main(["train", "bigram", "--data", str(tmp_path)]) == 1
    assert "train/dev" in capsys.readouterr().err
