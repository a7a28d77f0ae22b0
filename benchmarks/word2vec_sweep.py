"""Choose word2vec parameters by measured quality, not by eye.

Trains CBOW and skip-gram over a grid of settings on the corpus (TUTOR_DATA_DIR)
and prints, for each, the neighbour share and analogy accuracy on the team's
evaluation set (assets/word2vec_eval.toml) and the training time.

    python benchmarks/word2vec_sweep.py [--stage all|epochs|dim|mincount|seeds]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import replace

from tutor.core import corpus
from tutor.core.train.word2vec import corpus_sentences, train
from tutor.core.word2vec import W2VConfig
from tutor.core.word2vec_eval import EvalSet, evaluate
from tutor.settings import PROJECT_ROOT, default_paths


def run(sentences, evalset, cfg: W2VConfig) -> dict:
    t = time.perf_counter()
    wv = train(sentences, cfg)
    seconds = time.perf_counter() - t
    q = evaluate(wv, evalset)
    row = {
        "mode": cfg.mode, "dim": cfg.vector_size, "window": cfg.window, "epochs": cfg.epochs,
        "min_count": cfg.min_count, "sample": cfg.sample, "negative": cfg.negative, "seed": cfg.seed, "vocab": len(wv),
        "share": q.neighbour_share, "analogy": q.analogy_accuracy, "top5": q.analogy_top5, "seconds": seconds,
    }
    print(
        f"{row['mode']:9} dim={row['dim']:<4} win={row['window']:<2} ep={row['epochs']:<3} min={row['min_count']:<2} "
        f"sample={row['sample']:<6g} neg={row['negative']:<2} seed={row['seed']:<2} vocab={row['vocab']:<6} "
        f"share={row['share']:.3f} analogy={row['analogy']:.3f} "
        f"top5={row['top5']:.3f} {row['seconds']:5.1f}s",
        flush=True,
    )
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modes", default="cbow,skipgram")
    ap.add_argument("--dims", default="100")
    ap.add_argument("--windows", default="2,5,8")
    ap.add_argument("--epochs", default="5,20,40")
    ap.add_argument("--min-counts", default="3")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--samples", default="0.001", help="down-sampling thresholds")
    ap.add_argument("--negatives", default="5")
    args = ap.parse_args()
    ints = lambda s: [int(x) for x in s.split(",")]  # noqa: E731
    data = corpus.find(default_paths().corpus_dir)
    t = time.perf_counter()
    sentences = corpus_sentences(data)
    print(f"tokenized {len(sentences):,} sentences in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    evalset = EvalSet.load(PROJECT_ROOT / "assets" / "word2vec_eval.toml")
    grid = itertools.product(
        args.modes.split(","), ints(args.dims), ints(args.windows), ints(args.epochs), ints(args.min_counts),
        [float(x) for x in args.samples.split(",")], ints(args.negatives), ints(args.seeds),
    )
    for mode, dim, win, ep, mc, sample, neg, seed in grid:
        cfg = replace(
            W2VConfig(), sg=mode == "skipgram", vector_size=dim, window=win, epochs=ep, min_count=mc,
            sample=sample, negative=neg, seed=seed,
        )
        run(sentences, evalset, cfg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
