"""Model folders on disk: safetensors arrays, JSON config and vocabulary, and a manifest.

A model is a folder ``models/<name>/`` holding ``model.safetensors``, ``config.json``,
``vocab.json`` and ``CARD.md``. ``models/MANIFEST.toml`` lists every file of every
bundled model with its size and SHA-256; :func:`verify` checks a folder against it
before anything is loaded, so a truncated or edited file is reported, not half-used.
Nothing here unpickles: safetensors and JSON only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MANIFEST = "MANIFEST.toml"
WEIGHTS = "model.safetensors"
CONFIG = "config.json"
VOCAB = "vocab.json"
CARD = "CARD.md"


class ModelError(Exception):
    """A model that cannot be used; the message says why and what to do."""


class ModelMissing(ModelError):
    pass


class ModelCorrupt(ModelError):
    pass


class WrongKind(ModelCorrupt):
    """A model folder of another kind than the command needs (a GPT folder given to `translate --dir`)."""


#: The ``kind`` in each model's config.json, as the messages name it.
KIND_NAMES = {
    "seq2seq": "RNN の翻訳モデル (seq2seq)",
    "transformer": "Transformer の翻訳モデル",
    "gpt": "GPT",
    "bert": "BERT（マスク言語モデル）",
    "bert-classifier": "BERT の感情分類器",
    "word2vec": "word2vec",
    "bigram": "バイグラム言語モデル",
}


def expect_kind(folder: Path, config, *kinds: str) -> None:
    """Refuse a folder whose config.json says it holds another kind of model than ``kinds``."""
    kind = config.get("kind") if isinstance(config, dict) else None
    if kind in kinds:
        return
    what = (f"{KIND_NAMES[kind]} のモデルです" if kind in KIND_NAMES
            else "どの種類のモデルか分かりません（config.json に kind がありません）")
    wanted = "、".join(KIND_NAMES.get(k, k) for k in kinds)
    raise WrongKind(f"このフォルダは {what}: {folder}。ここで使えるのは {wanted} のフォルダです。")


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the models directory, with forward slashes
    size: int
    sha256: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(models_dir: Path) -> dict[str, FileEntry]:
    """The manifest's entries by relative path; an absent manifest is empty."""
    path = models_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = [FileEntry(e["path"], int(e["size"]), e["sha256"]) for e in data.get("file", [])]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ModelCorrupt(f"{path} を読めません: {exc}") from exc
    return {e.path: e for e in entries}


def write_manifest(models_dir: Path) -> dict[str, FileEntry]:
    """List every file under each model folder (sorted) in MANIFEST.toml."""
    entries = {}
    for folder in sorted(p for p in models_dir.iterdir() if p.is_dir()):
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = file.relative_to(models_dir).as_posix()
            entries[rel] = FileEntry(rel, file.stat().st_size, sha256_file(file))
    lines = [
        "# Every file of every bundled model, with its size and SHA-256.",
        "# Written by `python -m tutor.core.checkpoint`; checked before a model loads.",
        "format = 1",
    ]
    for e in entries.values():
        lines += ["", "[[file]]", f'path = "{e.path}"', f"size = {e.size}", f'sha256 = "{e.sha256}"']
    (models_dir / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return entries


def restore_hint(folder: Path) -> str:
    """How to get a model folder back: from git for a bundled one, or by training it again."""
    from .recipes import BY_FOLDER

    name = folder.name
    train = " ".join(BY_FOLDER[name].args) if name in BY_FOLDER else None
    hint = f"同梱のモデルなら `git checkout -- models/{name}` で元に戻せます"
    if train:
        hint += f"（または `tutor train {train}` で学習し直せます）"
    return hint + "。"


def verify(folder: Path) -> None:
    """Check a model folder before loading it.

    A folder inside a directory with a manifest (the bundled models) must match
    it file by file; a folder without one (a model the learner saved) only has
    to hold its files. Raises :class:`ModelMissing` or :class:`ModelCorrupt`,
    whose message names the file and says how to restore it.
    """
    for required in (WEIGHTS, CONFIG):
        if not (folder / required).is_file():
            what = f"{folder.name}/{required}" if folder.is_dir() else folder.name
            raise ModelMissing(f"モデル {what} が見つかりません ({folder / required if folder.is_dir() else folder})。"
                               + restore_hint(folder))
    manifest = read_manifest(folder.parent)
    if not manifest:
        return
    listed = {k: v for k, v in manifest.items() if k.startswith(folder.name + "/")}
    if not listed:
        raise ModelCorrupt(f"モデル {folder.name} が {folder.parent / MANIFEST} に載っていません。"
                           + restore_hint(folder))
    for rel, entry in listed.items():
        path = folder.parent / rel
        if not path.is_file():
            raise ModelMissing(f"モデルのファイル {rel} がありません。" + restore_hint(folder))
        if path.stat().st_size != entry.size or sha256_file(path) != entry.sha256:
            raise ModelCorrupt(
                f"モデルのファイル {rel} が壊れているか書き換えられています "
                f"({MANIFEST} のハッシュと一致しません)。" + restore_hint(folder)
            )


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelMissing(f"{path} がありません。") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelCorrupt(f"{path} を読めません: {exc}") from exc


def write_json(path: Path, data, compact: bool = False) -> None:
    """Indented for people (configs), or on one line (vocabularies: thousands of tokens, no reader)."""
    text = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) if compact
            else json.dumps(data, ensure_ascii=False, indent=1))
    path.write_text(text + "\n", encoding="utf-8")


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path))


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    try:
        return load_file(str(path))
    except FileNotFoundError as exc:
        raise ModelMissing(f"{path} がありません。") from exc
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelCorrupt(f"{path} を読めません: {exc}") from exc


def write_folder(folder: Path, write_weights, config: dict, vocab, card: str | None = None) -> None:
    """Write a model folder next to its final place, then move it in whole.

    ``write_weights(path)`` writes model.safetensors; a failure leaves the old
    folder as it was and no temporary folder behind.
    """
    import shutil

    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_weights(tmp / WEIGHTS)
        write_json(tmp / CONFIG, config)
        write_json(tmp / VOCAB, vocab, compact=True)
        if card:
            (tmp / CARD).write_text(card, encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_dir(tmp, folder)


def replace_dir(tmp: Path, final: Path) -> None:
    """Move a fully written folder into place, so a reader never sees half a model."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
        os.replace(final, old / final.name)
    os.replace(tmp, final)
    if old is not None:
        import shutil

        shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":  # python -m tutor.core.checkpoint [MODELS_DIR]
    import sys

    from ..settings import PROJECT_ROOT

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "models"
    for e in write_manifest(root).values():
        print(f"{e.sha256[:12]}  {e.size:>10,}  {e.path}")


def card_command(command: str) -> list[str]:
    """A model card's "## Command" section: the command that trained the folder."""
    return ["## Command", "", "```sh", command, "```", ""]


def card_model(config: dict, n_params: int) -> list[str]:
    """A neural model card's first "## Model" lines: its configuration and size."""
    return ["## Model", "", *[f"- {k}: {v}" for k, v in config.items()],
            f"- parameters: {n_params:,} (stored as float16, computed in float32)"]
