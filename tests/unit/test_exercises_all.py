"""Every exercise (tutor.exercises.registry): its texts are there, its model solution passes every case,
its starter passes none, and it keeps the contract the CLI and the progress file rely on."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from exercise_helpers import LESSONS, check_source, solution, starter
from tutor.curriculum import catalog
from tutor.exercises import checking, registry, workspace

EXERCISES = registry.exercises()
IDS = [e.id for e in EXERCISES]


def test_the_contract_ids_in_lesson_order():
    assert IDS == ["onehot", "cosine", "bigram-prob", "attention-scores", "positional-encoding", "scaled-dot-product",
                   "causal-mask", "top-k-top-p", "mlm-mask"]
    lessons = [e.lesson for e in EXERCISES]
    assert lessons == sorted(lessons)
    known = {lesson.id for lesson in catalog.load(LESSONS)}
    assert set(lessons) <= known


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_model_solution_passes_every_case(exercise, tmp_path):
    report = check_source(exercise, solution(exercise), tmp_path)
    assert report.passed, report.failures
    assert len(report.cases) >= 5 and all(c.run for c in report.cases)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_starter_passes_nothing_and_says_it_is_not_written(exercise, tmp_path):
    report = check_source(exercise, starter(exercise), tmp_path)
    assert report.passed_count == 0
    assert all("NotImplementedError" in c.message for c in report.cases)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_statement_names_each_function_shows_an_example_and_how_to_check(exercise):
    texts = workspace.texts(exercise, LESSONS)
    for function in exercise.functions:
        assert re.search(rf"\b{function}\(", texts.statement), function
        assert re.search(rf"^def {function}\(", texts.starter, re.M), function
    assert "例" in texts.statement and ">>>" in texts.statement
    assert f"tutor exercise check {exercise.id}" in texts.statement
    assert "**" not in texts.statement  # plain text: the tab shows it as is, not as Markdown
    assert texts.hint.strip() and exercise.tolerance


#: The tab is 55 cells wide at 80×24; a case's line is "  ✓ " and its name.
NAME_CELLS = 51


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_case_names_are_unique_and_fit_one_line_at_80_columns(exercise):
    names = [c.name for c in checking.cases_of(exercise)]
    assert len(set(names)) == len(names)
    assert all(0 < cell_len(n) <= NAME_CELLS for n in names), [n for n in names if cell_len(n) > NAME_CELLS]
