"""Training the tiny GPT (lesson L6) on the Japanese side of the corpus: next-token prediction.

Every sentence is one training sequence: the input is ``<s> w1 … wn`` and the
target is ``w1 … wn </s>``, so each prefix is an example for the word after
it (self-supervised: the text is its own label). AdamW, a linear warm-up then
cosine decay of the learning rate, and the epoch (or the average of the last
epochs' weights) with the lowest perplexity on the validation split carved from
train is kept. Dev is never looked at here: the CLI measures it once at the end.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .. import corpus
from ..gpt import GPT, GPTConfig, perplexity, perplexity_terms
from ..text import tokenize
from ..vocab import BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab
from . import TrainingCancelled
from .seq2seq import REPORT_EVERY, average_of, batches


@dataclass
class MonolingualData:
    vocab: Vocab
    train: list[list[str]]
    valid: list[list[str]]  # carved from train; chooses the checkpoint
    carved: str = ""  # how the validation split was drawn, for the card


def japanese(pairs) -> list[list[str]]:
    """The Japanese side as MeCab tokens, empty lines dropped."""
    return [s for s in (tokenize(p.ja) for p in pairs) if s]


def prepare(data_dir: Path, min_count: int = 2, limit: int | None = None,
            build: Callable[..., Vocab] = Vocab.build) -> MonolingualData:
    """Train's Japanese side split into training and validation sentences, and a vocabulary from the training part."""
    carved = corpus.carve(data_dir, limit)
    train = japanese(carved.train)
    return MonolingualData(build(train, min_count), train, japanese(carved.valid), carved.describe())


def examples(ids: Sequence[int], max_positions: int) -> tuple[list[int], list[int]]:
    """One sentence -> (input shifted right behind <s>, target ending with </s>), cut to fit."""
    ids = list(ids)[: max_positions - 1]
    return [BOS_ID, *ids], [*ids, EOS_ID]


def collate(seqs: list[list[int]], index: list[int], max_positions: int) -> tuple[torch.Tensor, torch.Tensor]:
    pairs = [examples(seqs[i], max_positions) for i in index]
    T = max(len(x) for x, _ in pairs)
    inputs = torch.full((len(pairs), T), PAD_ID, dtype=torch.long)
    targets = torch.full((len(pairs), T), PAD_ID, dtype=torch.long)
    for r, (x, y) in enumerate(pairs):
        inputs[r, : len(x)] = torch.tensor(x)
        targets[r, : len(y)] = torch.tensor(y)
    return inputs, targets


def held_out_perplexity(model: GPT, seqs: list[list[int]], batch_size: int = 128) -> float:
    model.eval()
    device = next(model.parameters()).device
    nll, n = 0.0, 0
    for start in range(0, len(seqs), batch_size):
        x, y = collate(seqs, list(range(start, min(start + batch_size, len(seqs)))), model.cfg.max_positions)
        a, b = perplexity_terms(model, x.to(device), y.to(device))
        nll, n = nll + a, n + b
    return perplexity(nll, n)


@dataclass(frozen=True)
class GPTTrainConfig:
    epochs: int = 28
    batch_size: int = 64
    lr: float = 1e-3
    warmup: int = 500  # steps
    weight_decay: float = 0.1
    clip: float = 1.0
    seed: int = 1
    bf16: bool = False  # bfloat16 autocast for the forward pass (about 2x on a CPU with AVX-512 BF16)
    average: int = 5  # also try the average of the weights of the last N epochs (1: no averaging)
    word_dropout: float = 0.1  # share of input words read as <unk> in training (data noising; targets untouched)


@dataclass(frozen=True)
class GPTProgress:
    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float
    elapsed: float
    valid_ppl: tuple[float, ...] = ()


def noise_inputs(x: torch.Tensor, rate: float) -> torch.Tensor:
    """A copy of the input ids with about ``rate`` of the words (never <pad>, <s>, </s>) turned into <unk>.

    Data noising as smoothing (Xie et al., 2017): the model cannot lean on every
    word of the context being there, which narrows the gap between train and dev
    perplexity on a corpus this small. Only the inputs change; targets stay.
    """
    if rate <= 0:
        return x
    hit = (torch.rand(x.shape) < rate) & (x > UNK_ID)
    return x.masked_fill(hit, UNK_ID)


def lr_at(step: int, total: int, cfg: GPTTrainConfig) -> float:
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    progress = (step - cfg.warmup) / max(1, total - cfg.warmup)
    return cfg.lr * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))


def train(
    data: MonolingualData,
    model_cfg: GPTConfig,
    cfg: GPTTrainConfig = GPTTrainConfig(),
    on_progress: Callable[[GPTProgress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> tuple[GPT, dict]:
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    model = GPT(model_cfg).to(device)
    train_ids = [data.vocab.encode(s) for s in data.train]
    valid_ids = [data.vocab.encode(s) for s in data.valid]
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "pos" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "pos" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lr, betas=(0.9, 0.98))
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID)
    # batches() groups by the length of the first element: pair each sentence with itself.
    pairs = [(s, s) for s in train_ids]
    per_epoch = len(batches(pairs, cfg.batch_size, None))
    total, step = per_epoch * cfg.epochs, 0
    best, best_ppl, history, t0 = None, float("inf"), [], time.perf_counter()
    snapshots: list[dict] = []
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        plan = batches(pairs, cfg.batch_size, rng)
        recent: list[float] = []
        for b, index in enumerate(plan, 1):
            if should_stop():
                raise TrainingCancelled()
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, cfg)
            step += 1
            x, y = collate(train_ids, index, model_cfg.max_positions)
            x, y = noise_inputs(x, cfg.word_dropout).to(device), y.to(device)
            with torch.autocast(torch.device(device).type, dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = model(x)[0]
            loss = loss_fn(logits.float().reshape(-1, logits.size(-1)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            recent = (recent + [loss.item()])[-REPORT_EVERY:]
            if on_progress and (b % REPORT_EVERY == 0 or b == len(plan)):
                on_progress(GPTProgress(epoch, cfg.epochs, b, len(plan), sum(recent) / len(recent),
                                        time.perf_counter() - t0, tuple(history)))
        ppl = held_out_perplexity(model, valid_ids)
        history.append(round(ppl, 2))
        if ppl < best_ppl:
            best_ppl, best = ppl, copy.deepcopy(model.state_dict())
        if epoch > cfg.epochs - cfg.average:
            snapshots.append(copy.deepcopy(model.state_dict()))
        if on_progress:
            on_progress(GPTProgress(epoch, cfg.epochs, len(plan), len(plan), sum(recent) / max(len(recent), 1),
                                    time.perf_counter() - t0, tuple(history)))
    kept, averaged_ppl = f"epoch {history.index(min(history)) + 1}", None
    if len(snapshots) > 1:
        model.load_state_dict(average_of(snapshots))
        averaged_ppl = held_out_perplexity(model, valid_ids)
        if averaged_ppl <= best_ppl:
            kept, best_ppl, best = f"average of the last {len(snapshots)} epochs", averaged_ppl, None
    if best is not None:
        model.load_state_dict(best)
    model.eval()
    model.cpu()
    figures = {
        "valid_ppl_per_epoch": history,
        "averaged_valid_ppl": None if averaged_ppl is None else round(averaged_ppl, 2),
        "kept": kept,
        "best_valid_ppl": round(best_ppl, 2),
        "best_epoch": history.index(min(history)) + 1,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "train_sentences": len(data.train),
        "valid_sentences": len(data.valid),
        "carved": data.carved,
        "steps": step,
        "device": str(device),
    }
    return model, figures
