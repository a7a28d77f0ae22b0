"""Run the learner's file in a child process (:mod:`.worker`), with limits, and call its functions.

One :class:`Sandbox` is one child: started once for a file, then asked for any
number of batches of calls (the check's cases, or a demo's steps when the
learner runs the lesson on their own implementation). A batch that takes
longer than its time limit kills the child (its whole process group) and says
so; the next batch starts a fresh child.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import wire

#: The folder that holds the ``tutor`` package: the child imports the worker from there (it runs with -I).
PACKAGE_PARENT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Limits:
    seconds: float = 5.0  # wall time for one batch of calls (and for loading the file)
    memory_mb: int = 1024  # address space of the child
    cpu_seconds: int = 30  # CPU time over the child's whole life (a runaway loop is killed by the wall limit first)


@dataclass(frozen=True)
class Call:
    """One call of a learner function: ``function(*args, **kwargs)`` (values as :mod:`.wire` allows)."""

    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LearnerError:
    """An exception in the learner's code: its type, message and the lines of their file it went through."""

    type: str
    message: str
    where: tuple[tuple[int, str, str], ...] = ()  # (line, function, code)
    line: int | None = None  # a SyntaxError's line
    code: str = ""

    @classmethod
    def from_wire(cls, data: dict) -> "LearnerError":
        where = tuple((w.get("line"), w.get("function", ""), w.get("code", "")) for w in data.get("where", []))
        return cls(str(data.get("type", "Error")), str(data.get("message", "")), where, data.get("line"),
                   data.get("code", ""))

    def describe(self) -> str:
        """One or two readable lines, in Japanese."""
        if self.type == "SyntaxError" or self.type == "IndentationError":
            text = f"文法エラー ({self.type}) {self.line or '?'} 行目: {self.message}"
            return text + (f"\n    {self.code.strip()}" if self.code.strip() else "")
        if self.type == "Refused":
            return self.message
        if self.type == "MemoryError":
            return "メモリの上限を超えました (MemoryError)。大きすぎる配列を作っていませんか。"
        text = f"{self.type}: {self.message}" if self.message else self.type
        if self.where:
            line, function, code = self.where[-1]
            text += f"\n    {line} 行目 ({function}): {code}"
        return text


@dataclass(frozen=True)
class Result:
    """The outcome of one call: a value, or the learner's exception."""

    value: Any = None
    error: LearnerError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class SandboxError(Exception):
    """The child could not answer: it ran out of time, died, or the file would not load. ``str()`` is for the
    learner."""

    def __init__(self, message: str, kind: str, error: LearnerError | None = None, stdout: str = ""):
        super().__init__(message)
        self.kind = kind  # "timeout", "died", "load", "protocol"
        self.error = error
        self.stdout = stdout


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "SYSTEMROOT")}
    # one thread: no thread pools to count against the memory limit, and two checks never fight for the cores
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONIOENCODING="utf-8")
    return env


class Sandbox:
    """A child process that has loaded ``file``; :meth:`call` sends it a batch of calls."""

    def __init__(self, file: Path, limits: Limits = Limits()):
        self.file = Path(file)
        self.limits = limits
        self._proc: subprocess.Popen | None = None
        self._buffer = b""
        self.functions: tuple[str, ...] = ()
        self.load_stdout = ""
        self.generation = 0  # how many children have been started: stored values live in one child only
        self._lock = threading.Lock()  # one batch at a time: the app's worker threads may share a sandbox

    # -- life --------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the child and wait until it has loaded the file. Raises :class:`SandboxError`."""
        self.close()
        bootstrap = (f"import sys; sys.path.insert(0, {str(PACKAGE_PARENT)!r}); "
                     "from tutor.exercises.worker import main; main()")
        args = [sys.executable, "-I", "-B", "-c", bootstrap, str(self.limits.memory_mb), str(self.limits.cpu_seconds),
                str(self.file.resolve())]
        cwd = self.file.resolve().parent if self.file.parent.is_dir() else None
        self.generation += 1
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      cwd=cwd, env=_child_env(), start_new_session=True, close_fds=True)
        self._buffer = b""
        first = self._read(self.limits.seconds + 5)  # + numpy's import, slow on a loaded machine
        if "load_error" in first:
            error = LearnerError.from_wire(first["load_error"])
            self.close()
            raise SandboxError(error.describe(), "load", error, first.get("stdout", ""))
        self.functions = tuple(first.get("functions", ()))
        self.load_stdout = first.get("stdout", "")

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def __enter__(self) -> "Sandbox":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- calls -------------------------------------------------------------------------------
    def call(self, calls: list[Call], seconds: float | None = None, store: dict[str, Any] | None = None
             ) -> tuple[list[Result], str]:
        """Run ``calls`` in the child -> (one :class:`Result` per call, what the learner printed).

        ``store``: values the child keeps under a name, for this and later calls to name by
        :class:`wire.Ref` (a fresh child forgets them: see :attr:`generation`).
        """
        with self._lock:
            if not self.alive:
                self.start()
            assert self._proc is not None and self._proc.stdin is not None
            message: dict[str, Any] = {"calls": [{"function": c.function, "args": wire.encode(tuple(c.args)),
                                                  "kwargs": wire.encode(dict(c.kwargs))} for c in calls]}
            if store:
                message["store"] = {k: wire.encode(v) for k, v in store.items()}
            request = wire.dumps(message)
            try:
                self._proc.stdin.write(request.encode("utf-8") + b"\n")
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self.close()
                raise SandboxError("演習のプロセスが終了してしまいました。", "died") from None
            answer = self._read(self.limits.seconds if seconds is None else seconds)
        if "too_big" in answer:
            raise SandboxError(f"返り値が大きすぎます（{answer['too_big']:,} バイト）。", "protocol")
        results = []
        for item in answer.get("results", []):
            if "error" in item:
                results.append(Result(error=LearnerError.from_wire(item["error"])))
            else:
                results.append(Result(value=wire.decode(item.get("value"))))
        return results, answer.get("stdout", "")

    def _read(self, seconds: float) -> dict:
        """One answer line within ``seconds``; otherwise the child is killed and the reason raised."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        deadline = time.monotonic() + seconds
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    self.close()
                    raise SandboxError(f"時間切れです: {seconds:g} 秒以内に終わりませんでした"
                                       "（無限ループになっていませんか）。", "timeout")
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    code = self._proc.wait()
                    self.close()
                    raise SandboxError(_death(code), "died")
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            return wire.loads(line.decode("utf-8"))
        except ValueError as exc:
            self.close()
            raise SandboxError(f"演習のプロセスの応答を読めませんでした ({exc})。", "protocol") from None


def _death(code: int) -> str:
    if code < 0:
        sig = -code
        if sig == signal.SIGXCPU:
            return "CPU 時間の上限を超えたため止めました。"
        if sig in (signal.SIGKILL, signal.SIGSEGV):
            return (f"演習のプロセスが強制終了しました（シグナル {signal.Signals(sig).name}。"
                    "メモリの使いすぎかもしれません）。")
        return f"演習のプロセスが終了しました（シグナル {signal.Signals(sig).name}）。"
    return f"演習のプロセスが途中で終了しました（終了コード {code}）。exit() や os._exit() を呼んでいませんか。"
