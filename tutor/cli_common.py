"""What every lesson's CLI shares: the exit code for a failure, error lines, finding the corpus."""

from __future__ import annotations

import queue
import re
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
    except (ModelError, InputFileError, OutputFileError, *expected) as exc:
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


#: Seeds go to torch.Generator.manual_seed, which takes 64 bits.
SEED_LIMIT = 2**64


def seed(value: str) -> int:
    """argparse type of every --seed: an integer 0 <= n < 2^64 (a larger one overflowed inside torch)."""
    import argparse

    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"整数を指定してください（{value!r}）") from None
    if not 0 <= n < SEED_LIMIT:
        raise argparse.ArgumentTypeError("0 以上 2^64 (18446744073709551616) 未満の整数にしてください")
    return n



class InputFileError(Exception):
    """A --ja / --en file that cannot be used; the message says which and why."""


class OutputFileError(Exception):
    """A file to write (--svg, --map) that cannot be written; the message says which and why."""


def _joined(line: str) -> str:
    """A line of pre-split Japanese (the corpus's own files: 兄 は 港町 の …) read as the learner writes it:
    spaces between two non-ASCII characters are dropped, spaces next to Latin words kept."""
    return re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "", line).strip()


def read_lines(path: Path, option: str, japanese: bool = False) -> list[str]:
    """The lines of a --ja / --en file: missing, a folder, binary, not UTF-8 or empty each get a message."""
    if not path.exists():
        raise InputFileError(f"{option} のファイルがありません: {path}")
    if path.is_dir():
        raise InputFileError(f"{option} にはフォルダではなくファイルを指定してください: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{option} のファイルを読めません: {path}（{exc.strerror or exc}）") from None
    if b"\x00" in data:
        raise InputFileError(f"{option} のファイルはテキストではないようです（NUL バイトがあります）: {path}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{option} のファイルが UTF-8 のテキストではありません"
                             f"（{exc.start} バイト目）: {path}") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InputFileError(f"{option} のファイルに文がありません: {path}")
    return [_joined(line) for line in lines] if japanese else lines


def read_eval_files(ja: Path | None, en: Path | None = None,
                    paired: bool = False) -> tuple[list[str] | None, list[str] | None]:
    """Every `eval` command's --ja (and, for the translators, --en) files; (None, None) when not given.

    With ``paired``, both or neither must be given and their line counts must agree."""
    if paired and (ja is None) != (en is None):
        raise InputFileError("--ja と --en は両方指定してください。")
    ja_lines = read_lines(ja, "--ja", japanese=True) if ja is not None else None
    en_lines = read_lines(en, "--en") if en is not None else None
    if ja_lines is not None and en_lines is not None and len(ja_lines) != len(en_lines):
        raise InputFileError(f"行数が合いません: --ja {ja} は {len(ja_lines)} 行、"
                             f"--en {en} は {len(en_lines)} 行です。")
    return ja_lines, en_lines
