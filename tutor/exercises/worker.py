"""The sandbox's child process: loads the learner's file and calls its functions on request.

Started by :class:`tutor.exercises.sandbox.Sandbox`, never imported by the app.
Before the learner's code runs it

- lowers its own limits: address space (memory), CPU seconds, file size 0 (no
  file can grow), no core dumps;
- moves the protocol off fd 0/1: requests arrive on a private copy of stdin,
  answers leave on a private copy of stdout; the learner's ``print`` is
  captured and sent back with each answer, ``input()`` reads nothing;
- installs an audit hook (PEP 578) that refuses what an exercise never needs:
  running programs, forking, sockets, writing or deleting files, ctypes.

Protocol: one JSON line per message. First ``{"ready": true}`` or
``{"load_error": {...}}``; then for each request line ``{"calls": [...]}``
(with ``"store": {name: value}`` for values later calls name by ``Ref``)
one answer ``{"results": [...], "stdout": "..."}``, where each result is
``{"value": ...}`` or ``{"error": {...}}``.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import sys
import traceback

MAX_SOURCE = 200_000  # characters: an exercise is ~25 lines
MAX_STDOUT = 4_000
MAX_ANSWER = 64 << 20  # bytes of JSON: a bigger return value is an error, not a hang


class Refused(PermissionError):
    """An operation the sandbox does not allow."""


_BLOCKED_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty", "socket.", "ctypes.", "shutil.",
                     "os.kill", "os.killpg", "pty.", "subprocess.", "_posixsubprocess", "winreg.", "webbrowser.",
                     "urllib.", "http.", "ftplib.", "smtplib.", "os.system", "os.remove", "os.unlink", "os.rename",
                     "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.symlink", "os.link",
                     "os.utime", "os.putenv", "os.unsetenv", "os.chdir", "os.chflags", "os.setxattr", "os.removexattr",
                     "sys.addaudithook")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_FORBIDDEN_IMPORTS = {"subprocess", "_posixsubprocess", "multiprocessing", "socket", "_socket", "pty", "ctypes",
                      "_ctypes", "cffi", "shutil", "signal", "resource", "threading", "_thread", "asyncio", "tutor"}


def _what(event: str, args: tuple) -> str:
    labels = {"open": "ファイルへの書き込み", "import": "モジュール"}
    head = labels.get(event.split(".")[0], event)
    detail = ", ".join(repr(a)[:80] for a in args[:2])
    return f"{head} ({detail})"


def _hook(event: str, args: tuple) -> None:
    if event == "open":
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        if ((isinstance(mode, str) and any(c in mode for c in "wax+"))
                or (isinstance(flags, int) and flags & _WRITE_FLAGS)):
            raise Refused(f"演習のコードからファイルに書き込むことはできません: {args[0]!r}")
        return
    if event == "import":
        top = str(args[0]).split(".")[0]
        if top in _FORBIDDEN_IMPORTS:
            raise Refused(f"演習のコードでは {top} を使えません"
                          "（外部コマンド・ネットワーク・ファイル操作などは不要です）")
        return
    if event.startswith(_BLOCKED_PREFIXES):
        raise Refused(f"演習のコードでは使えない操作です: {event}")


def _limit(memory_mb: int, cpu_s: int) -> None:
    for what, value in ((resource.RLIMIT_AS, memory_mb << 20), (resource.RLIMIT_CPU, cpu_s),
                        (resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(what)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(what, (value, hard))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the size limit fails (EFBIG) instead of killing us


def _error(exc: BaseException, path: str) -> dict:
    """The exception, with the frames of the learner's file only (line numbers point into it)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    where = [{"line": f.lineno, "function": f.name, "code": (f.line or "").strip()} for f in frames[-5:]]
    error = {"type": type(exc).__name__, "message": str(exc)[:500], "where": where}
    if isinstance(exc, SyntaxError):
        error.update(line=exc.lineno, offset=exc.offset, code=(exc.text or "").rstrip("\n")[:200])
    return error


def main() -> None:
    memory_mb, cpu_s, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    _limit(memory_mb, cpu_s)
    import numpy  # noqa: F401 - before the hook: numpy's own import opens files and loads libraries
    import numpy.random  # noqa: F401 - loaded lazily, and it imports threading (refused after the hook)

    from . import wire

    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # a learner's os.write(1, …) lands on stderr, not in the protocol
    sys.stdin = io.StringIO("")
    captured = io.StringIO()
    sys.stdout = captured
    sys.dont_write_bytecode = True

    def send(message: dict) -> None:
        line = wire.dumps(message)
        if len(line) > MAX_ANSWER:
            line = wire.dumps({"too_big": len(line)})
        answers.write(line + "\n")
        answers.flush()

    def printed() -> str:
        text = captured.getvalue()
        captured.seek(0)
        captured.truncate()
        return text if len(text) <= MAX_STDOUT else text[:MAX_STDOUT] + "\n…（以下省略）"

    try:
        with open(path, encoding="utf-8") as f:
            source = f.read(MAX_SOURCE + 1)
        if len(source) > MAX_SOURCE:
            raise ValueError(f"ファイルが大きすぎます（{MAX_SOURCE:,} 文字まで）")
        code = compile(source, path, "exec")
    except (OSError, UnicodeDecodeError, ValueError, SyntaxError) as exc:
        send({"load_error": _error(exc, path)})
        return
    sys.addaudithook(_hook)
    module = {"__name__": "exercise", "__file__": path}
    try:
        exec(code, module)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt included: the file may call exit()
        send({"load_error": _error(exc, path), "stdout": printed()})
        return
    send({"ready": True, "functions": sorted(k for k, v in module.items() if callable(v) and not k.startswith("_")),
          "stdout": printed()})
    stored: dict = {}  # values sent once (a model's weights) and named by Ref in later calls
    for line in requests:
        request = wire.loads(line)
        for name, value in request.get("store", {}).items():
            stored[name] = wire.decode(value)
        results = []
        for call in request["calls"]:
            fn = module.get(call["function"])
            if not callable(fn):
                results.append({"error": {"type": "NameError",
                                          "message": f"関数 {call['function']} が定義されていません",
                                          "where": []}})
                continue
            try:
                args = wire.decode(call["args"], make_rng=True, stored=stored)
                kwargs = wire.decode(call["kwargs"], make_rng=True, stored=stored)
                results.append({"value": wire.encode(fn(*args, **kwargs))})
            except BaseException as exc:  # noqa: BLE001 - every failure of the learner's code is a result
                results.append({"error": _error(exc, path)})
        send({"results": results, "stdout": printed()})


if __name__ == "__main__":
    main()
