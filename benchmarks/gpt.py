"""Lesson L6's budgets for the bundled GPT (issue 6).

    python benchmarks/gpt.py [--dir DIR] [--runs N] [--moves N]

- sampling speed with the bundled model on the CPU, key/value cache, the
  filters applied at every step (temperature 1, top-k 50, top-p 0.9): >= 500 tokens/s;
- a slider moved in the L6 playground -> the new text and bars on screen: <= 100 ms.
  Drives the real app headless with Textual's Pilot. The clock starts when the
  key event is posted to the app (as the terminal driver posts it) and stops at
  the first frame painted after the bars changed; Textual paints at most 60
  frames a second, so up to ~17 ms of each figure is waiting for the next frame.
Training time (<= 30 min) is in the model's CARD.md / config.json.

With ``--diversity``, also the lesson's figures: continuations of the first third
of 100 dev sentences, 5 seeds each, greedy against sampling (distinct-n,
repetition rate), as the 貪欲 vs サンプリング tab measures them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

PROMPT = "昨日は友だちと"


def sampling_speed(folder: Path, runs: int) -> None:
    import torch

    from tutor.core import gpt_lm
    from tutor.core.sampling import SamplingConfig

    torch.set_num_threads(2)
    t = time.perf_counter()
    lm = gpt_lm.load(folder)
    print(f"load {folder.name}: {(time.perf_counter() - t) * 1000:.0f} ms")
    # One decoding step as `generate` does it: a cached forward pass, the filters, the draw, the top 20 for --json.
    from tutor.core.sampling import filter_logits, top_candidates

    _, ids, _ = lm.prompt_ids(PROMPT)
    generator = torch.Generator().manual_seed(0)
    with torch.inference_mode():  # as `generate` runs
        logits, cache, _ = lm.model(torch.tensor([ids]))
        steps, t = 300, time.perf_counter()
        for _ in range(steps):
            f = filter_logits(logits[0, -1], 1.0, 50, 0.9)
            token = int(torch.multinomial(f.final, 1, generator=generator))
            top_candidates(f, 20)
            logits, _, _ = lm.model(torch.tensor([[token]]), cache)  # the same cache: every step costs the same
        dt = (time.perf_counter() - t) / steps
    print(f"one sampling step (cached forward, T 1.0 / top-k 50 / top-p 0.9, draw, top 20): {dt * 1000:.2f} ms, "
          f"{1 / dt:.0f} tokens/s (budget >= 500)")
    for name, cfg in (
        ("sampling (T 1.0, top-k 50, top-p 0.9)", SamplingConfig(temperature=1.0, top_k=50, top_p=0.9, max_tokens=60)),
        ("sampling, no filters", SamplingConfig(max_tokens=60)),
        ("greedy", SamplingConfig(temperature=0.0, max_tokens=60)),
    ):
        lm.continue_text(PROMPT, cfg)  # warm-up
        tokens, t = 0, time.perf_counter()
        for seed in range(runs):
            gen = lm.continue_text(PROMPT, SamplingConfig(**{**cfg.__dict__, "seed": seed})).generation
            tokens += len(gen.steps)  # every step drew a token, </s> included
        dt = time.perf_counter() - t
        print(f"{name}: {tokens} tokens in {runs} whole continuations (prompt analysis and first pass included), "
              f"{tokens / dt:.0f} tokens/s")


async def slider_latency(folder: Path, moves: int) -> None:
    from textual import events
    from textual.widgets import TabbedContent

    from tutor.app import build_app
    from tutor.core.device import resolve
    from tutor.demos.gpt import PlaygroundPage
    from tutor.settings import Paths
    from tutor.widgets.slider import Slider

    with tempfile.TemporaryDirectory() as home:
        paths = Paths(Path(home) / "d", Path(home) / "c", models_dir=folder.parent)
        app = build_app(paths, resolve_device=lambda r: resolve(r, cuda_name=lambda: None))
        async with app.run_test(size=(120, 40)) as pilot:
            app.set_sentence("昨日は友だちと駅前の本屋に行きました。")
            app.open_lesson("L6", "demo")
            await pilot.pause()
            app.query_one("#demo-tabs", TabbedContent).active = "gpt-playground"
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            panel = app.query_one(PlaygroundPage)
            samples: list[float] = []
            start = [0.0]
            pending = [False]
            bars = panel.query_one("#pg-bars")
            shown = bars.update  # the page updates the text, then the bars, when a generation arrives

            def timed_shown(content="") -> None:
                shown(content)
                pending[0] = True

            bars.update = timed_shown
            screen = app.screen
            paint = screen._compositor_refresh

            def timed_paint() -> None:
                paint()
                if pending[0]:
                    pending[0] = False
                    samples.append(time.perf_counter() - start[0])

            screen._compositor_refresh = timed_paint
            sliders = [app.query_one(i, Slider) for i in ("#pg-temperature", "#pg-top-k", "#pg-top-p", "#pg-seed")]
            for i in range(moves):
                slider = sliders[i % len(sliders)]
                slider.focus()
                await pilot.pause()
                key = "left" if slider.index == len(slider.values) - 1 else "right"  # a move that changes the value
                n = len(samples)
                start[0] = time.perf_counter()
                app.post_message(events.Key(key, None))
                waited = time.perf_counter()
                while len(samples) == n:
                    if time.perf_counter() - waited > 5:
                        raise SystemExit("no new bars within 5 s of a slider move")
                    await asyncio.sleep(0.0005)
                await asyncio.sleep(0.05)
    print(f"slider moved -> new text and bars painted, {len(samples)} moves: "
          f"median {statistics.median(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms (budget 100 ms)")


def diversity(folder: Path, prompts: int = 100, seeds: int = 5) -> None:
    from tutor.core import corpus, gpt_lm
    from tutor.core.gpt_explain import SETTINGS, default_prompt, distinct_n, repetition_rate
    from tutor.core.sampling import SamplingConfig
    from tutor.settings import default_paths

    lm = gpt_lm.load(folder)
    pairs = list(corpus.read_pairs(corpus.find(default_paths().corpus_dir), "dev"))[:prompts]
    print(f"diversity over {len(pairs)} dev prompts x {seeds} seeds (max 20 tokens):")
    print(f"  {'setting':24} {'distinct-1':>10} {'distinct-2':>10} {'repetition':>10} {'mean length':>11}")
    for name, kw in SETTINGS:
        d1 = d2 = rep = length = 0.0
        for p in pairs:
            outs = [lm.continue_text(default_prompt(p.ja), SamplingConfig(max_tokens=20, seed=s, **kw)).tokens
                    for s in range(seeds)]
            d1 += distinct_n(outs, 1)
            d2 += distinct_n(outs, 2)
            rep += repetition_rate(outs)
            length += sum(map(len, outs)) / len(outs)
        n = len(pairs)
        print(f"  {name:24} {d1 / n:10.3f} {d2 / n:10.3f} {rep / n:10.3f} {length / n:11.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--moves", type=int, default=40)
    ap.add_argument("--diversity", action="store_true", help="also the lesson's greedy vs sampling figures")
    args = ap.parse_args()
    from tutor.settings import PROJECT_ROOT

    folder = args.dir or PROJECT_ROOT / "models" / "gpt"
    sampling_speed(folder, args.runs)
    asyncio.run(slider_latency(folder, args.moves))
    if args.diversity:
        diversity(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
