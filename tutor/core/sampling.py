"""Choosing the next token from a language model's distribution (lesson L6), shared by the CLI and the UI.

Each step goes through the filters in this order, and :class:`Filtered` keeps
the distribution after every one so the lesson can draw what each removed:

1. temperature T: softmax(logits / T). T → 0 is greedy (all mass on the top token);
   T = 1 leaves the model's distribution; T > 1 flattens it.
2. top-k: keep the k most probable tokens.
3. top-p (nucleus): keep the smallest set of the most probable tokens whose mass
   reaches p (always at least one token).
4. renormalize what is left to sum to 1, and draw from it.

Ties: tokens of equal probability are ranked by token id, the smaller first
(a stable sort), so which one a cut keeps never depends on the sort.

Drawing uses its own ``torch.Generator`` on the CPU, so a seed gives the same
text on any device. Beam search (with or without length normalization) is
here too; width 1 is greedy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor

from .gpt import GPT
from .vocab import EOS_ID

#: Temperatures below this are the limit T -> 0, greedy: dividing the logits by a smaller positive T overflows
#: to inf (1e-40 gave nan probabilities). The CLI's help and the L6 slider say so.
MIN_TEMPERATURE = 0.01


def is_greedy_temperature(temperature: float) -> bool:
    return temperature < MIN_TEMPERATURE


@dataclass(frozen=True)
class SamplingConfig:
    temperature: float = 1.0  # below MIN_TEMPERATURE (0 included): greedy
    top_k: int | None = None  # None: off
    top_p: float | None = None  # None or 1.0: off
    max_tokens: int = 20
    seed: int = 0
    beam: int = 1  # > 1: beam search (deterministic; the filters are not used)
    length_norm: bool = True

    @property
    def greedy(self) -> bool:
        return is_greedy_temperature(self.temperature) or self.top_k == 1


@dataclass
class Filtered:
    """One step's distributions over the whole vocabulary (1-D CPU tensors)."""

    model: Tensor  # softmax(logits): what the model says
    tempered: Tensor  # after the temperature
    kept: Tensor  # bool: survives top-k and top-p
    final: Tensor  # renormalized over the kept tokens
    removed_by_top_k: int = 0
    removed_by_top_p: int = 0
    #: When other code did the top-k / top-p step (:func:`with_own_filter`): the project's own result.
    reference: "Filtered | None" = None


def descending(x: Tensor) -> Tensor:
    """The indices of ``x`` from the largest value down; equal values keep token order (the smaller id first)."""
    return torch.sort(x, descending=True, stable=True).indices


def filter_logits(logits: Tensor, temperature: float = 1.0, top_k: int | None = None,
                  top_p: float | None = None) -> Filtered:
    """Apply temperature, top-k and top-p to one step's logits (V,)."""
    logits = logits.detach().float().cpu()
    model = torch.softmax(logits, -1)
    kept = torch.ones_like(model, dtype=torch.bool)
    if is_greedy_temperature(temperature):  # the limit T -> 0: all mass on the most probable token, the only one kept
        tempered = torch.zeros_like(model)
        tempered[int(logits.argmax())] = 1.0  # on the logits: probabilities can tie where logits do not
        kept = tempered > 0
    else:
        tempered = torch.softmax(logits / temperature, -1)
    removed_k = removed_p = 0
    if top_k is not None and top_k > 0 and top_k < int(kept.sum()):
        by_k = torch.zeros_like(kept)
        by_k[descending(tempered)[:top_k]] = True
        removed_k = int((kept & ~by_k).sum())
        kept &= by_k
    if top_p is not None and top_p < 1.0:
        masked = torch.where(kept, tempered, torch.zeros_like(tempered))
        order = descending(masked)
        mass = masked[order] / masked.sum()
        cumulative = torch.cumsum(mass, 0)
        # The smallest prefix whose mass reaches p: every token whose preceding mass is still below p.
        n = int((cumulative - mass < top_p).sum().clamp(min=1))
        by_p = torch.zeros_like(kept)
        by_p[order[:n]] = True
        removed_p = int((kept & ~by_p).sum())
        kept &= by_p
    final = torch.where(kept, tempered, torch.zeros_like(tempered))
    if float(final.sum()) <= 0:  # every kept token underflowed: fall back to the most probable one
        final = torch.zeros_like(tempered)
        final[int(torch.where(kept, logits, torch.full_like(logits, -float("inf"))).argmax())] = 1.0
    final = final / final.sum()
    return Filtered(model, tempered, kept, final, removed_k, removed_p)


