"""The Japanese-English parallel corpus (small_parallel_enja), read from outside the repository.

The corpus is never part of the project. It is looked for in ``TUTOR_DATA_DIR``,
then in the user data directory where ``tutor data download`` puts it. Its
Japanese is pre-split by another segmenter (KyTea); :func:`raw_japanese` joins
the words back so that our MeCab pipeline tokenizes it the same way it
tokenizes what the learner types.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ENV_VAR = "TUTOR_DATA_DIR"
SPLITS = ("train", "dev")
#: Every bundled model chooses its epoch, checkpoint and settings on a validation split carved
#: from train (these pairs are left out of its training); dev is measured once, as held-out data.
VALID_SIZE = 2000
VALID_SEED = 2026


class CorpusNotFound(FileNotFoundError):
    """No corpus in any of the places looked at; the message says how to get it."""


@dataclass(frozen=True)
class Pair:
    ja: str  # raw Japanese, words joined back together
    en: str  # tokenized, lower-cased English as in the corpus


def search_path(user_corpus_dir: Path) -> list[tuple[str, Path]]:
    """Where the corpus is looked for, in order, with where each place comes from."""
    places = []
    env = os.environ.get(ENV_VAR)
    if env:
        places.append((f"${ENV_VAR}", Path(env).expanduser()))
    places.append(("ユーザーデータ", user_corpus_dir))
    return places


def is_corpus_dir(path: Path, splits=SPLITS) -> bool:
    return all((path / f"{s}.{lang}").is_file() for s in splits for lang in ("ja", "en"))


def find(user_corpus_dir: Path) -> Path:
    """The first directory on the search path that holds the corpus."""
    places = search_path(user_corpus_dir)
    for _, path in places:
        if is_corpus_dir(path):
            return path
    looked = "\n".join(f"  - {p} ({why})" for why, p in places)
    raise CorpusNotFound(
        "コーパス (small_parallel_enja) が見つかりません。次の場所を探しました:\n"
        f"{looked}\n"
        f"`tutor data download` で取得するか、環境変数 {ENV_VAR} にその場所を設定してください。"
    )


def raw_japanese(line: str) -> str:
    """Undo the corpus's word splitting: ``兄 は 港町 の 学生 で す 。`` -> ``兄は港町の学生です。``."""
    return "".join(line.split())


def read_pairs(directory: Path, split: str = "train", limit: int | None = None) -> Iterator[Pair]:
    """Sentence pairs of one split, in file order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    ja_path, en_path = directory / f"{split}.ja", directory / f"{split}.en"
    with open(ja_path, encoding="utf-8") as fja, open(en_path, encoding="utf-8") as fen:
        for n, (ja, en) in enumerate(zip(fja, fen)):
            if limit is not None and n >= limit:
                return
            yield Pair(raw_japanese(ja), en.strip())


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


@dataclass(frozen=True)
class Carved:
    """The train split minus a validation split drawn from it (fixed seed), both in file order."""

    train: list[Pair]
    valid: list[Pair]
    valid_lines: tuple[int, ...]  # 0-based line numbers of train.ja / train.en that went to valid

    def describe(self) -> str:
        """One line for a model card: how the validation split was drawn."""
        return (f"validation: {len(self.valid):,} pairs drawn from train (random.Random({VALID_SEED}).sample of the "
                f"line numbers, `tutor.core.corpus.carve`), left out of training; train: {len(self.train):,} pairs")


def valid_lines(n_train: int, size: int = VALID_SIZE, seed: int = VALID_SEED) -> tuple[int, ...]:
    """The line numbers of train that form the validation split: the same for every model and run.

    With fewer lines (a ``--limit`` run) a tenth of them (at least one) is drawn instead, so something is
    left to train on.
    """
    if n_train < 10 * size:
        size = min(n_train - 1, max(1, n_train // 10)) if n_train > 1 else 0
    return tuple(sorted(random.Random(seed).sample(range(n_train), size)))


def carve(directory: Path, limit: int | None = None) -> Carved:
    """Train (its first ``limit`` lines, if given) split into what is trained on and the validation split."""
    pairs = list(read_pairs(directory, "train", limit))
    chosen = valid_lines(len(pairs))
    held = set(chosen)
    return Carved(
        [p for i, p in enumerate(pairs) if i not in held], [pairs[i] for i in chosen], chosen
    )
