"""The tiny GPT, the sampling filters (property tests), the n-gram baselines, a few training steps."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from hypothesis import given, settings, strategies as st

from tutor.core.gpt import GPT, GPTConfig
from tutor.core.ngram import BOS, KneserNey
from tutor.core.sampling import SamplingConfig, beam_search, filter_logits, generate
from tutor.core.vocab import BOS_ID, EOS_ID

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def tiny(seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(GPTConfig(vocab=30, d_model=16, heads=4, d_ff=32, layers=2, dropout=0.0, max_positions=24)).eval()


def test_the_cache_gives_the_same_logits_as_a_full_pass() -> None:
    model = tiny()
    ids = torch.tensor([[BOS_ID, 5, 9, 12, 7, 8]])
    full, _, _ = model(ids)
    logits, cache, _ = model(ids[:, :3])
    steps = [logits[:, -1]]
    for t in range(3, 6):
        logits, cache, _ = model(ids[:, t : t + 1], cache)
        steps.append(logits[:, -1])
    assert torch.allclose(torch.stack(steps, 1), full[:, 2:], atol=1e-5)


def test_causal_attention_never_looks_ahead() -> None:
    _, _, weights = tiny()(torch.tensor([[BOS_ID, 5, 9, 12]]), return_weights=True)
    for w in weights:
        assert torch.all(w[0].triu(1) == 0) and torch.allclose(w[0].sum(-1), torch.ones(4, 4), atol=1e-5)


logit_lists = st.lists(st.floats(-8, 8, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(logit_lists, st.floats(0.05, 1.0))
def test_top_p_keeps_the_smallest_set_reaching_p(values, p) -> None:
    f = filter_logits(torch.tensor(values), top_p=p)
    kept = f.kept.nonzero().flatten().tolist()
    assert kept  # never empty
    probs = f.tempered
    mass = float(probs[f.kept].sum())
    assert mass >= p - 1e-5
    # Minimal: without its least probable member the set falls short of p.
    smallest = min(kept, key=lambda i: float(probs[i]))
    assert mass - float(probs[smallest]) < p + 1e-5
    # And it is the most probable tokens that are kept.
    assert min(float(probs[i]) for i in kept) >= max((float(probs[i]) for i in range(len(values)) if i not in kept),
                                                     default=0) - 1e-6
    assert float(f.final.sum()) == pytest.approx(1.0, abs=1e-5)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(logit_lists, st.integers(1, 50), st.floats(0.1, 2.0))
def test_top_k_keeps_k_and_renormalizes(values, k, temperature) -> None:
    f = filter_logits(torch.tensor(values), temperature=temperature, top_k=k)
    assert int(f.kept.sum()) == min(k, len(values)) or len(set(values)) < len(values)
    assert float(f.final.sum()) == pytest.approx(1.0, abs=1e-5)
    assert f.removed_by_top_k == len(values) - int(f.kept.sum())


@settings(max_examples=100, deadline=None, derandomize=True)
@given(logit_lists)
def test_low_temperature_approaches_greedy(values) -> None:
    logits = torch.tensor(values)
    top = int(logits.argmax())
    assert filter_logits(logits, temperature=0).final[top] == 1.0
    cold = filter_logits(logits, temperature=0.01).final
    if (logits.max() - logits.topk(2).values[1]) > 0.1:
        assert float(cold[top]) > 0.99


def test_seed_gives_the_same_text_and_greedy_ways_agree() -> None:
    model = tiny()
    prompt = [BOS_ID, 5, 9]
    a = generate(model, prompt, SamplingConfig(temperature=1.2, top_p=0.9, seed=7, max_tokens=10))
    b = generate(model, prompt, SamplingConfig(temperature=1.2, top_p=0.9, seed=7, max_tokens=10))
    assert a.tokens == b.tokens and len(a.steps) == len(b.steps)
    others = {tuple(generate(model, prompt, SamplingConfig(temperature=1.5, seed=s, max_tokens=10)).tokens)
              for s in range(8)}
    assert len(others) > 1
    greedy = generate(model, prompt, SamplingConfig(temperature=0, max_tokens=10)).tokens
    assert generate(model, prompt, SamplingConfig(top_k=1, seed=3, max_tokens=10)).tokens == greedy
    assert beam_search(model, prompt, 1, 10).tokens == greedy
    # Every step's candidates are sorted and their chosen token is among the kept ones.
    for step in a.steps:
        ps = [c.p for c in step.candidates]
        assert ps == sorted(ps, reverse=True)


def test_kneser_ney_is_a_distribution_and_trigram_fits_better() -> None:
    sentences = [["犬", "が", "走る"], ["猫", "が", "寝る"], ["犬", "が", "寝る"], ["鳥", "が", "飛ぶ"]]
    for order in (2, 3):
        model = KneserNey.fit(sentences, order)
        for ctx in ([], ["犬"], ["犬", "が"], ["象", "が"]):
            assert sum(model.prob(ctx, w) for w in model.vocab) == pytest.approx(1.0)
        assert model.prob(["象"], "が") > 0  # an unknown context backs off
    assert KneserNey.fit(sentences, 3).perplexity(sentences) < KneserNey.fit(sentences, 2).perplexity(sentences)
    assert BOS not in KneserNey.fit(sentences, 2).vocab


def test_a_few_epochs_on_team_sentences_lower_the_loss() -> None:
    from tutor.core.text import tokenize
    from tutor.core.train.gpt import GPTTrainConfig, MonolingualData, train
    from tutor.core.vocab import Vocab

    sentences = [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines()]
    data = MonolingualData(Vocab.build(sentences, 1), sentences, sentences[:8])
    cfg = GPTConfig(vocab=len(data.vocab), d_model=32, heads=4, d_ff=64, layers=2, dropout=0.0)
    losses = []
    model, figures = train(data, cfg, GPTTrainConfig(epochs=15, batch_size=10, lr=3e-3, warmup=5, average=1),
                           on_progress=lambda p: losses.append(p.loss))
    assert losses[-1] < losses[0] * 0.8
    assert figures["best_valid_ppl"] == min(figures["valid_ppl_per_epoch"]) and EOS_ID == 2
    assert figures["kept"].startswith("epoch ") and figures["averaged_valid_ppl"] is None


def test_averaging_the_last_epochs_is_kept_only_when_it_scores_better() -> None:
    from tutor.core.text import tokenize
    from tutor.core.train.gpt import GPTTrainConfig, MonolingualData, held_out_perplexity, train
    from tutor.core.vocab import Vocab

    sentences = [tokenize(line) for line in TINY.read_text(encoding="utf-8").splitlines()]
    data = MonolingualData(Vocab.build(sentences, 1), sentences, sentences[:8])
    cfg = GPTConfig(vocab=len(data.vocab), d_model=32, heads=4, d_ff=64, layers=2, dropout=0.1)
    model, figures = train(data, cfg, GPTTrainConfig(epochs=6, batch_size=10, lr=3e-3, warmup=5, average=3))
    averaged, best = figures["averaged_valid_ppl"], min(figures["valid_ppl_per_epoch"])
    assert averaged is not None
    assert figures["kept"] == ("average of the last 3 epochs" if averaged <= best else f"epoch {figures['best_epoch']}")
    kept_ppl = held_out_perplexity(model, [data.vocab.encode(s) for s in data.valid])
    assert (kept_ppl == pytest.approx(min(averaged, best), abs=0.01)
            and figures["best_valid_ppl"] == round(min(averaged, best), 2))


def test_diversity_measures() -> None:
    from tutor.core.gpt_explain import distinct_n, repetition_rate

    same = [["犬", "が", "走る"]] * 4
    varied = [["犬", "が", "走る"], ["猫", "が", "寝る"], ["鳥", "は", "飛ぶ"], ["魚", "も", "泳ぐ"]]
    assert distinct_n(same, 1) == 3 / 12 and distinct_n(varied, 1) == 11 / 12
    assert distinct_n(varied, 2) == 1.0 and distinct_n([[]], 2) == 0.0
    assert repetition_rate([["犬", "犬", "犬", "。"]]) == 2 / 3 and repetition_rate(varied) == 0.0


def test_newest_token_attention_is_causal_and_sums_to_one() -> None:
    from tutor.core.gpt_explain import newest_token_attention

    maps = newest_token_attention(tiny(), [BOS_ID, 5, 9, 12])
    assert len(maps) == 2 and len(maps[0]) == 4
    assert all(len(h) == 4 and sum(h) == pytest.approx(1.0, abs=1e-5) for layer in maps for h in layer)


def test_cli_defaults_are_the_config_defaults() -> None:
    from tutor.cli_gpt import GPT_DEFAULTS
    from tutor.core.train.gpt import GPTTrainConfig

    for key, value in GPT_DEFAULTS.items():
        cls = GPTConfig if key in GPTConfig.__dataclass_fields__ else GPTTrainConfig
        assert getattr(cls, key) == value, key


def test_word_dropout_turns_only_words_into_unk() -> None:
    from tutor.core.train.gpt import noise_inputs
    from tutor.core.vocab import PAD_ID, UNK_ID

    torch.manual_seed(0)
    x = torch.randint(4, 500, (200, 50))
    x[:, 0], x[:, -1], x[:, -2] = BOS_ID, EOS_ID, PAD_ID
    assert torch.equal(noise_inputs(x, 0.0), x)
    everything = noise_inputs(x, 1.0)
    assert (everything[:, 1:-2] == UNK_ID).all() and torch.equal(everything[:, [0, -2, -1]], x[:, [0, -2, -1]])
    some = noise_inputs(x, 0.1)
    share = float((some[:, 1:-2] == UNK_ID).float().mean())
    assert 0.08 < share < 0.12
    assert ((some == x) | (some == UNK_ID)).all()


def test_one_token_forward_in_every_mode() -> None:
    """One position: the fused path (no weights) needs no mask; training and the weights path still build one."""
    model = tiny()
    ids = torch.tensor([[BOS_ID]])
    with torch.no_grad():
        fused = model(ids)[0]
        logits, _, weights = model(ids, return_weights=True)
    assert torch.allclose(fused, logits, atol=1e-5) and weights[0].shape[-1] == 1
    model.train()
    assert model(ids)[0].shape == fused.shape
