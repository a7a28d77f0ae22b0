"""The bundled GPT: golden continuations, the sampler's promises on the real model, measured perplexity.

Golden outputs pin the committed weights: after retraining on purpose, update them
together with the model (and its CARD.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.core import gpt_lm
from tutor.core.sampling import SamplingConfig, beam_search
from tutor.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models"


@pytest.fixture(scope="module")
def lm():
    return gpt_lm.load(MODELS / gpt_lm.FOLDER)


GREEDY = {
    "私は": "私は彼にその本を買ってあげた。",
    "昨日は友だちと": "昨日は友だちとなった。",
}
SAMPLED = ("彼は", SamplingConfig(temperature=1.0, top_p=0.9, seed=7), "彼は試験に合格できなかった。")


@pytest.mark.parametrize("prompt", list(GREEDY))
def test_golden_greedy_continuations(lm, prompt) -> None:
    assert lm.continue_text(prompt, SamplingConfig(temperature=0)).text == GREEDY[prompt]


def test_golden_seeded_sample(lm) -> None:
    prompt, cfg, text = SAMPLED
    assert lm.continue_text(prompt, cfg).text == text
    assert lm.continue_text(prompt, cfg).text == text  # the same seed, the same text


def test_top_k_one_and_beam_one_are_greedy(lm) -> None:
    for prompt in GREEDY:
        greedy = lm.continue_text(prompt, SamplingConfig(temperature=0)).tokens
        assert lm.continue_text(prompt, SamplingConfig(top_k=1, seed=5)).tokens == greedy
        _, ids, _ = lm.prompt_ids(prompt)
        assert [lm.vocab.tokens[t] for t in beam_search(lm.model, ids, 1, 20).tokens] == greedy


def test_recorded_perplexity_beats_both_ngram_baselines() -> None:
    ev = gpt_lm.load(MODELS / gpt_lm.FOLDER).meta["evaluation"]
    assert ev["perplexity"] < min(ev["baselines"].values())
    assert ev["baselines"]["trigram"] < ev["baselines"]["bigram"]
    assert ev["perplexity"] <= 0.7 * min(ev["baselines"].values())  # issue 6: at least 30 % below the best n-gram


@pytest.mark.skipif(
    not os.environ.get("TUTOR_DATA_DIR"), reason="TUTOR_DATA_DIR is not set: the dev split is not available"
)
def test_recorded_perplexity_is_what_the_model_scores(lm) -> None:
    from tutor.core import corpus
    from tutor.core.text import tokenize
    from tutor.core.train.gpt import held_out_perplexity

    sentences = [tokenize(p.ja) for p in corpus.read_pairs(Path(os.environ["TUTOR_DATA_DIR"]), "dev")]
    ppl = held_out_perplexity(lm.model, [lm.vocab.encode(s) for s in sentences if s])
    assert ppl == pytest.approx(lm.meta["evaluation"]["perplexity"], abs=0.01)
