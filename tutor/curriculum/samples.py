"""Sample sentences the learner can pick as "your sentence" (assets/samples.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

#: Used when the samples file is missing or unreadable, so the app still has a sentence.
FALLBACK = "昨日は友達と駅前の本屋で新しい漫画を買いました。"


@dataclass(frozen=True)
class Sample:
    text: str
    note: str = ""


def load(assets_dir: Path) -> tuple[Sample, ...]:
    try:
        with open(assets_dir / "samples.toml", "rb") as f:
            data = tomllib.load(f)
        samples = tuple(
            Sample(str(s["text"]), str(s.get("note", "")))
            for s in data.get("sample", []) if str(s.get("text", "")).strip()
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
        samples = ()
    return samples or (Sample(FALLBACK, "例文"),)
