"""What an exercise is: its id, its lesson, the functions the learner writes, and the cases that check them.

The texts (the starter file with the statement, the hint, the model solution)
are lesson data: ``lessons/<lesson>/exercises/<id>/{starter.py,hint.md,solution.py}``.
The cases are code (``tutor/exercises/defs/<id>.py``): each computes its
expected value with the project's own implementation in :mod:`tutor.core`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import compare
from .sandbox import Call, LearnerError

#: ``check(values) -> None`` when right, else a message for the learner; ``values`` holds one value per call.
Check = Callable[[list[Any]], "str | None"]


@dataclass(frozen=True)
class Case:
    """One thing the check tries: some calls of the learner's functions and what their results must satisfy."""

    name: str  # Japanese, says what is tried: "3 語 (重複あり)"
    calls: tuple[Call, ...]
    check: Check
    #: When the learner's code raised here: a hint naming the likely slip (given the exception), or None.
    on_error: "Callable[[LearnerError], str | None] | None" = None


def expect(name: str, function: str, args: Sequence, expected: Any, *, atol: float = 1e-6, rtol: float = 1e-5,
           mistakes: Sequence[tuple[Any, str]] = (), exact_dtype: bool = False, kwargs: dict | None = None,
           also: Callable[[Any], str | None] | None = None, names: tuple[str, ...] = (),
           on_error: Callable[[LearnerError], str | None] | None = None) -> Case:
    """The usual case: one call whose value must equal ``expected`` (numbers within the tolerance).

    ``mistakes`` are (what a known slip returns, a hint naming it): when the learner's value
    equals one of them, the hint is added to the message. ``also`` is an extra check on the value;
    ``names`` name the parts of a tuple value in messages (``("vocab", "matrix")``).
    """

    def check(values: list[Any]) -> str | None:
        got = values[0]
        problem = compare.close(expected, got, atol, rtol, exact_dtype=exact_dtype, names=names)
        if problem is None and also is not None:
            return also(got)
        return compare.with_mistakes(problem, got, mistakes, atol, rtol)

    return Case(name, (Call(function, tuple(args), dict(kwargs or {})),), check, on_error)


@dataclass(frozen=True)
class Exercise:
    id: str  # the contract: `tutor exercise check ID`
    lesson: str  # "L4"
    title: str  # Japanese, one line
    functions: tuple[str, ...]  # what the learner writes
    tolerance: str  # stated to the learner, e.g. "各要素 1e-6 まで"
    make_cases: Callable[[], list[Case]] = field(repr=False, compare=False)
    #: What 「自分の実装で動かす」 drives, in a few words; "" when the demo does not take this function.
    drives: str = ""

    @property
    def file_name(self) -> str:
        """The learner's file in the workspace: a valid module name."""
        return self.id.replace("-", "_") + ".py"

    def folder(self, lesson_dir: Path) -> Path:
        return lesson_dir / "exercises" / self.id
