"""Every exercise, in lesson order (the ids are a contract: CLI, progress file)."""

from __future__ import annotations

import importlib
from functools import cache

from .spec import Exercise

#: Modules in tutor/exercises/defs, in the order the lessons teach them.
MODULES = ("onehot", "cosine", "bigram_prob", "attention_scores", "positional_encoding", "scaled_dot_product",
           "causal_mask", "top_k_top_p", "mlm_mask")


@cache
def exercises() -> tuple[Exercise, ...]:
    return tuple(importlib.import_module(f".defs.{name}", __package__).EXERCISE for name in MODULES)


def get(exercise_id: str) -> Exercise | None:
    return next((e for e in exercises() if e.id == exercise_id), None)


def for_lesson(lesson_id: str) -> tuple[Exercise, ...]:
    return tuple(e for e in exercises() if e.lesson == lesson_id)
