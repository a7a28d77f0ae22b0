"""Measures and views for lesson L6: how varied generated text is, and where the newest token looks.

- :func:`distinct_n`: distinct n-grams / all n-grams over a set of continuations
  (Li et al. 2016): low for bland, repetitive text.
- :func:`repetition_rate`: the share of tokens that repeat a token already in
  the same continuation (punctuation aside).
- :func:`newest_token_attention`: the causal self-attention of the last
  position, per layer and head, over every position before it.

And what the lesson's pages ask a language model (each returns plain data, no
tensors, so the UI only draws): :func:`default_prompt`, :func:`first_step`
(the first step's distribution and what the filters cut), :func:`next_choices`
(the step-by-step page's candidates and the sampler's pick),
:func:`compare_settings` (greedy against sampling) and :func:`newest_attention`.

torch is imported only inside the functions that need a model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gpt_lm import Continuation, LanguageModel
    from .sampling import Row, SamplingConfig

PUNCTUATION = {"。", "、", "！", "？", "!", "?", ".", ","}


def distinct_n(continuations: Sequence[Sequence[str]], n: int) -> float:
    grams = [tuple(c[i : i + n]) for c in continuations for i in range(len(c) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def repetition_rate(continuations: Sequence[Sequence[str]]) -> float:
    repeated = total = 0
    for c in continuations:
        seen: set[str] = set()
        for t in c:
            if t in PUNCTUATION:
                continue
            total += 1
            repeated += t in seen
            seen.add(t)
    return repeated / total if total else 0.0


def newest_token_attention(model, ids: list[int]) -> list[list[list[float]]]:
    """-> [layer][head][position]: how the last position's query spreads over positions 0..last."""
    import torch

    model.eval()
    device = next(model.parameters()).device
    with torch.no_grad():
        _, _, weights = model(torch.tensor([ids], device=device), return_weights=True)
    return [[w[0, h, -1].tolist() for h in range(w.size(1))] for w in weights]


def default_prompt(sentence: str) -> str:
    """The start of ``sentence``: its first third of tokens (at least one); "" for an empty sentence."""
    from .text import analyze

    tokens = [t.surface for t in analyze(sentence).tokens]
    if not tokens:
        return ""
    return "".join(tokens[: max(1, len(tokens) // 3)])


@dataclass(frozen=True)
class FirstStep:
    """The distribution of the token after the prompt, as the sampler saw it (or would, for beam search)."""

    rows: list[tuple[str, Row]]  # the most probable tokens: (word, what the filters did to it)
    kept: int  # tokens left after the filters
    vocab: int  # tokens in the vocabulary
    removed_by_top_k: int
    removed_by_top_p: int
    #: When other code did the top-k / top-p step: how many tokens the project's own filter keeps,
    #: and the largest difference between the two final distributions.
    reference_kept: int | None = None
    max_difference: float | None = None


def first_step(lm: LanguageModel, prompt: str, cfg: SamplingConfig, continuation: Continuation, n: int = 20,
               filter_fn: Callable | None = None) -> FirstStep:
    """The first step of ``continuation``: the one sampling kept, else (beam search keeps no steps)
    the prompt's next-token distribution through the filters as set (by ``filter_fn`` when given)."""
    from .sampling import distribution_rows, filter_logits

    steps = continuation.generation.steps
    if steps and steps[0].filtered is not None:
        f = steps[0].filtered
    else:
        f = (filter_fn or filter_logits)(lm.next_logits(prompt), cfg.temperature, cfg.top_k, cfg.top_p)
    rows = [(lm.vocab.tokens[r.token], r) for r in distribution_rows(f, cfg, n)]
    ref = f.reference
    return FirstStep(rows, int(f.kept.sum()), f.model.numel(), f.removed_by_top_k, f.removed_by_top_p,
                     int(ref.kept.sum()) if ref is not None else None,
                     float((f.final - ref.final).abs().max()) if ref is not None else None)


@dataclass(frozen=True)
class NextChoices:
    """The candidates for the token after a text (temperature 1, no filters), best first, and one drawn from them."""

    candidates: list[tuple[str, float]]
    sampled: str


def next_choices(lm: LanguageModel, text: str, n: int = 12, seed: int = 0) -> NextChoices:
    from .sampling import draw, filter_logits, top_candidates

    f = filter_logits(lm.next_logits(text))
    cands = [(lm.vocab.tokens[c.token], c.p) for c in top_candidates(f, n)]
    return NextChoices(cands, lm.vocab.tokens[draw(f, seed)])


#: The ways the 貪欲 vs サンプリング page compares: (name, SamplingConfig fields).
SETTINGS: list[tuple[str, dict]] = [
    ("貪欲法", dict(temperature=0.0)),
    ("ビーム幅 5", dict(beam=5)),
    ("温度 0.7", dict(temperature=0.7)),
    ("温度 1.0、top-p 0.9", dict(temperature=1.0, top_p=0.9)),
    ("温度 1.5", dict(temperature=1.5)),
]
#: Continuations per way (seeds 0..SAMPLES-1).
SAMPLES = 6


@dataclass(frozen=True)
class Compared:
    """One way of choosing, measured over its continuations of the same prompt."""

    name: str
    outputs: list[list[str]]
    distinct1: float
    distinct2: float
    repetition: float


def compare_settings(
    lm: LanguageModel,
    prompt: str,
    settings: Sequence[tuple[str, dict]] = SETTINGS,
    samples: int = SAMPLES,
    max_tokens: int = 20,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[Compared]:
    """``prompt`` continued ``samples`` times (seeds 0..samples-1) each way, with distinct-1/2 and the repetition rate.

    Stops early (returning what it has) when ``should_stop()`` says so.
    """
    from .sampling import SamplingConfig

    rows = []
    for name, kw in settings:
        outs = []
        for seed in range(samples):
            if should_stop():
                return rows
            outs.append(lm.continue_text(prompt, SamplingConfig(max_tokens=max_tokens, seed=seed, **kw)).tokens)
        rows.append(Compared(name, outs, distinct_n(outs, 1), distinct_n(outs, 2), repetition_rate(outs)))
    return rows


def newest_attention(lm: LanguageModel, text: str) -> tuple[list[str], list[list[list[float]]]]:
    """``text``'s tokens with <s> first, and :func:`newest_token_attention` over them; ([], []) for an empty text."""
    tokens, ids, _ = lm.prompt_ids(text)
    if not tokens:
        return [], []
    return ["<s>", *tokens], newest_token_attention(lm.model, ids)
