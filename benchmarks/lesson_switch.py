"""Budget: n / p -> the new lesson's first frame (header, prose and tabs of the new lesson) <= 300 ms, median.

Drives the real app headless with Textual's Pilot at 120×40 and walks L0 → L7
with `n` and back with `p`, on the 説明 tab (where n / p land) and on the 実験
tab. The clock starts when the key event is posted, as the terminal driver
posts it, and stops at the first frame painted after the new lesson's first
screenful of prose is mounted. It also checks, at that frame, that the top bar
names the lesson whose prose is shown (issue 14, case 5).

    python benchmarks/lesson_switch.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path


async def run(rounds: int) -> None:
    from textual import events
    from textual.widgets import Markdown, Static

    from tutor.app import build_app
    from tutor.core.device import resolve
    from tutor.process import tune_gc
    from tutor.settings import Paths

    tune_gc()  # as the `tutor` command does

    with tempfile.TemporaryDirectory() as home:
        app = build_app(Paths(Path(home) / "d", Path(home) / "c"),
                        resolve_device=lambda r: resolve(r, cuda_name=lambda: None))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(2.5)  # the device check (torch import) is done before we measure
            screen = app.screen
            paint = screen._compositor_refresh
            state = {"start": 0.0, "waiting": False, "done": None}
            prose = app.query_one("#prose", Markdown)
            update = prose.update
            pending: list = []  # the first screenful's update, once the new lesson asked for it

            def timed_update(text: str):
                awaitable = update(text)
                pending.append(awaitable)
                return awaitable

            def timed_paint() -> None:
                paint()
                if state["waiting"] and pending and pending[-1].is_done:
                    state["waiting"] = False
                    state["done"] = time.perf_counter() - state["start"]

            prose.update = timed_update
            screen._compositor_refresh = timed_paint
            samples: dict[str, list[float]] = {"prose": [], "demo": []}
            mismatched = 0
            for _ in range(rounds):
                for tab_key, kind in (("1", "prose"), ("2", "demo")):
                    for key in ["n"] * 7 + ["p"] * 7:
                        await pilot.press(tab_key)
                        await pilot.pause(0.05)
                        if kind == "demo":  # the learner looked at the page: its model ran and drew
                            await app.workers.wait_for_complete()
                            await pilot.pause(0.2)
                        pending.clear()
                        state.update(start=time.perf_counter(), waiting=True, done=None)
                        app.post_message(events.Key(key, key))
                        while state["done"] is None:
                            await asyncio.sleep(0.0005)
                        samples[kind].append(state["done"])
                        header = str(app.query_one("#top-lesson", Static).render())
                        if not header.startswith(app.lesson.label):
                            mismatched += 1
                        await pilot.pause(0.3)  # let the rest of the prose and the demo settle
    for kind, xs in samples.items():
        xs.sort()
        print(f"{kind:5} tab, n/p -> first frame of the new lesson ({len(xs)} switches): "
              f"median {statistics.median(xs) * 1000:.0f} ms, p95 {xs[int(0.95 * (len(xs) - 1))] * 1000:.0f} ms, "
              f"max {xs[-1] * 1000:.0f} ms  (budget 300 ms median)")
    print(f"header naming another lesson than the content at that frame: {mismatched}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1)
    asyncio.run(run(ap.parse_args().rounds))


if __name__ == "__main__":
    main()
