"""Waiting for an app driven by Pilot to finish its background work (shared by the demo tests)."""

from __future__ import annotations

from textual.worker import WorkerCancelled, WorkerFailed


async def settle(pilot, delay: float = 0.1) -> None:
    """Let debounce timers fire, then wait until no worker is pending or running.

    A worker that a newer request cancelled while we waited (exclusive groups do
    that) is not a failure: the next round waits for the one that replaced it.
    """
    await pilot.pause(delay)
    for _ in range(100):
        try:
            await pilot.app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):  # a page's PageError (a missing model) is shown, not raised
            pass
        await pilot.pause()
        if all(w.is_finished for w in pilot.app.workers):
            return
    raise AssertionError("the app's workers never settled")
