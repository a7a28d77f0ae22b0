"""One attention step of the RNN translator, worked through with the model's own numbers.

For one target position (one row of the L4 attention grid), :func:`explain_step`
replays the decoder on the tokens produced before it (teacher forcing on
``prefix``), takes the state the decoder attends with (the new state for the
Luong variants, the previous one for additive) and redoes the three steps of the
papers with the model's own :class:`~tutor.core.seq2seq.Attention` module:

1. raw scores ``e_i = score(s, h_i)`` for every source position (``Attention.scores``);
2. softmax: ``exp(e_i - max e)``, divided by their sum, gives the weights ``a_i``;
3. the context ``c = Σ a_i h_i``, a weighted sum of the encoder states.

Hard attention puts weight 1 on the best position, so the context is that one
encoder state. Torch is imported inside the function: this module is imported by
the UI, whose first frame never waits for torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .seq2seq import Seq2Seq

#: The score function of each attention variant, as the lesson writes it.
FORMULAS = {
    "dot": "e_i = sᵀh_i",
    "general": "e_i = sᵀW h_i",
    "concat": "e_i = vᵀtanh(W₁s + W₂h_i)",
    "additive": "e_i = vᵀtanh(W₁s + W₂h_i)",
}


@dataclass(frozen=True)
class StepExplanation:
    """The numbers of one attention step; every list has one entry per source token (but ``context``)."""

    variant: str
    formula: str  # the score function, e.g. "e_i = sᵀW h_i"
    query: str  # which decoder state is s: "s_t" (Luong, after the step) or "s_{t-1}" (additive, before it)
    scores: list[float]  # raw scores e_i
    exps: list[float]  # exp(e_i - max e)
    softmax: list[float]  # exp / Σ exp
    weights: list[float]  # the weights the decoder used: the softmax, or one-hot when hard
    context: list[float]  # c = Σ a_i h_i, all of its dimensions
    hard: bool = False

    @property
    def best(self) -> int:
        """The source position with the largest weight (the only one hard attention uses)."""
        return max(range(len(self.weights)), key=self.weights.__getitem__)


def explain_step(model: Seq2Seq, src_ids: list[int], prefix: list[int], hard: bool = False) -> StepExplanation | None:
    """The attention step that produces target token ``len(prefix)`` after ``prefix`` -> its numbers.

    ``prefix`` holds the target ids produced before this row (no ``<s>``). Returns
    None for the plain model, which has no attention. Raises ValueError for an
    empty source or an id outside the vocabularies.
    """
    import torch

    from .seq2seq import start_tokens

    cfg = model.cfg
    if not cfg.attention:
        return None
    if not src_ids:
        raise ValueError("empty source sentence")
    if not all(0 <= i < cfg.src_vocab for i in src_ids) or not all(0 <= i < cfg.tgt_vocab for i in prefix):
        raise ValueError("token id outside the vocabulary")

    decoder = model.decoder
    attention = decoder.attention
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            src = torch.tensor([src_ids], dtype=torch.long, device=device)
            keys, mask, state = model.encode(src, torch.tensor([len(src_ids)]))  # keys (1, S, H)
            prev = start_tokens(1, device)
            for token in prefix:  # replay the steps before this row, as the decode made them
                _, state, _ = decoder.step(prev, state, keys, mask, hard)
                prev = torch.tensor([token], device=device)
            if cfg.variant == "additive":  # Bahdanau: attends with the previous state, before the GRU step
                query = state.s  # (1, H)
            else:  # Luong: the GRU steps first; the new state is what attends
                query = decoder.step(prev, state, keys, mask, hard)[1].s
            e = attention.scores(query, keys).masked_fill(~mask, float("-inf"))  # (1, S)
            exps = torch.exp(e - e.max(-1, keepdim=True).values)
            softmax = exps / exps.sum(-1, keepdim=True)
            weights = softmax
            if hard:
                weights = torch.nn.functional.one_hot(softmax.argmax(-1), softmax.size(-1)).to(softmax.dtype)
            context = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)  # (1, H)
    finally:
        model.train(was_training)
    return StepExplanation(
        variant=cfg.variant,
        formula=FORMULAS[cfg.variant],
        query="s_{t-1}" if cfg.variant == "additive" else "s_t",
        scores=e[0].tolist(),
        exps=exps[0].tolist(),
        softmax=softmax[0].tolist(),
        weights=weights[0].tolist(),
        context=context[0].tolist(),
        hard=hard,
    )
