"""Budgets of the command line (issue 15): 500 dev sentences through `tutor translate` on stdin
<= 20 s for every variant; a one-sentence command split into Python start-up, torch's import,
argument parsing and the rest.

Every figure is a fresh `tutor` process, as a learner runs it (the corpus from TUTOR_DATA_DIR
or `tutor data download`).

    python benchmarks/cli.py [--skip-translate] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TUTOR = [sys.executable, "-m", "tutor"]


def timed(argv: list[str], stdin: bytes | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[2:])} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return took, done


def median_of(runs: int, argv: list[str]) -> float:
    return statistics.median(timed(argv)[0] for _ in range(runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-translate", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    python = median_of(args.runs, [sys.executable, "-c", "pass"])
    torch = median_of(args.runs, [sys.executable, "-c", "import torch"]) - python
    parser = median_of(args.runs, [sys.executable, "-c",
                                   "from tutor.__main__ import build_parser; build_parser()"]) - python
    print(f"python start-up {python * 1000:.0f} ms; import torch {torch * 1000:.0f} ms; "
          f"tutor's argument parser (import + build) {parser * 1000:.0f} ms")
    for argv in (["translate", "猫が好きです。"], ["translate", "--variant", "transformer", "猫が好きです。"],
                 ["generate", "猫は"], ["fill-mask", "猫が[MASK]です。"], ["classify", "とても楽しかった。"],
                 ["analyze", "猫が好きです。"]):
        took = median_of(args.runs, TUTOR + argv)
        rest = took - python - (0 if argv[0] == "analyze" else torch)
        print(f"tutor {' '.join(argv):45} {took * 1000:5.0f} ms "
              f"(without start-up{'' if argv[0] == 'analyze' else ' and torch'}: {rest * 1000:.0f} ms)")
    if args.skip_translate:
        return

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tutor.core import corpus
    from tutor.core.variants import TRANSLATORS
    from tutor.settings import default_paths

    dev = (corpus.find(default_paths().corpus_dir) / "dev.ja").read_bytes()
    lines = dev.count(b"\n")
    for variant in TRANSLATORS:
        took, done = timed(TUTOR + ["translate", "--variant", variant], stdin=dev)
        out = done.stdout.decode().splitlines()
        assert len(out) == lines, f"{variant}: {len(out)} lines out for {lines} in"
        print(f"translate --variant {variant:12} {lines} sentences on stdin: {took:5.1f} s (budget 20 s)")
    took, _ = timed(TUTOR + ["translate", "--variant", "transformer", "--json"], stdin=dev)
    print(f"translate --variant transformer --json (every attention map) {lines} sentences: {took:5.1f} s")


if __name__ == "__main__":
    main()
