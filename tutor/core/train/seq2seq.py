"""Train an RNN translator (ja -> en) on the parallel corpus; keep the best dev-BLEU checkpoint.

:func:`prepare` tokenizes the corpus once (MeCab for Japanese, the corpus's own
tokens for English) and builds both vocabularies from the training split.
:func:`train` runs the epochs, reports through ``on_progress`` every few batches
and after each dev evaluation, and stops early when ``should_stop`` says so.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from .. import corpus
from ..seq2seq import Seq2Seq, Seq2SeqConfig
from ..seq2seq_decode import greedy_batch
from ..text import tokenize
from ..vocab import BOS_ID, EOS_ID, PAD_ID, Vocab
from . import TrainingCancelled

REPORT_EVERY = 20  # batches


@dataclass
class ParallelData:
    src_vocab: Vocab
    tgt_vocab: Vocab
    train: list[tuple[list[str], list[str]]]  # (MeCab tokens, English tokens)
    dev: list[tuple[list[str], list[str]]]


def prepare(data_dir: Path, min_count: int = 2, limit: int | None = None) -> ParallelData:
    def split(name: str, n: int | None):
        return [(tokenize(p.ja), p.en.split()) for p in corpus.read_pairs(data_dir, name, n)]

    train_pairs = [(s, t) for s, t in split("train", limit) if s and t]
    dev_pairs = [(s, t) for s, t in split("dev", None) if s and t]
    return ParallelData(
        Vocab.build((s for s, _ in train_pairs), min_count),
        Vocab.build((t for _, t in train_pairs), min_count),
        train_pairs,
        dev_pairs,
    )


def batches(pairs: Sequence[tuple[list[int], list[int]]], size: int, rng: random.Random | None) -> list[list[int]]:
    """Indices grouped into batches of similar source length (less padding), in random order."""
    order = list(range(len(pairs)))
    if rng is not None:
        rng.shuffle(order)
    chunks = [order[i : i + size * 50] for i in range(0, len(order), size * 50)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(pairs[i][0]))
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    if rng is not None:
        rng.shuffle(out)
    return out


def collate(pairs, index: list[int], max_src: int = 60):
    """-> src (B, S), lengths (B,), tgt_in (B, T) starting with <s>, tgt_out (B, T) ending with </s>."""
    srcs = [pairs[i][0][:max_src] for i in index]
    tgts = [pairs[i][1] for i in index]
    S, T = max(len(s) for s in srcs), max(len(t) for t in tgts) + 1
    src = torch.full((len(index), S), PAD_ID, dtype=torch.long)
    tin = torch.full((len(index), T), PAD_ID, dtype=torch.long)
    tout = torch.full((len(index), T), PAD_ID, dtype=torch.long)
    for r, (s, t) in enumerate(zip(srcs, tgts)):
        src[r, : len(s)] = torch.tensor(s)
        tin[r, : len(t) + 1] = torch.tensor([BOS_ID, *t])
        tout[r, : len(t) + 1] = torch.tensor([*t, EOS_ID])
    return src, torch.tensor([len(s) for s in srcs]), tin, tout


def bleu(hypotheses: list[list[str]], references: list[list[str]]) -> float:
    """Corpus BLEU with sacrebleu on already tokenized, lower-cased text (tokenize='none')."""
    import sacrebleu

    return sacrebleu.corpus_bleu(
        [" ".join(h) for h in hypotheses], [[" ".join(r) for r in references]], tokenize="none", force=True
    ).score


def translate_ids(model: Seq2Seq, src_ids: list[list[int]], batch_size: int = 100) -> list[list[int]]:
    """Greedy translations, batched by length, returned in the input order."""
    out: list[list[int]] = [[] for _ in src_ids]
    order = sorted(range(len(src_ids)), key=lambda i: len(src_ids[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        lens = [max(1, len(src_ids[i])) for i in idx]
        src = torch.full((len(idx), max(lens)), PAD_ID, dtype=torch.long)
        for r, i in enumerate(idx):
            src[r, : len(src_ids[i])] = torch.tensor(src_ids[i], dtype=torch.long)
        dev = next(model.parameters()).device
        for i, hyp in zip(idx, greedy_batch(model, src.to(dev), torch.tensor(lens))):
            out[i] = hyp
    return out


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 12
    batch_size: int = 64
    lr: float = 1e-3
    teacher_forcing: float = 1.0
    label_smoothing: float = 0.1
    clip: float = 1.0
    seed: int = 1


@dataclass(frozen=True)
class Progress:
    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float  # mean over the last few batches
    elapsed: float
    dev_bleu: tuple[float, ...] = field(default_factory=tuple)  # after each finished epoch


def train(
    data: ParallelData,
    model_cfg: Seq2SeqConfig,
    cfg: TrainConfig = TrainConfig(),
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "cpu",
) -> tuple[Seq2Seq, dict]:
    """-> the model at its best dev BLEU, and the run's figures."""
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    model = Seq2Seq(model_cfg).to(device)
    train_ids = [(data.src_vocab.encode(s), data.tgt_vocab.encode(t)) for s, t in data.train]
    dev_src = [data.src_vocab.encode(s) for s, _ in data.dev]
    dev_ref = [t for _, t in data.dev]
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_ID, label_smoothing=cfg.label_smoothing)
    best, best_bleu, history, t0 = None, -1.0, [], time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        plan = batches(train_ids, cfg.batch_size, rng)
        recent: list[float] = []
        for b, index in enumerate(plan, 1):
            if should_stop():
                raise TrainingCancelled()
            src, lengths, tin, tout = (t.to(device) for t in collate(train_ids, index))
            logits, _ = model(src, lengths, tin, cfg.teacher_forcing)
            loss = loss_fn(logits.reshape(-1, logits.size(-1)), tout.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            recent = (recent + [loss.item()])[-REPORT_EVERY:]
            if on_progress and (b % REPORT_EVERY == 0 or b == len(plan)):
                on_progress(Progress(epoch, cfg.epochs, b, len(plan), sum(recent) / len(recent), time.perf_counter() - t0, tuple(history)))
        hyps = [data.tgt_vocab.decode(h) for h in translate_ids(model, dev_src)]
        score = bleu(hyps, dev_ref)
        history.append(round(score, 2))
        if score > best_bleu:
            best_bleu, best = score, copy.deepcopy(model.state_dict())
        if on_progress:
            on_progress(Progress(epoch, cfg.epochs, len(plan), len(plan), sum(recent) / max(len(recent), 1), time.perf_counter() - t0, tuple(history)))
    model.load_state_dict(best)
    model.eval()
    model.cpu()  # saved and used from the CPU
    figures = {
        "dev_bleu_per_epoch": history,
        "best_dev_bleu": round(best_bleu, 2),
        "best_epoch": history.index(max(history)) + 1,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "train_pairs": len(data.train),
        "device": str(device),
    }
    return model, figures
