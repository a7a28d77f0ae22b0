"""Run an exercise's check on a piece of source code, as the learner's saved file would be."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tutor.exercises import checking, workspace
from tutor.exercises.spec import Exercise
from tutor.settings import PROJECT_ROOT

LESSONS = PROJECT_ROOT / "lessons"


def check_source(exercise: Exercise, source: str, folder: Path) -> checking.Report:
    path = folder / exercise.file_name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return checking.check(exercise, path)


def solution(exercise: Exercise) -> str:
    return workspace.texts(exercise, LESSONS).solution


def starter(exercise: Exercise) -> str:
    return workspace.texts(exercise, LESSONS).starter


def messages(report: checking.Report) -> str:
    """Every failure message, one string, for ``in`` assertions."""
    return "\n".join(f["message"] for f in report.failures)


def slips_fail_with_a_pointed_message(exercise: Exercise, wrong: dict[str, tuple[str, str]]):
    """A test over ``wrong`` ({name: (source, words the message must contain)}): each slip fails, named."""
    import pytest

    @pytest.mark.parametrize("name", list(wrong))
    def test(tmp_path, name):
        source, words = wrong[name]
        report = check_source(exercise, source, tmp_path)
        assert not report.passed
        assert words in messages(report), messages(report)

    return test
