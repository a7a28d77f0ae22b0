"""`classify` says 判定できません when the words that carry the sentiment are unknown to the model (issue 18)."""

from __future__ import annotations

import json

import pytest

from tutor.__main__ import main
from tutor.core.bert_lm import sentiment_words


def test_sentiment_words_are_predicates_and_adjectival_nouns():
    words = [w for w, _ in sentiment_words("田中さんの映画は最悪だった。")]
    assert words == ["最悪"]  # not the name, not the plain noun 映画
    assert [w for w, _ in sentiment_words("この料理はまずい。")] == ["まずい"]


@pytest.mark.parametrize("text, unknown", [("この料理はまずい。", "まずい"), ("この映画は最悪だった。", "最悪")])
def test_an_unknown_sentiment_word_gives_no_confident_label(capsys, text, unknown):
    assert main(["--device", "cpu", "classify", text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("判定できません") and unknown in out
    assert main(["--device", "cpu", "classify", text, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unsure"] is True and unknown in data["unknown"] and data["label"] in ("positive", "negative")


def test_a_sentence_the_model_can_read_keeps_its_label(capsys):
    assert main(["--device", "cpu", "classify", "この映画はとても面白かった。", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unsure"] is False and data["unknown"] == []
