"""Lesson L2's budgets: training time per mode, query time, load time.

    python benchmarks/word2vec.py [--skip-training] [--queries N]

Budgets (issue 3): training each mode on the full corpus <= 60 s on the 2-core
machine; a similarity or analogy query <= 10 ms after load; loading both
bundled models <= 0.5 s. Training uses the bundled models' parameters
(tutor.core.word2vec.DEFAULTS) and needs TUTOR_DATA_DIR; the rest uses models/.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

LOAD_SNIPPET = """
import time
t = time.perf_counter()
from tutor.core.word2vec import load_bundled
from tutor.settings import PROJECT_ROOT
for mode in ("cbow", "skipgram"):
    load_bundled(PROJECT_ROOT / "models", mode)
print(time.perf_counter() - t)
"""


def bench_training() -> None:
    from tutor.core import corpus
    from tutor.core.train.word2vec import corpus_sentences, train
    from tutor.core.word2vec import DEFAULTS
    from tutor.settings import default_paths

    data = corpus.find(default_paths().corpus_dir)
    t = time.perf_counter()
    sentences = corpus_sentences(data)
    tok = time.perf_counter() - t
    print(f"tokenize train.ja (MeCab, once)   {tok:6.2f} s  ({len(sentences):,} sentences)")
    for mode, config in DEFAULTS.items():
        t = time.perf_counter()
        wv = train(sentences, config)
        seconds = time.perf_counter() - t
        print(f"train {mode:<9} {config.describe():<48} {seconds:6.2f} s  "
              f"(+ tokenizing: {seconds + tok:.2f} s; budget 60 s)")
        del wv


def bench_load(runs: int = 5) -> None:
    cold = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True)
        cold.append(float(out.stdout.strip()))
    print(f"load both models, fresh process    median {statistics.median(cold) * 1000:6.1f} ms  "
          f"(max {max(cold) * 1000:.1f}; imports included; budget 500 ms)")
    from tutor.core.word2vec import load_bundled
    from tutor.settings import PROJECT_ROOT

    warm = []
    for _ in range(runs):
        t = time.perf_counter()
        for mode in ("cbow", "skipgram"):
            load_bundled(PROJECT_ROOT / "models", mode)
        warm.append(time.perf_counter() - t)
    print(f"load both models, warm process     median {statistics.median(warm) * 1000:6.1f} ms")


def bench_queries(n: int) -> None:
    from tutor.core.word2vec import load_bundled
    from tutor.settings import PROJECT_ROOT

    for mode in ("cbow", "skipgram"):
        wv = load_bundled(PROJECT_ROOT / "models", mode)
        words = wv.words[: n]
        sim, ana = [], []
        for i, w in enumerate(words):
            t = time.perf_counter()
            wv.similar(w, 10)
            sim.append(time.perf_counter() - t)
            a, b = words[(i + 1) % len(words)], words[(i + 2) % len(words)]
            t = time.perf_counter()
            wv.analogy([w, b], [a], 10)
            ana.append(time.perf_counter() - t)
        for name, xs in (("similar", sim), ("analogy", ana)):
            xs.sort()
            print(f"{mode:<9} {name:<8} x{len(xs)}   median {statistics.median(xs) * 1000:6.3f} ms  "
                  f"p99 {xs[int(len(xs) * 0.99) - 1] * 1000:6.3f} ms  max {xs[-1] * 1000:6.3f} ms  (budget 10 ms)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-training", action="store_true")
    ap.add_argument("--queries", type=int, default=1000)
    args = ap.parse_args()
    if not args.skip_training:
        bench_training()
    bench_load()
    bench_queries(args.queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
