"""Lesson L5's budgets for the Transformer translator (issue 5).

    python benchmarks/transformer.py [--dir DIR] [--sentences N]

- one 20-token sentence, greedy, with every attention map (encoder self, decoder
  self, cross; per layer and head), CPU, model loaded, tokenization included: <= 100 ms;
- 500 sentences (the dev split) translated one by one as from stdin: <= 20 s;
- the layer × head overview rebuilt after a filter change: <= 100 ms.
Training time (<= 40 min) is in the model's CARD.md / config.json.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--sentences", type=int, default=500)
    args = ap.parse_args()

    import torch

    from tutor.core import corpus, translator
    from tutor.settings import PROJECT_ROOT, default_paths
    from tutor.widgets.head_overview import overview_text

    torch.set_num_threads(2)
    folder = args.dir or PROJECT_ROOT / "models" / "transformer"
    t = time.perf_counter()
    model = translator.load(folder)
    print(f"load {folder.name}: {(time.perf_counter() - t) * 1000:.0f} ms")
    from tutor.demos.models import settle_heap

    settle_heap()  # as the app does after loading a model

    sentence = "私は昨日の夜、駅の近くの小さな店で古い友だちと一緒に長い時間話しました。"
    result = model.translate(sentence)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        model.translate(sentence)
        times.append(time.perf_counter() - t)
    maps = result.maps
    count = sum(len(layer) for layer in maps.encoder + maps.decoder + maps.cross)
    print(f"one {len(result.source)}-token sentence, greedy with all {count} attention maps: "
          f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms (budget 100 ms)")

    filters = [(None, None, 0.0), (0, None, 0.1), (None, 1, 0.2), (2, 3, 0.5), (None, None, 0.05)]
    t = time.perf_counter()
    overview_text(maps.encoder, width=110)
    print(f"overview, first draw in the process (styles parsed once): {(time.perf_counter() - t) * 1000:.1f} ms")
    times = []
    for _ in range(20):
        for layer, head, threshold in filters:
            t = time.perf_counter()
            overview_text(maps.encoder, layer=layer, head=head, threshold=threshold, width=110)
            times.append(time.perf_counter() - t)
    print(f"overview of {len(maps.encoder)} layers × {len(maps.encoder[0])} heads after a filter change: "
          f"median {statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms (budget 100 ms)")

    pairs = list(corpus.read_pairs(corpus.find(default_paths().corpus_dir), "dev"))[: args.sentences]
    t = time.perf_counter()
    for p in pairs:
        model.translate(p.ja)
    print(f"{len(pairs)} sentences one by one: {time.perf_counter() - t:.1f} s (budget 20 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
