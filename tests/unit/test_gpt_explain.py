"""The maths behind L6's pages: the first step's rows and what cut each token, the sampler's draw,
the default prompt, the greedy-vs-sampling comparison and the newest token's attention."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings, strategies as st

from tutor.core.gpt import GPT, GPTConfig
from tutor.core.gpt_explain import (
    SETTINGS,
    compare_settings,
    default_prompt,
    distinct_n,
    first_step,
    newest_attention,
    next_choices,
    repetition_rate,
)
from tutor.core.gpt_lm import LanguageModel
from tutor.core.sampling import SamplingConfig, distribution_rows, draw, filter_logits
from tutor.core.vocab import SPECIALS, Vocab

WORDS = ["犬", "が", "公園", "を", "走る", "。", "猫", "は", "寝る", "鳥", "飛ぶ", "と", "に", "で", "見る", "行く"]


def tiny_lm() -> LanguageModel:
    vocab = Vocab([*SPECIALS, *WORDS])
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab=len(vocab), d_model=16, heads=2, d_ff=32, layers=2, dropout=0.0,
                          max_positions=32)).eval()
    return LanguageModel(model, vocab)


LOGITS = torch.tensor([3.0, 2.5, 2.0, 1.0, 0.5, 0.0, -1.0, -2.0])


def test_rows_say_which_filter_cut_each_token() -> None:
    cfg = SamplingConfig(temperature=1.0, top_k=4, top_p=0.8)
    f = filter_logits(LOGITS, cfg.temperature, cfg.top_k, cfg.top_p)
    rows = distribution_rows(f, cfg, n=8)
    assert [r.token for r in rows] == list(range(8))  # most probable first
    assert [r.removed_by for r in rows[4:]] == ["top-k"] * 4  # beyond the 4 most probable
    kept = [r for r in rows if r.final_p is not None]
    assert len(kept) == int(f.kept.sum()) and all(r.removed_by is None for r in kept)
    cut_by_p = [r for r in rows[:4] if r.final_p is None]
    assert cut_by_p and all(r.removed_by == "top-p" for r in cut_by_p)
    assert sum(r.final_p for r in kept) == pytest.approx(1.0, abs=1e-5)
    assert rows[0].model_p == pytest.approx(float(torch.softmax(LOGITS, -1)[0]))


def test_rows_at_temperature_zero_blame_the_temperature_not_top_k() -> None:
    cfg = SamplingConfig(temperature=0.0, top_k=3)
    rows = distribution_rows(filter_logits(LOGITS, 0.0, 3), cfg, n=5)
    assert rows[0].final_p == 1.0 and {r.removed_by for r in rows[1:]} == {"temperature"}


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.floats(-8, 8, allow_nan=False), min_size=2, max_size=30), st.integers(1, 10),
       st.floats(0.1, 1.0), st.floats(0.1, 2.0))
def test_rows_match_the_filter(values, k, p, temperature) -> None:
    cfg = SamplingConfig(temperature=temperature, top_k=k, top_p=p)
    f = filter_logits(torch.tensor(values), temperature, k, p)
    rows = distribution_rows(f, cfg, n=len(values))
    assert len(rows) == len(values)
    assert all((r.final_p is None) == (not bool(f.kept[r.token])) for r in rows)
    assert all(r.removed_by in ("top-k", "top-p") for r in rows if r.final_p is None)
    assert sum(1 for r in rows if r.removed_by == "top-k") == f.removed_by_top_k
    assert sum(1 for r in rows if r.removed_by == "top-p") == f.removed_by_top_p


def test_draw_is_seeded_and_only_from_kept_tokens() -> None:
    f = filter_logits(LOGITS, 1.0, top_k=3)
    draws = [draw(f, seed) for seed in range(40)]
    assert draws == [draw(f, seed) for seed in range(40)]
    assert set(draws) <= {0, 1, 2} and len(set(draws)) > 1


def test_default_prompt_is_the_first_third() -> None:
    assert default_prompt("") == ""
    assert default_prompt("犬") == "犬"
    assert default_prompt("犬が公園を走る。") == "犬が"  # 6 tokens -> 2


def test_first_step_from_sampling_and_from_beam_search_agree() -> None:
    lm = tiny_lm()
    cfg = SamplingConfig(temperature=1.0, top_k=5, max_tokens=3)
    sampled = first_step(lm, "犬が", cfg, lm.continue_text("犬が", cfg, keep_distributions=True), n=10)
    beam = SamplingConfig(temperature=1.0, top_k=5, max_tokens=3, beam=3)
    searched = first_step(lm, "犬が", cfg, lm.continue_text("犬が", beam), n=10)  # beam keeps no steps
    assert sampled.kept == searched.kept == 5 and sampled.vocab == len(lm.vocab)
    assert sampled.removed_by_top_k == len(lm.vocab) - 5
    assert [w for w, _ in sampled.rows] == [w for w, _ in searched.rows]
    assert all(isinstance(w, str) for w, _ in sampled.rows) and len(sampled.rows) == 10
    assert [r.model_p for _, r in sampled.rows] == pytest.approx([r.model_p for _, r in searched.rows], abs=1e-5)


def test_next_choices_are_sorted_words_and_the_draw_is_reproducible() -> None:
    lm = tiny_lm()
    a, b = next_choices(lm, "犬が", 6, seed=3), next_choices(lm, "犬が", 6, seed=3)
    ps = [p for _, p in a.candidates]
    assert len(a.candidates) == 6 and ps == sorted(ps, reverse=True) and a.sampled == b.sampled
    assert a.sampled in lm.vocab.tokens


def test_compare_settings_measures_each_way() -> None:
    lm = tiny_lm()
    rows = compare_settings(lm, "犬が", samples=3, max_tokens=6)
    assert [r.name for r in rows] == [name for name, _ in SETTINGS]
    greedy = rows[0]
    assert len(greedy.outputs) == 3 and len({tuple(o) for o in greedy.outputs}) == 1  # greedy never varies
    for r in rows:
        assert r.distinct1 == distinct_n(r.outputs, 1) and r.repetition == repetition_rate(r.outputs)
    calls = iter(range(100))
    stopped = compare_settings(lm, "犬が", samples=3, max_tokens=6, should_stop=lambda: next(calls) >= 4)
    assert len(stopped) == 1  # stopped during the second way


def test_newest_attention_has_the_tokens_and_one_weight_per_position() -> None:
    lm = tiny_lm()
    tokens, maps = newest_attention(lm, "犬が公園を走る。")
    assert tokens[0] == "<s>" and tokens[-1] == "。"
    assert len(maps) == 2 and all(len(head) == len(tokens) for layer in maps for head in layer)
    assert newest_attention(lm, "") == ([], [])
