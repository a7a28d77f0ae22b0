"""Dev BLEU by source length for every bundled translator (lesson L3): the bottleneck in figures.

The figures were measured at training time (``tutor eval seq2seq --update-card``)
and stored in each model's config.json; this module reads and compares them.
No torch, no textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import checkpoint
from .variants import BUNDLED, VARIANTS

#: The source-length buckets, shortest first (as the evaluation names them).
BUCKET_ORDER = ("≤ 8", "9–12", "≥ 13")


def read_table(models_dir: Path) -> dict[str, dict[str, dict]]:
    """variant -> its measured dev figures ("greedy", "beam 5", ...), for the models that have them."""
    table = {}
    for v in VARIANTS:
        path = Path(models_dir) / BUNDLED[v] / checkpoint.CONFIG
        try:
            evaluation = checkpoint.read_json(path).get("meta", {}).get("evaluation", {})
        except (checkpoint.ModelError, AttributeError):
            continue
        if evaluation:
            table[v] = evaluation
    return table


def top_bleu(table: dict[str, dict]) -> float:
    """The highest greedy BLEU of any bucket of any model: the full length of a bar."""
    return max((b["bleu"] for ev in table.values() for b in ev["greedy"]["buckets"].values()), default=0.0)


def best_attention(table: dict[str, dict]) -> str | None:
    """The attention model (not plain) with the highest greedy dev BLEU, if any."""
    scored = [v for v in table if v != "plain"]
    return max(scored, key=lambda v: table[v]["greedy"]["bleu"]) if scored else None


def bucket_size(table: dict[str, dict], bucket: str) -> int:
    """How many dev sentences fall in ``bucket`` (the same for every model)."""
    return next(iter(table.values()))["greedy"]["buckets"].get(bucket, {}).get("sentences", 0) if table else 0


@dataclass(frozen=True)
class Gap:
    bucket: str
    difference: float  # attention BLEU - plain BLEU
    ratio: float  # attention BLEU / plain BLEU (plain floored at 0.01)


def gaps(table: dict[str, dict], best: str) -> list[Gap]:
    """How far ``best`` is ahead of the plain model in each length bucket both have."""
    out = []
    for bucket in BUCKET_ORDER:
        p = table.get("plain", {}).get("greedy", {}).get("buckets", {}).get(bucket)
        a = table.get(best, {}).get("greedy", {}).get("buckets", {}).get(bucket)
        if p and a:
            out.append(Gap(bucket, a["bleu"] - p["bleu"], a["bleu"] / max(p["bleu"], 0.01)))
    return out
