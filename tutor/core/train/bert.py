"""Training the tiny BERT (lesson L7): masked-language-model pretraining, then [CLS] fine-tuning.

Pretraining: every batch is masked afresh by :func:`tutor.core.masking.mask_tokens`
(15 %; 80/10/10), and the loss is the cross-entropy of the original token at
the chosen positions only. AdamW, linear warm-up then cosine decay; the epoch
with the lowest loss on the validation split carved from train is kept. It is
always masked with the same seeds, so top-1 / top-5 accuracy can be compared
between epochs and runs. Dev is measured once, by the CLI, on the kept model.

Fine-tuning (:func:`finetune`): the pretrained encoder plus a linear layer on
the [CLS] vector, trained on labelled sentences. ``freeze=True`` keeps the
encoder as it is and trains the linear layer alone (features only), the
comparison the lesson makes.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .. import lora
from ..bert import BERT, BertConfig, Classifier, build_vocab, encode, pad_batch
from ..masking import IGNORE, mask_tokens
from . import TrainingCancelled
from .gpt import MonolingualData, lr_at, prepare as prepare_text
from .seq2seq import REPORT_EVERY, batches

EVAL_SEEDS = (0, 1, 2, 3)  # held-out text is masked four times, always the same way


def prepare(data_dir: Path, min_count: int = 2, limit: int | None = None) -> MonolingualData:
    """The Japanese side tokenized, with a BERT vocabulary ([CLS], [SEP], [MASK] included)."""
    return prepare_text(data_dir, min_count, limit, build=build_vocab)


@dataclass(frozen=True)
class BertTrainConfig:
    epochs: int = 14
    batch_size: int = 64
    lr: float = 1e-3
    warmup: int = 800  # steps
    weight_decay: float = 0.01
    clip: float = 1.0
    seed: int = 1
    bf16: bool = False  # bfloat16 autocast for the forward pass (about 2x on a CPU with AVX-512 BF16)


@dataclass(frozen=True)
class Progress:
    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float
    elapsed: float
    valid: tuple[dict, ...] = ()  # per finished epoch


def mlm_loss(model: BERT, inputs: torch.Tensor, labels: torch.Tensor,
             bf16: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """-> (mean loss over the chosen positions, their logits (N, V), their original ids (N,))."""
    with torch.autocast(inputs.device.type, dtype=torch.bfloat16, enabled=bf16):
        hidden, _ = model(inputs)
        chosen = labels != IGNORE
        logits = model.mlm_logits(hidden[chosen]).float()
    target = labels[chosen]
    return nn.functional.cross_entropy(logits, target), logits, target


@torch.no_grad()
def evaluate(model: BERT, seqs: Sequence[Sequence[int]], seeds: Sequence[int] = EVAL_SEEDS,
             batch_size: int = 128) -> dict:
    """Masked-token loss and top-1 / top-5 accuracy, held-out text masked with fixed seeds."""
    model.eval()
    device = next(model.parameters()).device
    nll, top1, top5, n = 0.0, 0, 0, 0
    for seed in seeds:
        gen = torch.Generator().manual_seed(seed)
        for start in range(0, len(seqs), batch_size):
            ids = pad_batch(seqs[start : start + batch_size])
            m = mask_tokens(ids, model.cfg.vocab, gen)
            if not (m.labels != IGNORE).any():
                continue
            loss, logits, target = mlm_loss(model, m.inputs.to(device), m.labels.to(device))
            best = logits.topk(5, dim=-1).indices
            nll += float(loss) * len(target)
            top1 += int((best[:, 0] == target).sum())
            top5 += int((best == target[:, None]).any(-1).sum())
            n += len(target)
    n = max(n, 1)
    return {"loss": round(nll / n, 4), "top1": round(top1 / n, 4), "top5": round(top5 / n, 4), "masked": n}


def _optimizer(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.dim() >= 2 and "pos" not in n]
    rest = [p for n, p in model.named_parameters() if p.requires_grad and not (p.dim() >= 2 and "pos" not in n)]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.98))


def pretrain(
    data: MonolingualData,
    model_cfg: BertConfig,
    cfg: BertTrainConfig = BertTrainConfig(),
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> tuple[BERT, dict]:
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = BERT(model_cfg).to(device)
    train_ids = [encode(data.vocab, s, model_cfg.max_positions) for s in data.train]
    valid_ids = [encode(data.vocab, s, model_cfg.max_positions) for s in data.valid]
    opt = _optimizer(model, cfg.lr, cfg.weight_decay)
    pairs = [(s, s) for s in train_ids]  # batches() groups by the length of the first element
    per_epoch = len(batches(pairs, cfg.batch_size, None))
    total, step = per_epoch * cfg.epochs, 0
    best, best_loss, history, t0 = None, float("inf"), [], time.perf_counter()
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
            m = mask_tokens(pad_batch([train_ids[i] for i in index]), model_cfg.vocab, gen)
            if not (m.labels != IGNORE).any():
                continue
            loss = mlm_loss(model, m.inputs.to(device), m.labels.to(device), cfg.bf16)[0]
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            recent = (recent + [loss.item()])[-REPORT_EVERY:]
            if on_progress and b % REPORT_EVERY == 0:
                on_progress(Progress(epoch, cfg.epochs, b, len(plan), sum(recent) / len(recent),
                                     time.perf_counter() - t0, tuple(history)))
        scores = evaluate(model, valid_ids)
        history.append(scores)
        if scores["loss"] < best_loss:
            best_loss, best = scores["loss"], copy.deepcopy(model.state_dict())
        if on_progress:
            on_progress(Progress(epoch, cfg.epochs, len(plan), len(plan), sum(recent) / max(len(recent), 1),
                                 time.perf_counter() - t0, tuple(history)))
    model.load_state_dict(best)
    model.eval()
    model.cpu()
    best_epoch = min(range(len(history)), key=lambda i: history[i]["loss"])
    figures = {
        "valid_per_epoch": history,
        "best_epoch": best_epoch + 1,
        "valid": history[best_epoch],
        "train_seconds": round(time.perf_counter() - t0, 1),
        "train_sentences": len(data.train),
        "valid_sentences": len(data.valid),
        "carved": data.carved,
        "steps": step,
        "device": str(device),
    }
    return model, figures


# --------------------------------------------------------------------------- fine-tuning through [CLS]


@dataclass(frozen=True)
class FinetuneConfig:
    epochs: int = 3
    batch_size: int = 32
    lr: float = 1e-4  # the whole encoder moves: small steps
    head_lr: float = 1e-3  # features only: the linear layer alone
    warmup: int = 50
    weight_decay: float = 0.01
    clip: float = 1.0
    seed: int = 1
    balance: bool = True  # weight the classes inversely to their counts
    top_layers: int | None = None  # None: every weight moves; k: only the top k layers, the final norm and the head
    lora_rank: int | None = None  # r: low-rank factors beside every weight matrix instead (see core/lora.py)
    lora_alpha: float = 16.0


def trained_names(model: Classifier, freeze: bool, top_layers: int | None) -> set[str]:
    """The parameters fine-tuning updates: the head alone (features only), the top layers, or all."""
    names = {n for n, _ in model.named_parameters()}
    if freeze:
        return {n for n in names if n.startswith("head.")}
    if top_layers is None:
        return names
    first = model.cfg.layers - top_layers
    keep = ("head.", "encoder.norm.", *(f"encoder.layers.{i}." for i in range(max(first, 0), model.cfg.layers)))
    return {n for n in names if n.startswith(keep)}


@dataclass(frozen=True)
class FinetuneProgress:
    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float  # over the last few batches
    accuracy: float  # on the training batches seen lately
    elapsed: float
    valid: tuple[float, ...] = ()  # validation accuracy per finished epoch


@torch.no_grad()
def predict(model: Classifier, seqs: Sequence[Sequence[int]], batch_size: int = 128) -> torch.Tensor:
    """-> probabilities (N, labels)."""
    model.eval()
    device = next(model.parameters()).device
    out = [torch.softmax(model(pad_batch(seqs[s : s + batch_size]).to(device)), -1).cpu()
           for s in range(0, len(seqs), batch_size)]
    return torch.cat(out) if out else torch.zeros(0, model.head.out_features)


def accuracy(model: Classifier, seqs: Sequence[Sequence[int]], labels: Sequence[int]) -> float:
    if not seqs:
        return 0.0
    return float((predict(model, seqs).argmax(-1) == torch.tensor(list(labels))).float().mean())


def finetune(
    encoder: BERT,
    train: tuple[Sequence[Sequence[int]], Sequence[int]],
    valid: tuple[Sequence[Sequence[int]], Sequence[int]] | None = None,
    cfg: FinetuneConfig = FinetuneConfig(),
    freeze: bool = False,
    on_progress: Callable[[FinetuneProgress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> tuple[Classifier, dict]:
    """A classifier on a copy of ``encoder``. -> (the model with the best validation accuracy, figures)."""
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    if sum((freeze, cfg.top_layers is not None, cfg.lora_rank is not None)) > 1:
        raise ValueError("features only, top layers and LoRA are three different ways: pick one")
    model = Classifier(copy.deepcopy(encoder).cpu())
    if cfg.lora_rank:
        trained = lora.attach(model, cfg.lora_rank, cfg.lora_alpha)
    else:
        trained = trained_names(model, freeze, cfg.top_layers)
        for name, p in model.named_parameters():
            p.requires_grad_(name in trained)
    model.to(device)
    seqs, labels = list(train[0]), list(train[1])
    counts = torch.bincount(torch.tensor(labels), minlength=2).float()
    weight = (counts.sum() / (2 * counts.clamp(min=1))) if cfg.balance else torch.ones(2)
    loss_fn = nn.CrossEntropyLoss(weight=weight.to(device))
    lr = cfg.head_lr if freeze else cfg.lr
    opt = _optimizer(model, lr, cfg.weight_decay)
    lr_cfg = BertTrainConfig(lr=lr, warmup=cfg.warmup)
    pairs = [(s, s) for s in seqs]
    per_epoch = len(batches(pairs, cfg.batch_size, None))
    total, step = per_epoch * cfg.epochs, 0
    best, best_acc, history, t0 = None, -1.0, [], time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        if freeze:
            model.encoder.eval()  # no dropout inside a frozen feature extractor
        plan = batches(pairs, cfg.batch_size, rng)
        recent: list[tuple[float, float]] = []
        for b, index in enumerate(plan, 1):
            if should_stop():
                raise TrainingCancelled()
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, lr_cfg)
            step += 1
            x = pad_batch([seqs[i] for i in index]).to(device)
            y = torch.tensor([labels[i] for i in index], device=device)
            logits = model(x)
            loss = loss_fn(logits, y)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], cfg.clip)
            opt.step()
            recent = (recent + [(loss.item(), float((logits.argmax(-1) == y).float().mean()))])[-10:]
            if on_progress:
                on_progress(FinetuneProgress(epoch, cfg.epochs, b, len(plan), sum(r[0] for r in recent) / len(recent),
                                             sum(r[1] for r in recent) / len(recent), time.perf_counter() - t0,
                                             tuple(history)))
        acc = accuracy(model, *valid) if valid else 0.0
        history.append(round(acc, 4))
        if acc > best_acc:
            best_acc, best = acc, copy.deepcopy(model.state_dict())
    model.load_state_dict(best)
    model.eval()
    model.cpu()
    return model, {
        "valid_accuracy_per_epoch": history,
        "best_epoch": history.index(max(history)) + 1,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "train_sentences": len(seqs),
        "freeze": freeze,
        "top_layers": None if freeze else cfg.top_layers,
        "lora": {"rank": cfg.lora_rank, "alpha": cfg.lora_alpha} if lora.attached(model) else None,
        "trained": sorted(trained),
        "device": str(device),
    }

