"""Lessons L3/L4's budgets for the RNN translators (issue 4).

    python benchmarks/seq2seq.py [--variant V] [--dir DIR] [--sentences N]

- one 20-token sentence, greedy, attention returned, CPU, model loaded, tokenization
  included: <= 100 ms;
- 500 sentences (the dev split) translated one by one as from stdin: <= 20 s.
Training time per variant (<= 25 min) is in each model's CARD.md / config.json.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", default="concat")
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--sentences", type=int, default=500)
    args = ap.parse_args()

    import torch

    from tutor.core import corpus, translator
    from tutor.settings import PROJECT_ROOT, default_paths

    torch.set_num_threads(2)
    folder = args.dir or PROJECT_ROOT / "models" / translator.BUNDLED[args.variant]
    t = time.perf_counter()
    model = translator.load(folder)
    print(f"load {folder.name}: {(time.perf_counter() - t) * 1000:.0f} ms")

    sentence = "私は昨日の夜、駅の近くの小さな店で古い友だちと一緒に長い時間話しました。"
    n_tokens = len(model.translate(sentence).source)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        model.translate(sentence)
        times.append(time.perf_counter() - t)
    print(f"one {n_tokens}-token sentence, greedy with attention: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms (budget 100 ms)")

    pairs = list(corpus.read_pairs(corpus.find(default_paths().corpus_dir), "dev"))[: args.sentences]
    t = time.perf_counter()
    for p in pairs:
        model.translate(p.ja)
    print(f"{len(pairs)} sentences one by one: {time.perf_counter() - t:.1f} s (budget 20 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
