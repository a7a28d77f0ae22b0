"""Budget: a saved exercise file is checked and its verdict known within 1 s (issue 16).

For every exercise: the time to build its cases once per process (expected values
from tutor.core; torch is imported for some), then the time of a whole check of
the model solution (a fresh sandboxed child: Python + numpy start-up, the file
loaded, every case run and compared), median of ``--runs``. Also a 「自分の実装で
動かす」 call: the learner's score() on one decoder step of the real size
(d = 256, n = 40, W stored once), median per call.

    python benchmarks/exercises.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from tutor.exercises import checking, registry, workspace  # noqa: E402
from tutor.exercises.mine import LearnerCode  # noqa: E402
from tutor.exercises.sandbox import Call  # noqa: E402
from tutor.exercises.wire import Ref  # noqa: E402
from tutor.settings import PROJECT_ROOT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    lessons = PROJECT_ROOT / "lessons"
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'exercise':22} {'cases':>6} {'build cases':>12} {'check (median)':>15} {'max':>7}")
        for ex in registry.exercises():
            path = Path(tmp) / ex.file_name
            path.write_text(workspace.texts(ex, lessons).solution, encoding="utf-8")
            start = time.perf_counter()
            cases = checking.cases_of(ex)
            build = time.perf_counter() - start
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                report = checking.check(ex, path)
                times.append(time.perf_counter() - start)
                assert report.passed, (ex.id, report.failures)
            worst = max(worst, max(times))
            print(f"{ex.id:22} {len(cases):6} {build * 1000:10.0f} ms {statistics.median(times) * 1000:12.0f} ms "
                  f"{max(times) * 1000:5.0f} ms")
        ex = registry.get("attention-scores")
        path = Path(tmp) / ex.file_name
        code = LearnerCode(ex, path)
        rng = np.random.default_rng(0)
        W, v = rng.normal(size=(256, 512)), rng.normal(size=256)
        s, H = rng.normal(size=256), rng.normal(size=(40, 256))
        calls = []
        for i in range(args.runs * 10 + 1):
            start = time.perf_counter()
            code.call_many([Call("score", ("concat", s, H), {"W": Ref("W"), "v": Ref("v")})], {"W": W, "v": v})
            calls.append(time.perf_counter() - start)
        code.close()
    print(f"\nslowest whole check: {worst * 1000:.0f} ms (budget 1000 ms from a save to the verdict; the tab looks "
          f"at the file every 0.5 s)")
    print(f"learner's score() from a demo, one decoder step (concat, d 256, n 40): first call (starts the child, "
          f"sends W) {calls[0] * 1000:.0f} ms, then median {statistics.median(calls[1:]) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
