"""What every lesson's CLI shares: the exit code for a failure, error lines, finding the corpus."""

from __future__ import annotations

import queue
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from .settings import Paths

EXIT_FAIL = 1


def err(msg: str) -> None:
    print(f"tutor: {msg}", file=sys.stderr)


def find_corpus(args, paths: Paths) -> Path | None:
    """``--data`` or the first place the corpus is found; None (after saying why) when there is none."""
    from .core import corpus

    try:
        data_dir = args.data if getattr(args, "data", None) is not None else corpus.find(paths.corpus_dir)
        if not corpus.is_corpus_dir(data_dir):
            raise corpus.CorpusNotFound(f"{data_dir} に train/dev の .ja/.en がありません。")
    except corpus.CorpusNotFound as exc:
        err(str(exc))
        return None
    return data_dir


def device(args) -> str:
    """The device to run on: ``--device``, or the CPU with a notice when there is no GPU."""
    from .core.device import resolve

    choice = resolve(getattr(args, "device", None) or "auto")
    if choice.notice:
        err(choice.notice)
    return choice.device


def guarded(command, args, paths: Paths, expected: tuple[type[Exception], ...] = ()) -> int:
    """Run one CLI command; a model that cannot be loaded (or an ``expected`` error) becomes a message."""
    from .core.checkpoint import ModelError

    try:
        return command(args, paths)
    except (ModelError, *expected) as exc:
        err(str(exc))
        return EXIT_FAIL


def as_they_arrive(lines: Iterable[str], most: int = 100) -> Iterator[list[str]]:
    """``lines`` in groups of what has arrived so far (at most ``most``): a file piped in goes in large
    batches, while a line typed or written by a slow producer comes back on its own, before the next
    one is read. The lines are read in a thread; an error there (a refused terminal) is raised here."""
    arrived: queue.Queue = queue.Queue()
    end = object()

    def read() -> None:
        try:
            for line in lines:
                arrived.put(line)
        except BaseException as exc:  # noqa: BLE001 - handed to the reading side
            arrived.put(exc)
        arrived.put(end)

    threading.Thread(target=read, name="tutor-stdin", daemon=True).start()
    done = False
    while not done:
        batch = [arrived.get()]
        while len(batch) < most:
            try:
                batch.append(arrived.get_nowait())
            except queue.Empty:
                break
        if end in batch:
            done = True
            batch = batch[: batch.index(end)]
        for i, item in enumerate(batch):
            if isinstance(item, BaseException):
                if i:
                    yield batch[:i]
                raise item
        if batch:
            yield batch
