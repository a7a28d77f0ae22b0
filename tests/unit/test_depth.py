"""Out-of-depth notices (issue 18): a long sentence, mostly unknown words, a translation cut at the limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.core.depth import TRAINED_WORDS, translation_notices


def test_an_ordinary_sentence_gets_no_notice():
    assert translation_notices(["私", "は", "犬", "が", "好き", "です", "。"], [], 5, True, 40) == []


def test_a_long_sentence_is_named_with_its_length():
    source = ["語"] * (TRAINED_WORDS + 5)
    (notice,) = translation_notices(source, [], 12, True, 40)
    assert f"{TRAINED_WORDS + 5} 語" in notice and f"{TRAINED_WORDS} 語" in notice


def test_mostly_unknown_words_are_listed_once_each():
    (notice,) = translation_notices(["ｶﾀｶﾅ", "が", "ｶﾀｶﾅ"], ["ｶﾀｶﾅ", "ｶﾀｶﾅ"], 4, True, 40)
    assert "3 語のうち 2 語" in notice and notice.count("ｶﾀｶﾅ") == 1
    assert translation_notices(["猫", "が", "ｶﾀｶﾅ", "を", "見る"], ["ｶﾀｶﾅ"], 4, True, 40) == []  # 1 of 5: fine


def test_a_translation_cut_at_the_limit_says_so():
    (notice,) = translation_notices(["あ"], [], 40, False, 40)
    assert "上限（40 語）" in notice


def test_the_bound_matches_the_corpus():
    """TRAINED_WORDS is what the train split holds: 99.9 % at most, the longest just above."""
    data = os.environ.get("TUTOR_DATA_DIR")
    if not data:
        pytest.skip("TUTOR_DATA_DIR is not set: the train split is not available")
    import numpy as np

    from tutor.core import corpus
    from tutor.core.text import tokenize

    lengths = np.array([len(tokenize(p.ja)) for p in corpus.read_pairs(Path(data), "train")])
    assert np.percentile(lengths, 99.9) <= TRAINED_WORDS < lengths.max() + 2


def test_the_cli_prints_the_notice_on_stderr_and_the_translation_on_stdout(capsys):
    from tutor.__main__ import main

    long_text = ("昨日、駅の近くで古い友人に会い、一緒に昼ご飯を食べてから、"
                 "長い間話していなかった昔の学校の先生や友だちのことについて、夕方になるまでずっと話し続けました。")
    assert main(["--device", "cpu", "translate", long_text]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() and "語くらいまでの短い文で学習した" in captured.err
