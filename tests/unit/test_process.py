"""tutor.process: a signal ends the process in time with the progress saved, even when the app never stops.

Each case runs a child interpreter whose "app" ignores the request to exit and
whose main thread is stuck in ``Queue.put`` on a full queue, as Textual's
shutdown was after a hang-up (tutor/process.py says why).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tutor import process

CHILD = textwrap.dedent("""
    import queue, sys, time
    from pathlib import Path
    from tutor.process import SignalGuard

    saved = Path(sys.argv[1])
    asked = Path(sys.argv[2])
    guard = SignalGuard(save=lambda: saved.write_text("saved"), exit=lambda code: asked.write_text(str(code)),
                        grace=0.5)
    guard.install()
    print("ready", flush=True)
    stuck = queue.Queue(1)
    stuck.put(None)
    stuck.put(None)  # blocks for good, as WriterThread.stop did
""")


def start(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "saved"), str(tmp_path / "asked")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_a_stuck_process_with_progress_saved(tmp_path, sig) -> None:
    proc = start(tmp_path)
    sent = time.monotonic()
    os.kill(proc.pid, sig)
    code = proc.wait(timeout=5)
    took = time.monotonic() - sent
    assert code == 128 + sig  # as a shell reports a process ended by that signal
    assert (tmp_path / "saved").read_text() == "saved"
    if sig == signal.SIGHUP:  # the terminal is gone: nothing to wait for
        assert not (tmp_path / "asked").exists() and took < 0.4
    else:  # the app was asked to exit first, and given the grace period
        assert (tmp_path / "asked").read_text() == str(128 + sig) and took >= 0.5


def test_a_second_signal_does_not_wait_for_the_grace_period(tmp_path) -> None:
    proc = start(tmp_path)
    os.kill(proc.pid, signal.SIGTERM)
    time.sleep(0.1)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=5) == 128 + signal.SIGTERM
    assert time.monotonic() - sent < 0.35


def test_tune_gc_raises_only_the_young_threshold() -> None:
    import gc

    before = gc.get_threshold()
    try:
        process.tune_gc()
        assert gc.get_threshold() == (process.GC_GEN0, before[1], before[2])
    finally:
        gc.set_threshold(*before)
