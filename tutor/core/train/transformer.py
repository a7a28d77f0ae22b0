"""Training the Transformer translator (lesson L5) on the parallel corpus.

Shares the data preparation, batching and BLEU of the RNN trainer
(:mod:`tutor.core.train.seq2seq`). As in the paper: Adam with β2 = 0.98, a
learning rate that rises linearly for ``warmup`` steps and then falls with the
inverse square root of the step, label smoothing 0.1. The model kept is the
average of the weights after the last ``average`` epochs when that scores at
least as well on the validation split (carved from train) as the best single
epoch (checkpoint averaging, also from the paper), else the best single epoch.
Dev is never looked at here: the CLI measures the kept model on it once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from ..transformer import Transformer, TransformerConfig
from ..transformer_decode import greedy_batch
from ..vocab import PAD_ID
from . import TrainingCancelled
from .seq2seq import REPORT_EVERY, ParallelData, Progress, batches, bleu, close_epoch, collate, keep_best_or_average


@dataclass(frozen=True)
class TransformerTrainConfig:
    epochs: int = 12
    batch_size: int = 64
    lr: float = 1e-3  # the peak, reached at the end of the warm-up
    warmup: int = 1500  # steps
    label_smoothing: float = 0.1
    clip: float = 1.0
    average: int = 5  # average the weights of the last N epochs (1: no averaging)
    valid_from: int | None = None  # first epoch measured on validation (default: the second half). Early
    # epochs are never the best, and their translations run to the length limit: epoch 1 took 461 s with
    # its measurement, against about 145 s for its 750 training steps timed alone
    bf16: bool = True  # bfloat16 autocast for the forward pass (0.19 against 0.29 s per batch of 64 here)
    seed: int = 1


def lr_at(step: int, cfg: TransformerTrainConfig) -> float:
    """Linear warm-up to ``cfg.lr``, then ∝ 1/√step (the paper's schedule, scaled to a chosen peak)."""
    step = max(step, 1)
    return cfg.lr * min(step / cfg.warmup, (cfg.warmup / step) ** 0.5)


def translate_ids(model: Transformer, src_ids: list[list[int]], batch_size: int = 100) -> list[list[int]]:
    """Greedy translations, batched by length, returned in the input order."""
    out: list[list[int]] = [[] for _ in src_ids]
    order = sorted(range(len(src_ids)), key=lambda i: len(src_ids[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        src = torch.full((len(idx), max(max(1, len(src_ids[i])) for i in idx)), PAD_ID, dtype=torch.long)
        for r, i in enumerate(idx):
            src[r, : len(src_ids[i])] = torch.tensor(src_ids[i], dtype=torch.long)
        for i, hyp in zip(idx, greedy_batch(model, src.to(next(model.parameters()).device))):
            out[i] = hyp
    return out


def valid_bleu(model: Transformer, data: ParallelData) -> float:
    hyps = translate_ids(model, [data.src_vocab.encode(s) for s, _ in data.valid])
    return bleu([data.tgt_vocab.decode(h) for h in hyps], [t for _, t in data.valid])


def train(
    data: ParallelData,
    model_cfg: TransformerConfig,
    cfg: TransformerTrainConfig = TransformerTrainConfig(),
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> tuple[Transformer, dict]:
    """-> the kept model (averaged or best epoch) and the run's figures."""
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    model = Transformer(model_cfg).to(device)
    train_ids = [(data.src_vocab.encode(s), data.tgt_vocab.encode(t)) for s, t in data.train]
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=cfg.label_smoothing)
    best, best_bleu, history, snapshots, step, t0 = None, -1.0, [], [], 0, time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        plan = batches(train_ids, cfg.batch_size, rng)
        recent: list[float] = []
        for b, index in enumerate(plan, 1):
            if should_stop():
                raise TrainingCancelled()
            step += 1
            for group in opt.param_groups:
                group["lr"] = lr_at(step, cfg)
            src, _, tin, tout = (t.to(device) for t in collate(train_ids, index, max_src=model_cfg.max_positions))
            with torch.autocast(torch.device(device).type, dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = model(src, tin)
            loss = loss_fn(logits.float().reshape(-1, logits.size(-1)), tout.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            recent = (recent + [loss.item()])[-REPORT_EVERY:]
            if on_progress and (b % REPORT_EVERY == 0 or b == len(plan)):
                on_progress(Progress(epoch, cfg.epochs, b, len(plan), sum(recent) / len(recent),
                                     time.perf_counter() - t0, tuple(history)))
        best, best_bleu = close_epoch(model, cfg, epoch, history, best, best_bleu, snapshots,
                                      lambda m: valid_bleu(m, data))
        if on_progress:
            on_progress(Progress(epoch, cfg.epochs, len(plan), len(plan), sum(recent) / max(len(recent), 1),
                                 time.perf_counter() - t0, tuple(history)))
    best_epoch = history.index(max(b for b in history if b is not None)) + 1
    kept, best_bleu, averaged_bleu = keep_best_or_average(model, best, best_bleu, best_epoch, snapshots,
                                                          lambda m: valid_bleu(m, data))
    model.eval()
    model.cpu()  # saved and used from the CPU
    figures = {
        "valid_bleu_per_epoch": history,
        "averaged_valid_bleu": None if averaged_bleu is None else round(averaged_bleu, 2),
        "kept": kept,
        "best_valid_bleu": round(best_bleu, 2),
        "best_epoch": best_epoch,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "train_pairs": len(data.train),
        "valid_pairs": len(data.valid),
        "carved": data.carved,
        "device": str(device),
        "steps": step,
    }
    return model, figures
