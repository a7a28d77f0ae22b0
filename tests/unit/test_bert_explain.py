"""What L7's pages compute (tutor.core.bert_explain): candidates, GPT against BERT, masking counts, the live run's
figures."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from tutor.core import bert_explain as bx, masking
from tutor.core.bert import BERT, BertConfig, build_vocab
from tutor.core.bert_lm import MaskedLM
from tutor.core.text import tokenize

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="module")
def lm() -> MaskedLM:
    sentences = [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    vocab = build_vocab(sentences, 1)
    torch.manual_seed(0)
    model = BERT(BertConfig(vocab=len(vocab), d_model=16, heads=2, d_ff=32, layers=2, dropout=0.0, max_positions=24))
    return MaskedLM(model.eval(), vocab)


def test_the_first_blank_is_the_first_noun_else_the_middle() -> None:
    assert bx.default_blank("犬が公園で走っている。") == 0
    tokens = bx.tokens_of("とても速く走った。")
    assert bx.default_blank("とても速く走った。") == len(tokens) // 2


def test_top_words_drop_specials_renormalize_and_sort() -> None:
    words = ["<pad>", "<s>", "</s>", "<unk>", "犬", "猫", "鳥"]
    logits = torch.tensor([9.0, 9.0, 9.0, 9.0, 2.0, 1.0, 0.0])
    top = bx.top_words(logits, words, k=10, skip=4)
    assert [w for w, _ in top[:3]] == ["犬", "猫", "鳥"]
    assert all(p == 0 for w, p in top if w.startswith("<"))
    assert math.isclose(sum(p for _, p in top), 1.0, rel_tol=1e-6)
    e = [math.exp(x) for x in (2.0, 1.0, 0.0)]
    assert math.isclose(top[0][1], e[0] / sum(e), rel_tol=1e-5)
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    assert len(bx.top_words(logits, words, k=2, skip=4)) == 2


def test_top_words_take_plain_lists_too() -> None:
    assert bx.top_words([0.0, 0.0], ["a", "b"], k=1)[0][1] == pytest.approx(0.5)


def test_bert_fills_from_both_sides_and_gpt_from_the_left(lm) -> None:
    @dataclass
    class FakeVocab:
        tokens: list[str]

    class FakeGPT:
        vocab = FakeVocab(["<pad>", "<s>", "</s>", "<unk>", "犬", "猫"])
        seen: list[str] = []

        def next_logits(self, text: str):
            self.seen.append(text)
            return torch.tensor([5.0, 5.0, 5.0, 5.0, 1.0, 0.0])

    tokens = bx.tokens_of("犬が公園で走っている。")
    gpt = FakeGPT()
    result = bx.versus(lm, gpt, tokens, 2, k=5)
    assert result.original == "公園" and result.index == 2
    assert gpt.seen == ["犬が"]  # the left side only
    assert [w for w, _ in result.gpt][:2] == ["犬", "猫"]
    assert len(result.bert) == 5 and all(not w.startswith("[") for w, _ in result.bert)
    assert bx.versus(lm, None, tokens, 99).gpt is None
    assert bx.versus(lm, None, tokens, 99).index == len(tokens) - 1  # clamped to the sentence


def test_the_fates_match_the_masking_module() -> None:
    assert (bx.KEPT_OUT, bx.MASKED, bx.RANDOM, bx.UNCHANGED) == (
        masking.KEPT_OUT, masking.MASKED, masking.RANDOM, masking.UNCHANGED)


def test_mask_draws_follow_the_recipe_and_add_up(lm) -> None:
    tokens = bx.tokens_of("犬が公園で走っている。")
    last, counts = bx.draw_masks(lm, tokens, seed=1, draws=4000)
    assert last.tokens == ["[CLS]", *tokens, "[SEP]"]
    assert last.fates[0] == last.fates[-1] == bx.KEPT_OUT  # [CLS] and [SEP] are never chosen
    assert len(last.inputs) == len(last.tokens)
    assert counts.draws == 4000 and counts.real == 4000 * len(tokens)
    shares = {what: share for what, _, _, share, _ in counts.shares()}
    assert shares["chosen"] == pytest.approx(0.15, abs=0.02)
    assert shares["masked"] == pytest.approx(0.8, abs=0.03)
    assert shares["random"] == pytest.approx(0.1, abs=0.03)
    assert bx.draw_masks(lm, tokens, seed=1, draws=4000)[1] == counts  # reproducible from its seed
    total = counts + bx.MaskCounts(1, 7, 1, 0, 0)
    assert (total.draws, total.real, total.masked, total.chosen) == (4001, counts.real + 7, counts.masked + 1,
                                                                     counts.chosen + 1)


def test_no_draws_give_zero_shares_not_a_division_error() -> None:
    assert all(share == 0.0 for *_, share, _ in bx.MaskCounts().shares())
    assert [target for *_, target in bx.MaskCounts().shares()] == [0.15, 0.8, 0.1, 0.1]


def test_the_live_run_progress_goes_from_zero_to_one_across_both_runs() -> None:
    seen = [bx.overall(k, 2, e, 3, b, 4) for k in range(2) for e in range(1, 4) for b in range(1, 5)]
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 0.5
    assert bx.overall(0, 2, 3, 3, 4, 4) == 0.5


def test_sparkline_buckets_to_its_width_and_respects_bounds() -> None:
    assert bx.sparkline([]) == ""
    line = bx.sparkline([float(i) for i in range(200)], 50)
    assert len(line) <= 50 and line[0] == "▁" and line[-1] == "█"
    assert bx.sparkline([0.5, 0.5], 10, 0.0, 1.0) == "▄▄"


def test_the_bundled_classifier_kind_reads_its_meta() -> None:
    assert bx.classifier_kind({"lora": {"rank": 8}}) == ("lora", 8)
    assert bx.classifier_kind({"top_layers": 2}) == ("top", 2)
    assert bx.classifier_kind({}) == ("all", None)
