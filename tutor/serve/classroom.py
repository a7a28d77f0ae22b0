"""Learners of a served tutor, kept apart on disk: one folder per learner ID.

A learner gets a random ID the first time (``/new``) and types it, or keeps the
page's address, to come back. The ID is the only key to a learner's progress,
so it is drawn from :mod:`secrets` (about 50 bits: not guessable by trying) and
every path is built from an ID that matched :data:`ID_RE` first, so no input
can reach outside ``root``. Each learner's app process runs with
``TUTOR_HOME=<root>/<id>``: progress, settings, exercise files and exports are
all under it (tutor/settings.py), and the folder is readable by its owner only.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path

#: Letters and digits that are hard to confuse when read from a note or said aloud (no 0/o, 1/l/i).
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_RE = re.compile(r"[23456789a-hjkmnp-z]{5}-[23456789a-hjkmnp-z]{5}")


def normalize(typed: str) -> str | None:
    """The ID the learner meant, or None: full-width characters, capitals, spaces and a missing hyphen are forgiven."""
    text = unicodedata.normalize("NFKC", typed or "").strip().lower()
    text = re.sub(r"[\s\-ー－‐―]+", "", text)
    if len(text) != 10:
        return None
    candidate = f"{text[:5]}-{text[5:]}"
    return candidate if ID_RE.fullmatch(candidate) else None


class Classroom:
    """The learners' folders under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def new_learner(self) -> str:
        """A fresh ID whose folder now exists (mode 700), never one already given."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        while True:
            raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
            learner = f"{raw[:5]}-{raw[5:]}"
            try:
                (self.root / learner).mkdir(mode=0o700)
            except FileExistsError:
                continue
            return learner

    def home(self, learner: str) -> Path | None:
        """The learner's folder, or None when ``learner`` is not an ID given here."""
        if not ID_RE.fullmatch(learner or ""):
            return None
        folder = self.root / learner
        return folder if folder.is_dir() else None

    def __len__(self) -> int:
        if not self.root.is_dir():
            return 0
        return sum(1 for p in self.root.iterdir() if p.is_dir() and ID_RE.fullmatch(p.name))
