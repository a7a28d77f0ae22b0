"""The lesson catalog and its validator."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.curriculum import catalog
from tutor.curriculum.catalog import ALL_CONCEPTS
from tutor.curriculum.validate import validate
from tutor.settings import PROJECT_ROOT

LESSONS = PROJECT_ROOT / "lessons"


def test_the_bundled_lessons_validate() -> None:
    report = validate(LESSONS)
    assert report.problems == []


def test_lessons_run_l0_to_l7_in_order_and_teach_every_concept_once() -> None:
    cur = catalog.load(LESSONS)
    assert [lesson.id for lesson in cur] == [f"L{i}" for i in range(8)]
    taught = [c for lesson in cur for c in lesson.concepts]
    assert sorted(taught, key=lambda c: int(c[1:])) == list(ALL_CONCEPTS)


def test_every_lesson_has_prose_and_l0_l1_have_demos_and_quizzes() -> None:
    cur = catalog.load(LESSONS)
    for lesson in cur:
        assert lesson.prose().strip().startswith("#"), lesson.id
    assert cur.get("L0").ready and cur.get("L1").ready
    assert len(cur.get("L1").quiz()) >= 4
    assert all(lesson.ready for lesson in cur)  # every lesson has its demo now


def test_every_concept_is_covered_by_a_quiz() -> None:
    report = validate(LESSONS)
    assert report.problems == []
    assert report.uncovered == [] and "未カバー" not in report.text()
    assert len(report.covered) == 38


@pytest.fixture
def lesson_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "lessons"
    shutil.copytree(LESSONS, dest)
    return dest


def _write_quiz(lessons: Path, body: str) -> None:
    (lessons / "01-morphology" / "quiz.toml").write_text(body, encoding="utf-8")


GOOD_QUESTION = """
[[question]]
id = "q-one"
concepts = ["C2"]
prompt = "問い"
explanation = "解説"
[[question.choice]]
text = "正しい"
correct = true
[[question.choice]]
text = "まちがい"
"""


def test_a_well_formed_replacement_quiz_passes(lesson_copy: Path) -> None:
    _write_quiz(lesson_copy, GOOD_QUESTION)
    report = validate(lesson_copy)
    assert report.problems == []
    assert "C1" in report.uncovered  # the old quiz's coverage went with it


@pytest.mark.parametrize(
    "broken, expected",
    [
        (GOOD_QUESTION.replace('text = "まちがい"', 'text = "まちがい"\ncorrect = true'), "正解はちょうど 1 つ"),
        (GOOD_QUESTION.replace("correct = true", ""), "正解はちょうど 1 つ"),
        (GOOD_QUESTION.replace('explanation = "解説"', 'explanation = ""'), "解説がありません"),
        (GOOD_QUESTION.replace('["C2"]', '["C9"]'), "C9 はこのレッスンの概念ではありません"),
        (GOOD_QUESTION.replace('id = "q-one"', 'id = "Q One"'), "id は"),
        (GOOD_QUESTION + GOOD_QUESTION, "id が重複"),
        (GOOD_QUESTION.replace('text = "まちがい"', 'text = "正しい"'), "同じ選択肢"),
        ("[[question]\nid = ", "TOML として読めません"),
        ("", "問題がありません"),
        (GOOD_QUESTION.replace('text = "正しい"', 'text = "正しいのはこのいちばん長い選択肢"'), "正解がいちばん長い"),
    ],
)
def test_the_validator_catches_broken_quizzes(lesson_copy: Path, broken: str, expected: str) -> None:
    _write_quiz(lesson_copy, broken)
    report = validate(lesson_copy)
    assert not report.ok
    assert any(expected in p for p in report.problems), report.problems


def test_code_blocks_must_name_a_language(lesson_copy: Path) -> None:
    prose = lesson_copy / "02-word2vec" / "lesson.md"
    prose.write_text("# L2\n\n```\nking - man + woman\n```\n\n```text\nok\n```\n", encoding="utf-8")
    problems = validate(lesson_copy).problems
    assert [p for p in problems if "コードブロック" in p] == [p for p in problems if p.startswith(f"{prose}:3:")]
    assert len([p for p in problems if "コードブロック" in p]) == 1


def test_a_missing_lesson_folder_is_a_problem(lesson_copy: Path) -> None:
    shutil.rmtree(lesson_copy / "03-rnn-seq2seq")
    assert any("フォルダ" in p for p in validate(lesson_copy).problems)


def test_a_ready_lesson_needs_a_quiz(lesson_copy: Path) -> None:
    (lesson_copy / "01-morphology" / "quiz.toml").unlink()
    assert any("quiz.toml が必要" in p for p in validate(lesson_copy).problems)


def test_question_answer_checking() -> None:
    q = catalog.load(LESSONS).get("L1").quiz()[0]
    assert q.is_correct(q.answer)
    assert not q.is_correct((q.answer + 1) % len(q.choices))
    assert not q.is_correct(-1) and not q.is_correct(99)


def test_choices_are_shown_in_a_fixed_shuffle_so_position_gives_nothing_away() -> None:
    positions = []
    for lesson in catalog.load(LESSONS):
        for q in lesson.quiz():
            order = q.display_order()
            assert sorted(order) == list(range(len(q.choices))) and order == q.display_order(0)  # stable
            positions.append(order.index(q.answer))
    # Authors tend to write the right answer first; shown, it lands anywhere.
    assert len(positions) >= 20 and len(set(positions)) >= 3
    assert max(positions.count(p) for p in set(positions)) < 0.6 * len(positions)


def test_each_retry_shuffles_the_choices_again_and_a_pass_keeps_its_order() -> None:
    questions = [q for lesson in catalog.load(LESSONS) for q in lesson.quiz() if len(q.choices) >= 4]
    assert all(q.display_order(3) == q.display_order(3) for q in questions)
    moved = sum(q.display_order(0) != q.display_order(1) for q in questions)
    assert moved >= 0.8 * len(questions)  # 4 choices: the same order again by chance 1 time in 24
