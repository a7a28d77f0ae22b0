"""The text pipeline: sanitizing, normalization, MeCab tokens as plain data."""

from __future__ import annotations

import threading

from hypothesis import given, settings, strategies as st

from tutor.core import text
from tutor.core.text import MAX_CHARS, analyze, clean, tokenize

# Any Unicode at all, lone surrogates and control characters included.
any_char = st.one_of(
    st.characters(codec=None),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.characters(max_codepoint=0x9F),  # ASCII and C0/C1 controls, often
)
any_text = st.text(any_char, max_size=300)
# Text that looks like what people type: Japanese, Latin, digits, emoji, spaces.
typed = st.text(
    st.sampled_from(list("私はねこが好きですカタカナｶﾀｶﾅ漢字abcXYZ０１２3 　!?[]/@🍣👍🏽\u200d")), max_size=120
)


@given(any_text)
@settings(max_examples=300, deadline=None)
def test_surfaces_rebuild_the_cleaned_input(raw: str) -> None:
    a = analyze(raw)
    rebuilt = "".join(t.space_before + t.surface for t in a.tokens)
    assert rebuilt == clean(raw).text == a.text


@given(typed)
@settings(max_examples=200, deadline=None)
def test_typed_text_round_trips(raw: str) -> None:
    a = analyze(raw)
    assert "".join(t.space_before + t.surface for t in a.tokens) == a.text
    assert all(t.surface and not t.surface.isspace() for t in a.tokens)


@given(any_text)
@settings(max_examples=200, deadline=None)
def test_cleaned_text_has_no_controls_or_surrogates(raw: str) -> None:
    cleaned = clean(raw).text
    assert all(ch.isprintable() or ch == " " for ch in cleaned if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned)
    assert cleaned == cleaned.strip()
    assert clean(cleaned).text == cleaned  # cleaning is idempotent


def test_token_fields_come_from_unidic() -> None:
    tokens = analyze("パンを食べた").tokens
    assert [t.surface for t in tokens] == ["パン", "を", "食べ", "た"]
    eat = tokens[2]
    assert eat.pos[:2] == ("動詞", "一般")
    assert eat.lemma == "食べる"  # the written base form, not the conjugated surface
    assert eat.reading == "タベ"
    assert tokens[1].pos == ("助詞", "格助詞")
    assert tokens[1].to_json() == {"surface": "を", "pos": ["助詞", "格助詞"], "lemma": "を", "reading": "ヲ"}


def test_classic_sumomo_segmentation() -> None:
    assert tokenize("すもももももももものうち") == ["すもも", "も", "もも", "も", "もも", "の", "うち"]


def test_half_width_kana_is_folded_to_full_width() -> None:
    assert clean("ﾃｽﾄ").text == "テスト"
    assert tokenize("ﾃｽﾄ") == tokenize("テスト")


def test_nul_and_escape_are_removed_and_counted() -> None:
    a = analyze("猫\x00が\x1b[31m好き")
    assert "\x00" not in a.text and "\x1b" not in a.text
    assert a.removed_controls == 2
    assert any("制御文字" in n for n in a.notices)
    assert "".join(a.surfaces) == "猫が[31m好き"


def test_lone_surrogate_is_replaced_not_fatal() -> None:
    a = analyze("猫\ud800犬")
    assert "\ufffd" in a.text
    assert "".join(a.surfaces) == a.text


def test_whitespace_collapses_and_ideographic_space_survives_as_a_boundary() -> None:
    a = analyze("  猫が\u3000\t好き \n ")
    assert a.text == "猫が 好き"
    assert [t.surface for t in a.tokens] == ["猫", "が", "好き"]
    assert a.tokens[2].space_before == " "


def test_markup_looking_text_is_kept_as_plain_tokens() -> None:
    raw = "[b]太字[/] [@click=app.quit]x[/]"
    a = analyze(raw)
    assert "".join(t.space_before + t.surface for t in a.tokens) == raw


def test_emoji_and_latin_only() -> None:
    assert "🍣" in "".join(tokenize("🍣が好き"))
    assert tokenize("hello world") == ["hello", "world"]


def test_empty_and_blank_text_give_no_tokens() -> None:
    for raw in ("", "   ", "\x00\x01", "\n\t"):
        a = analyze(raw)
        assert a.tokens == () and a.text == "" and not a.truncated


def test_long_input_is_capped_with_a_notice() -> None:
    a = analyze("あ" * 100_000)
    assert a.truncated and len(a.text) == MAX_CHARS
    assert a.original_length == 100_000
    assert "2,000" in a.notices[0]
    assert a.to_json()["truncated"] is True


def test_katakana_run_is_capped_before_mecab() -> None:
    a = analyze("ア" * 120_000)
    assert len("".join(a.surfaces)) == MAX_CHARS


def test_one_tagger_per_thread_gives_the_same_parses() -> None:
    sentences = ["兄は港町の学生です。", "すもももももももものうち", "東京へ行きました。", "猫が魚を食べた。"] * 50
    expected = [tokenize(s) for s in sentences]
    results: dict[int, list] = {}
    taggers = set()

    def work(n: int) -> None:
        taggers.add(id(text._tagger()))
        results[n] = [tokenize(s) for s in sentences]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[n] == expected for n in range(4))
    assert len(taggers) == 4
