"""CLI for lesson L3's bigram model: `tutor train bigram` counts word pairs in the corpus."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .cli_common import EXIT_FAIL, find_corpus
from .settings import Paths

#: Add-k values tried; the one with the lowest perplexity on the validation split (carved from train) is kept.
K_GRID = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)


def add_train_parser(tsub) -> None:
    p = tsub.add_parser("bigram", help="バイグラム言語モデル（語の組の出現回数）を数える")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--out", type=Path, help="保存先（既定: ユーザーデータの models/bigram-ja）")


def cmd_train(args, paths: Paths) -> int:
    from .core import checkpoint, corpus, ngram
    from .core.text import tokenize

    data_dir = find_corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    t = time.perf_counter()
    carved = corpus.carve(data_dir)
    train = [tokenize(p.ja) for p in carved.train]
    valid = [tokenize(p.ja) for p in carved.valid]
    model = ngram.Bigram.fit(train)
    seconds = time.perf_counter() - t
    sweep = {}
    for k in K_GRID:
        model.k = k
        sweep[str(k)] = round(model.perplexity(valid), 2)
        print(f"k = {k:g}: 検証パープレキシティ {sweep[str(k)]:.2f}", file=sys.stderr)
    model.k = min(K_GRID, key=lambda k: sweep[str(k)])
    # Dev is measured once, with the k chosen on the validation split.
    dev = [tokenize(p.ja) for p in corpus.read_pairs(data_dir, "dev")]
    meta = {"sentences": len(train), "carved": carved.describe(), "valid_perplexity": sweep[str(model.k)],
            "dev_perplexity": round(model.perplexity(dev), 2), "k_sweep": sweep, "seconds": round(seconds, 1)}
    command = "tutor " + " ".join(sys.argv[1:]) if sys.argv[1:3] == ["train", "bigram"] else "tutor train bigram"
    out = args.out or paths.user_models_dir / ngram.BUNDLED
    model.save(out, meta, ngram.model_card(model, meta, command))
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    print(f"保存しました: {out}（語彙 {len(model.vocab):,}、語の組 {model.pair_count:,}、"
          f"k = {model.k:g}、検証パープレキシティ {meta['valid_perplexity']:.2f}、"
          f"dev パープレキシティ {meta['dev_perplexity']:.2f}）")
    return 0
