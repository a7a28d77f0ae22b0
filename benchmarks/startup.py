"""Budget: `tutor` start to the first usable lesson screen <= 0.8 s; torch not imported before it.

Each run starts a fresh interpreter (as the `tutor` command does), builds the app
on a temporary user directory, and reports when the first lesson screen has
been composed, laid out and drawn (Textual's auto-pilot runs once the app is
ready), and whether torch was in sys.modules at that moment.

    python benchmarks/startup.py [--runs N] [--lesson L1 --tab demo]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, sys, time
from pathlib import Path
from tutor.app import build_app
from tutor.settings import Paths
from tutor.curriculum.progress import Progress, ProgressStore

home = Path(sys.argv[1])
paths = Paths(home / "data", home / "config")
ProgressStore(paths.progress_file, paths.settings_file).save_progress(Progress(lesson=sys.argv[2], tab=sys.argv[3]))
app = build_app(paths=paths, device="auto")

async def ready(pilot):
    await pilot.pause(0)  # the first frame of the lesson screen is on screen
    print(json.dumps({"t": time.time(), "torch": "torch" in sys.modules, "lesson": app.lesson.id}), flush=True)
    app.exit()

app.run(headless=True, size=(100, 30), auto_pilot=ready)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--lesson", default="L1")
    ap.add_argument("--tab", default="demo")
    args = ap.parse_args()
    times, torch_seen = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            t0 = time.time()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, home, args.lesson, args.tab],
                capture_output=True, text=True, check=True, env={**os.environ, "TUTOR_HOME": home},
            ).stdout
            line = json.loads(out.strip().splitlines()[-1])
            times.append(line["t"] - t0)
            torch_seen.append(line["torch"])
    print(f"start -> first usable screen ({args.lesson}/{args.tab}), {args.runs} runs:")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms  (budget 800 ms)")
    print(f"  torch imported before the first frame: {any(torch_seen)}")


if __name__ == "__main__":
    main()
