"""Budget: q / ctrl+q -> the process is gone <= 300 ms, median, with progress saved (issue 15).

Runs the installed `tutor` in a real terminal (a tmux pane, as the journeys do:
tests/journeys/terminal.py), waits until the first lesson is drawn and the
start-up has settled, then presses the key and times it until the process has
ended. Also after a 実験 page has run its model (worker threads and torch
loaded), the case that was slowest. Each run checks that the progress file
names the lesson the learner was on.

    python benchmarks/quit.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.journeys.terminal import POLL, Terminal  # noqa: E402


def one(key: str, lesson: str, tab: str) -> tuple[float, bool]:
    with tempfile.TemporaryDirectory() as home:
        term = Terminal(Path(home), 120, 40, progress={"lesson": lesson, "tab": tab, "sentence": "", "lessons": {}})
        try:
            term.wait_for(lambda s: s.startswith(f" {lesson} ") and "1 説明" in s, why=f"{lesson} drawn")
            term.settle(quiet=1.0, timeout=20)
            time.sleep(2.0)  # the device check (torch import) has run, as for a learner who has read a while
            start = time.perf_counter()
            term.send(key)
            while term.alive():
                time.sleep(POLL / 10)
            took = time.perf_counter() - start
            saved = term.progress().get("lesson") == lesson
            return took, saved
        finally:
            term.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    runs = ap.parse_args().runs
    for key, name in (("q", "q"), ("C-q", "ctrl+q")):
        for lesson, tab, where in (("L0", "prose", "L0 説明"), ("L4", "demo", "L4 実験 (model ran)")):
            results = [one(key, lesson, tab) for _ in range(runs)]
            times = sorted(t for t, _ in results)
            unsaved = sum(not ok for _, ok in results)
            print(f"{name:6} on {where:20}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"max {times[-1] * 1000:.0f} ms over {runs} runs (budget 300 ms median); "
                  f"progress not saved: {unsaved}")


if __name__ == "__main__":
    main()
