"""「自分の実装で動かす」: a passed exercise's functions, kept loaded in a sandbox for a lesson's demo to call.

The demo asks :class:`LearnerCode` for each step it hands to the learner
(a top-p cut, a row of attention scores, a masking draw). The file is reloaded
when it changes on disk. Anything that goes wrong (the file no longer loads,
an exception, a hang, a value of the wrong shape) raises :class:`Broken` with a
message for the learner; the demo then falls back to the project's own
implementation and says so.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .sandbox import Call, Limits, Sandbox, SandboxError
from .spec import Exercise
from .wire import Ref

#: A demo step waits at most this long for the learner's function (a check allows more).
SECONDS = 3.0


class Broken(Exception):
    """The learner's function could not give a usable answer; ``str()`` says why, in Japanese."""


class LearnerCode:
    """The learner's file for one exercise, loaded once and reloaded when it changes."""

    def __init__(self, exercise: Exercise, file: Path, limits: Limits = Limits(seconds=SECONDS)):
        self.exercise = exercise
        self.file = Path(file)
        self._sandbox = Sandbox(self.file, limits)
        self._signature: tuple[int, int] | None = None
        self._sent: dict[str, int] = {}  # stored name -> the child generation that holds it
        self._lock = threading.Lock()

    def _fresh(self) -> None:
        try:
            st = self.file.stat()
        except OSError as exc:
            raise Broken(f"ファイルを読めません: {self.file} ({exc.strerror})") from None
        signature = (st.st_mtime_ns, st.st_size)
        if signature != self._signature or not self._sandbox.alive:
            self._signature = signature
            try:
                self._sandbox.start()
            except SandboxError as exc:
                raise Broken(str(exc)) from None

    def call_many(self, calls: list[Call], store: dict[str, Any] | None = None) -> list[Any]:
        """Every call's value, in order.

        ``store``: big values the calls name by :class:`Ref`, sent to a child only once per name:
        a name must change when its value does (say, carry the model's variant in it).
        """
        with self._lock:
            self._fresh()
            new = {}
            for name, value in (store or {}).items():
                if self._sent.get(name) != self._sandbox.generation:
                    new[name] = value
            try:
                results, _ = self._sandbox.call(calls, store=new)
            except SandboxError as exc:
                self._sent.clear()
                raise Broken(str(exc)) from None
            for name, value in new.items():
                self._sent[name] = self._sandbox.generation
        values = []
        for r in results:
            if r.error is not None:
                raise Broken(r.error.describe())
            values.append(r.value)
        return values

    def call(self, function: str, *args: Any, store: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.call_many([Call(function, args, kwargs)], store)[0]

    def close(self) -> None:
        self._sandbox.close()


__all__ = ["Broken", "LearnerCode", "Ref"]
