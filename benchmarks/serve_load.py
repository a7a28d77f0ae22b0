"""How many learners `tutor serve` holds on this machine: first-screen time and memory per learner.

    python benchmarks/serve_load.py [--counts 1 2 4 6 8 10 12] [--limit 3.0] [--browser]

For each count N, a fresh server on the loopback address gets N new learners whose
websockets open at the same moment, as N browser tabs would (a simulated browser:
the same websocket messages textual.js sends, at 120×40). The first screen is the
moment a learner's stream holds the lesson list and the footer. Printed per N:
the slowest and the median first screen, and memory per learner (PSS: each app
process's own pages plus its share of those shared, such as torch's libraries;
RSS beside it counts shared pages in full). Stops after the first N whose slowest
first screen exceeds --limit seconds. --browser adds one real tab in headless
Chromium (page open to the lesson list drawn).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

MARKERS = ("L0 はじめに", "終了")  # the lesson list and the footer: the whole first screen is there
SETTLE = 6.0  # seconds after the last first screen before memory is read (the device check imports torch)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path, max_learners: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "TUTOR_HOME": str(root / "teacher")}
    process = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port), "--root",
                                str(root / "classroom"), "--max-learners", str(max_learners)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("tutor serve did not start")


def text_of(received: bytes) -> str:
    return re.sub(r"\x1b\[[0-9;?<>]*[A-Za-z]", "", received.decode("utf-8", "replace"))


async def one_learner(session: aiohttp.ClientSession, address: str, start: asyncio.Event,
                      hold: asyncio.Event, times: list[float]) -> None:
    response = await session.post(f"http://{address}/new", allow_redirects=False)
    learner = response.headers["Location"].split("/learn/")[1].split("?")[0]
    await start.wait()
    began = time.monotonic()
    received = bytearray()
    async with session.ws_connect(f"ws://{address}/ws/{learner}?width=120&height=40") as ws:
        await ws.send_json(["resize", {"width": 120, "height": 40}])
        while True:
            message = await ws.receive(timeout=120)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                times.append(float("inf"))  # the app ended before its first screen
                return
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
                if all(m in text_of(bytes(received)) for m in MARKERS):
                    times.append(time.monotonic() - began)
                    break
        await hold.wait()  # stay connected while memory is read


def memory_of(server_pid: int) -> tuple[list[int], list[int]]:
    """PSS and RSS (KiB) of the server's app processes (its children)."""
    children = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True).stdout.split()
    pss, rss = [], []
    for pid in children:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        pss.append(int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)))
        rss.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)))
    return pss, rss


async def measure(count: int) -> tuple[list[float], list[int], list[int]]:
    with tempfile.TemporaryDirectory() as tmp:
        server, address = start_server(Path(tmp), max_learners=count)
        try:
            start, hold = asyncio.Event(), asyncio.Event()
            times: list[float] = []
            async with aiohttp.ClientSession() as session:
                tasks = [asyncio.create_task(one_learner(session, address, start, hold, times)) for _ in range(count)]
                await asyncio.sleep(0.5)  # every learner has an ID; now all tabs open at once
                start.set()
                while len(times) < count:
                    await asyncio.sleep(0.1)
                await asyncio.sleep(SETTLE)
                pss, rss = memory_of(server.pid)
                hold.set()
                await asyncio.gather(*tasks)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return times, pss, rss


def browser_first_screen() -> float:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with tempfile.TemporaryDirectory() as tmp:
        server, address = start_server(Path(tmp), max_learners=2)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                received = bytearray()
                page.on("websocket", lambda ws: ws.on(
                    "framereceived", lambda f: received.extend(f if isinstance(f, bytes) else f.encode())))
                page.goto(f"http://{address}/")
                page.click("#new")
                began = time.monotonic()
                while not all(m in text_of(bytes(received)) for m in MARKERS):
                    page.wait_for_timeout(50)
                    if time.monotonic() - began > 120:
                        raise SystemExit("the browser never showed the first screen")
                seconds = time.monotonic() - began
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 2, 4, 6, 8, 10, 12])
    parser.add_argument("--limit", type=float, default=3.0)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} コア。同時に開く学習者数ごとの最初の画面までの秒数と、1 人あたりのメモリ")
    print(f"{'人数':>4}  {'最遅':>6}  {'中央値':>6}  {'PSS/人':>8}  {'RSS/人':>8}")
    for count in args.counts:
        times, pss, rss = asyncio.run(measure(count))
        slowest = max(times)
        per_pss = statistics.mean(pss) / 1024 if pss else float("nan")
        per_rss = statistics.mean(rss) / 1024 if rss else float("nan")
        print(f"{count:>4}  {slowest:>5.2f}s  {statistics.median(times):>5.2f}s  {per_pss:>6.0f}MB  {per_rss:>6.0f}MB",
              flush=True)
        if slowest > args.limit:
            print(f"{count} 人で最初の画面が {args.limit:g} 秒を超えました。")
            break
    if args.browser:
        print(f"ブラウザ（headless Chromium）で最初の画面まで: {browser_first_screen():.2f} 秒")


if __name__ == "__main__":
    main()
