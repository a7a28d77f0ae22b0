"""The app's process: how it collects garbage, and how it ends (at once on q, and always on a hang-up or a signal).

Garbage collection. Textual makes many short-lived cycles (every mount, restyle
and message), and with Python's default thresholds (700, 10, 10) a lesson
switch ran two or three full collections over the ~300 k objects that torch,
the models and the widgets hold: 100–400 ms pauses, the outliers of
benchmarks/lesson_switch.py (p95 489 ms; with the collector off, every switch
was 100–230 ms). ``tune_gc`` makes the youngest generation hold 20 000
objects before a collection, so full collections are rare (66 → 4 in 28
switches) and nothing is left uncollected.

Ending. Progress is written whenever it changes (tutor.curriculum.progress, an atomic
rename), so ending the process never needs the app's cooperation to keep it;
each path below writes it once more all the same.

- q / ctrl+q: Textual restores the terminal, then ``finish`` ends the process
  with ``os._exit``. A normal interpreter exit would join the model worker
  threads (a translation or a training epoch is not interruptible) and run
  torch's exit hooks: that was most of the 1.4–4.7 s between q and the shell.
- SIGHUP (the terminal closed: tmux kill-session, an SSH drop, the window
  closed): nothing is left to restore, so the process ends at once. Going
  through Textual's shutdown here is what left processes running forever:
  textual 8.2.8's ``WriterThread`` dies on its first write to the dead
  terminal, its queue (30 writes) fills, and ``LinuxDriver.close`` →
  ``WriterThread.stop`` blocks in ``Queue.put`` for good, while the
  ``textual-input`` thread spins on the closed terminal
  (textual/drivers/_writer_thread.py; no upstream fix in 8.2.8).
- SIGTERM / SIGINT (someone asked the process to stop; the terminal may still
  be there): the app is asked to exit, which restores the terminal, and a
  watchdog ends the process GRACE seconds later whatever happens.

The handlers are plain ``signal.signal`` handlers, not asyncio ones: those run
only when the event loop turns, and a process stuck in Textual's shutdown has no
loop turning any more. A Python signal handler runs in the main thread even
while it waits on a lock (``Queue.put``).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from typing import Callable, NoReturn

#: Objects allocated (less freed) before the youngest generation is collected; Python's default is 700.
GC_GEN0 = 20_000
#: Seconds a SIGTERM / SIGINT leaves Textual to restore the terminal before the process ends anyway.
GRACE = 1.0
#: The signals handled; the exit status after one is 128 + its number, as a shell reports it.
SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


def tune_gc() -> None:
    """Fewer, larger young collections, so full collections stop landing inside a lesson switch."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0, gen1, gen2)


def finish(code: int = 0) -> NoReturn:
    """End the process now, with stdout and stderr flushed; threads still computing are dropped."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed or dead terminal: nothing more to say there
    os._exit(code)


class SignalGuard:
    """Installs the handlers for one app run.

    ``save`` writes the learner's progress; ``exit(code)`` asks the app to stop with that exit status
    (from a signal handler: it must only schedule the exit, as ``loop.call_soon_threadsafe`` does).
    """

    def __init__(self, save: Callable[[], None], exit: Callable[[int], None], grace: float = GRACE) -> None:
        self._save = save
        self._exit = exit
        self._grace = grace
        self._stopping = False

    def install(self) -> None:
        for sig in SIGNALS:
            try:
                signal.signal(sig, self._handle)
            except (ValueError, OSError):  # not the main thread, or a platform without the signal
                pass

    def _save_quietly(self) -> None:
        try:
            self._save()
        except Exception:  # noqa: BLE001 - ending the process must not fail; progress was saved when it changed
            pass

    def _handle(self, signum: int, frame) -> None:
        code = 128 + signum
        self._save_quietly()
        if signum == signal.SIGHUP or self._stopping:  # the terminal is gone, or a second signal: end now
            finish(code)
        self._stopping = True
        watchdog = threading.Timer(self._grace, finish, args=(code,))
        watchdog.daemon = True
        watchdog.start()
        try:
            self._exit(code)
        except Exception:  # noqa: BLE001 - the app may be half closed already
            finish(code)


def run_app(app) -> NoReturn:
    """Run the Textual app as the `tutor` process: tuned collector, signal guard, and a quick end.

    The process ends here with ``finish``, not by returning: a normal interpreter exit would
    wait for model threads still computing.
    """
    tune_gc()
    SignalGuard(save=app.save, exit=app.exit_soon).install()
    from .serve import served

    if served():
        end_with_parent()
    app.run()
    app.save()
    finish(app.return_code or 0)


def end_with_parent() -> bool:
    """Have the kernel send SIGTERM when the parent (`tutor serve`) dies; False where that is not possible.

    A served app reads its browser's keys from a pipe to the server, and Textual's web driver
    does not end when that pipe closes: an app whose server was stopped (or killed) would run on
    with no one to see it. SIGTERM reaches the SignalGuard above, which saves and exits.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return os.getppid() != 1  # the parent may have died before the call: then nothing would be sent