#: ``own(probs (V,), top_k=…, top_p=…) -> probs (V,)``: the top-k / top-p step written elsewhere
#: (演習 top-k-top-p's ``filter_probs``), numpy in and out.
OwnFilter = Callable[..., np.ndarray]


class OwnFilterError(ValueError):
    """The stand-in filter returned something that is not a distribution over the vocabulary."""


def with_own_filter(own: OwnFilter) -> Callable[..., Filtered]:
    """:func:`filter_logits` with its top-k / top-p step done by ``own`` on the tempered distribution.

    The project's result rides along as ``reference``, so the lesson can show both. With no
    filter on (or greedy) there is nothing to cut, and ``own`` is not asked.
    """

    def run(logits: Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None) -> Filtered:
        ours = filter_logits(logits, temperature, top_k, top_p)
        if is_greedy_temperature(temperature) or (top_k is None and top_p is None):
            return ours
        out = own(ours.tempered.double().numpy(), top_k=top_k, top_p=top_p)
        try:
            probs = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise OwnFilterError(f"確率の配列にできません（{type(out).__name__}）") from None
        if probs.shape != tuple(ours.tempered.shape):
            raise OwnFilterError(f"返り値の形が {probs.shape} です（期待 {tuple(ours.tempered.shape)}）")
        if not np.isfinite(probs).all() or (probs < 0).any() or probs.sum() <= 0:
            raise OwnFilterError("返り値が確率の分布になっていません（nan・負の値・合計 0 のどれか）")
        final = torch.from_numpy(probs / probs.sum()).float()
        return Filtered(ours.model, ours.tempered, final > 0, final, ours.removed_by_top_k, ours.removed_by_top_p, ours)

    return run


@dataclass(frozen=True)
class Candidate:
    token: int
    p: float  # after filtering and renormalizing
    model_p: float  # what the model gave it


@dataclass
class StepResult:
    chosen: int
    candidates: list[Candidate]  # the most probable after filtering, best first
    filtered: Filtered | None = None  # kept when asked for (the UI's bars)


@dataclass
class Generation:
    tokens: list[int]  # the continuation, without </s>
    steps: list[StepResult] = field(default_factory=list)
    ended: bool = False  # stopped at </s> rather than at max_tokens


def top_candidates(f: Filtered, n: int = 20) -> list[Candidate]:
    values, idx = torch.topk(f.final, min(n, int(f.kept.sum())))
    return [Candidate(int(i), float(v), float(f.model[i])) for v, i in zip(values, idx)]


def draw(f: Filtered, seed: int) -> int:
    """One token drawn from ``f.final`` with its own CPU generator: the same ``seed`` gives the same token anywhere."""
    return int(torch.multinomial(f.final, 1, generator=torch.Generator().manual_seed(seed)))


@dataclass(frozen=True)
class Row:
    """One token of a step's distribution, as the lesson draws it: what the model gave it, what is left after the
    filters."""

    token: int
    model_p: float  # softmax(logits)
    final_p: float | None  # renormalized over the kept tokens; None: cut
    removed_by: str | None = None  # "temperature" (greedy), "top-k" or "top-p"; None: kept


