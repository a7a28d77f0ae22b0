"""Lesson L7's budgets for the bundled BERT and its classifier (issue 7).

    python benchmarks/bert.py [--runs N]

- fill-mask for a 20-token sentence, CPU, model loaded, tokenization included: <= 50 ms;
- classify one sentence with the bundled classifier, CPU, model loaded, tokenization included: <= 50 ms.
Pretraining (<= 40 min) and fine-tuning (<= 10 min) times are in the models'
CARD.md / config.json; the live fine-tune of the 実験 tab is timed here too.
"""

from __future__ import annotations

import argparse
import statistics
import time

SENTENCE = "昨日は駅の近くの小さな店で古い友だちと[MASK]時間話しました。"


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--live", action="store_true", help="also time the 実験 tab's live fine-tune (about a minute)")
    args = ap.parse_args()

    import torch

    from tutor.core import bert_lm
    from tutor.settings import PROJECT_ROOT

    torch.set_num_threads(2)
    models = PROJECT_ROOT / "models"
    t = time.perf_counter()
    lm = bert_lm.load(models / bert_lm.FOLDER)
    print(f"load BERT: {(time.perf_counter() - t) * 1000:.0f} ms")
    t = time.perf_counter()
    clf = bert_lm.load_classifier(models / bert_lm.CLASSIFIER_FOLDER)
    print(f"load the classifier (BERT, then its LoRA factors merged in): {(time.perf_counter() - t) * 1000:.0f} ms")
    n = len(bert_lm.prepare(lm.vocab, SENTENCE, 64).tokens)
    med, mx = timed(lambda: lm.fill(SENTENCE, top_k=10), args.runs)
    print(f"fill-mask, {n}-token sentence: median {med:.1f} ms, max {mx:.1f} ms (budget 50 ms)")
    plain = SENTENCE.replace("[MASK]", "長い")
    med, mx = timed(lambda: clf.classify(plain), args.runs)
    print(f"classify one sentence: median {med:.1f} ms, max {mx:.1f} ms (budget 50 ms)")

    if args.live:
        from tutor.core import corpus, sentiment
        from tutor.core.bert import encode
        from tutor.core.bert_explain import LIVE_THRESHOLD, LIVE_TRAIN, LIVE_VALID, live_config
        from tutor.core.text import tokenize
        from tutor.core.train.bert import finetune
        from tutor.settings import default_paths

        data_dir = corpus.find(default_paths().corpus_dir)
        t = time.perf_counter()
        labels = sentiment.make_labels(data_dir, threshold=LIVE_THRESHOLD)
        print(f"live fine-tune, VADER labels for the corpus: {time.perf_counter() - t:.1f} s")

        def encoded(rows):
            data = sentiment.resolve(data_dir, rows)
            return [encode(lm.vocab, tokenize(s), 64) for s in data.texts], data.labels

        t = time.perf_counter()
        train, valid = encoded(labels["train"][:LIVE_TRAIN]), encoded(labels["valid"][:LIVE_VALID])
        print(f"live fine-tune, reading {LIVE_TRAIN} + {LIVE_VALID} labelled sentences: "
              f"{time.perf_counter() - t:.1f} s")
        total = 0.0
        for freeze in (True, False):
            t = time.perf_counter()
            _, figures = finetune(lm.model, train, valid, live_config(), freeze=freeze)
            dt = time.perf_counter() - t
            total += dt
            print(f"live fine-tune, {'features only' if freeze else 'fine-tuned'}: {dt:.1f} s, "
                  f"validation accuracy per epoch {figures['valid_accuracy_per_epoch']}")
        print(f"live fine-tune, both runs: {total:.1f} s (budget 120 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
