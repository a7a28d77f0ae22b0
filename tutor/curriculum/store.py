"""Small JSON files that survive crashes: atomic writes, a format version, corruption set aside."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Loaded:
    data: dict | None  # None when there was no usable file
    notice: str = ""  # what the learner should be told (a file was set aside, ...)
    moved_to: Path | None = None


def write_atomic(path: Path, data: dict) -> None:
    """Write JSON to a temp file in the same folder, fsync it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    return target


#: A progress or settings file is a few kilobytes; anything past this is not ours (and is not read).
MAX_BYTES = 1 << 20


def read_versioned(path: Path, version: int, what: str) -> Loaded:
    """Read a JSON object with ``"version": version``; anything else is moved aside, not lost."""
    if not path.exists():
        return Loaded(None)
    problem = ""
    try:
        size = path.stat().st_size if path.is_file() else 0
        if size > MAX_BYTES:
            problem = f"大きすぎます ({size:,} バイト)"
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                problem = "形式が違います"
            elif data.get("version") != version:
                problem = f"形式のバージョンが違います ({data.get('version')!r})"
            else:
                return Loaded(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        problem = f"壊れています ({type(exc).__name__})"
    except OSError as exc:
        return Loaded(None, f"{what}を読めませんでした ({path}: {exc.strerror})。新しく始めます。")
    try:
        moved = _set_aside(path)
    except OSError as exc:  # a read-only folder: leave the file where it is, and say so
        return Loaded(None, f"{what}のファイル {path} が{problem}。別名で残せませんでした ({exc.strerror})。"
                            "今回は新しく始めますが、保存できない可能性があります。")
    return Loaded(None, f"{what}のファイルが{problem}。{moved.name} として残し、新しく始めます。", moved)