def distribution_rows(f: Filtered, cfg: SamplingConfig, n: int = 20) -> list[Row]:
    """The ``n`` tokens the model finds most probable, each with its renormalized probability or the filter that cut it.

    The reasons follow :func:`filter_logits`: temperature 0 keeps one token; top-k keeps
    the k most probable after the temperature; top-p cuts among what top-k left.
    """
    size = f.model.numel()
    top = torch.topk(f.model, min(n, size))
    by_k: set[int] | None = None
    if not is_greedy_temperature(cfg.temperature) and cfg.top_k is not None and 0 < cfg.top_k < size:
        by_k = {int(i) for i in descending(f.tempered)[: cfg.top_k]}
    rows = []
    for p, i in zip(top.values.tolist(), top.indices.tolist()):
        if bool(f.kept[i]):
            rows.append(Row(i, p, float(f.final[i])))
            continue
        if is_greedy_temperature(cfg.temperature):
            why = "temperature"
        elif by_k is not None and i not in by_k:
            why = "top-k"
        else:
            why = "top-p"
        rows.append(Row(i, p, None, why))
    return rows


@torch.inference_mode()
def generate(
    model: GPT,
    prompt: list[int],
    cfg: SamplingConfig = SamplingConfig(),
    *,
    keep_distributions: bool = False,
    candidates: int = 20,
    should_stop: Callable[[], bool] = lambda: False,
    choose: Callable[[int, Filtered], int] | None = None,
    filter_fn: Callable[..., Filtered] = filter_logits,
) -> Generation:
    """Continue ``prompt`` (ids starting with <s>) token by token with the key/value cache.

    ``choose(step, filtered)`` picks the token instead of the sampler (the lesson's
    step mode); ``should_stop`` ends early (a newer request replaced this one).
    """
    if cfg.beam > 1:
        return beam_search(model, prompt, cfg.beam, cfg.max_tokens, cfg.length_norm)
    model.eval()
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(cfg.seed)
    room = model.cfg.max_positions - len(prompt)
    ids = torch.tensor([prompt], device=device)
    logits, cache, _ = model(ids)
    out = Generation([])
    for step in range(min(cfg.max_tokens, max(room, 0))):
        if should_stop():
            break
        f = filter_fn(logits[0, -1], cfg.temperature, cfg.top_k, cfg.top_p)
        if choose is not None:
            token = choose(step, f)
        elif cfg.greedy:
            token = int(f.final.argmax())
        else:
            token = int(torch.multinomial(f.final, 1, generator=generator))
        out.steps.append(StepResult(token, top_candidates(f, candidates), f if keep_distributions else None))
        if token == EOS_ID:
            out.ended = True
            break
        out.tokens.append(token)
        if len(prompt) + len(out.tokens) >= model.cfg.max_positions:
            break
        logits, cache, _ = model(torch.tensor([[token]], device=device), cache)
    return out


@torch.inference_mode()
def beam_search(model: GPT, prompt: list[int], width: int, max_tokens: int, length_norm: bool = True) -> Generation:
    """Keep the ``width`` most probable continuations at each step; -> the best (width 1: greedy)."""
    model.eval()
    device = next(model.parameters()).device
    beams: list[tuple[list[int], float]] = [([], 0.0)]
    finished: list[tuple[list[int], float]] = []

    def score(item: tuple[list[int], float]) -> float:
        tokens, logp = item
        return logp / max(len(tokens), 1) if length_norm else logp

    room = min(max_tokens, model.cfg.max_positions - len(prompt))
    for _ in range(max(room, 0)):
        batch = torch.tensor([prompt + t for t, _ in beams], device=device)
        logp = torch.log_softmax(model(batch)[0][:, -1].float(), -1).cpu()
        total = logp + torch.tensor([lp for _, lp in beams]).unsqueeze(1)
        top = total.view(-1).topk(min(2 * width, total.numel()))
        candidates = []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, token = divmod(flat, logp.size(1))
            candidates.append((beams[row][0] + [token], value))
        candidates.sort(key=score, reverse=True)
        alive = []
        for tokens, lp in candidates[:width]:
            if tokens[-1] == EOS_ID:
                finished.append((tokens, lp))
            else:
                alive.append((tokens, lp))
        if not alive or len(finished) >= width:
            break
        beams = alive
    pool = finished or beams
    best_tokens, _ = max(pool, key=score)
    ended = bool(best_tokens) and best_tokens[-1] == EOS_ID
    return Generation(best_tokens[:-1] if ended else best_tokens, [], ended)
