"""Spaced recall (issue 17): each quiz opens with two questions from earlier lessons, counted only when
the learner has opened those lessons; a finished pass stays on screen; a retry draws again."""

from __future__ import annotations

from tutor.curriculum import catalog
from tutor.curriculum.progress import DONE, Progress
from tutor.curriculum.recall import RECALL, quiz_for, recall_questions
from tutor.settings import PROJECT_ROOT

CURRICULUM = catalog.load(PROJECT_ROOT / "lessons")


def lesson(lesson_id: str) -> catalog.Lesson:
    found = CURRICULUM.get(lesson_id)
    assert found is not None
    return found


def test_every_quiz_but_the_first_opens_with_recall_from_earlier_lessons():
    assert recall_questions(CURRICULUM, lesson("L0"), 0) == ()
    for quizzed in CURRICULUM.lessons[1:]:
        questions, attempt = quiz_for(CURRICULUM, quizzed, {}, 0)
        recall = questions[:RECALL]
        assert attempt == 0 and all(q.recall_from for q in recall)
        assert all(CURRICULUM.index(q.recall_from) < CURRICULUM.index(quizzed.id) for q in recall)
        assert not any(q.recall_from for q in questions[RECALL:])
        assert len({q.id for q in questions}) == len(questions)  # borrowed ids never clash with the lesson's own
    later = recall_questions(CURRICULUM, lesson("L5"), 0)
    assert len({q.recall_from for q in later}) == RECALL  # two different lessons when there are two


def test_a_retry_draws_other_recall_questions_for_most_passes():
    drawn = {tuple(q.id for q in recall_questions(CURRICULUM, lesson("L6"), attempt)) for attempt in range(6)}
    assert len(drawn) >= 4
    assert recall_questions(CURRICULUM, lesson("L6"), 2) == recall_questions(CURRICULUM, lesson("L6"), 2)


def test_recall_from_a_skipped_lesson_is_asked_but_not_counted():
    progress = Progress()
    progress.visit("L5")  # straight to L5: L0-L4 never opened
    questions, _ = quiz_for(CURRICULUM, lesson("L5"), {}, 0)
    counted = progress.counted(questions)
    assert len(counted) == len(questions) - RECALL
    for q in questions:  # the borrowed ones wrong, the lesson's own right: still a pass
        choice = (q.answer + 1) % len(q.choices) if q.recall_from else q.answer
        progress.answer("L5", questions, q.id, choice)
    assert progress.state("L5") == DONE


def test_recall_from_an_opened_lesson_counts():
    progress = Progress()
    for opened in CURRICULUM.lessons[:6]:
        progress.visit(opened.id)
    questions, _ = quiz_for(CURRICULUM, lesson("L5"), {}, 0)
    assert progress.counted(questions) == questions


def test_a_finished_pass_stays_on_screen_and_a_retry_starts_the_next_one():
    progress = Progress()
    progress.visit("L3")
    lp = progress.of("L3")
    questions, attempt = quiz_for(CURRICULUM, lesson("L3"), lp.answers, lp.attempts)
    for q in questions:
        progress.answer("L3", questions, q.id, q.answer)
    assert lp.attempts == 1
    again, attempt = quiz_for(CURRICULUM, lesson("L3"), lp.answers, lp.attempts)
    assert again == questions and attempt == 0  # the summary of the pass just finished
    progress.restart_quiz("L3")
    fresh, attempt = quiz_for(CURRICULUM, lesson("L3"), lp.answers, lp.attempts)
    assert attempt == 1 and fresh[RECALL:] == questions[RECALL:]


def test_answers_saved_before_recall_existed_read_as_a_finished_pass():
    own = lesson("L2").quiz()
    answers = {q.id: q.answer for q in own}
    questions, attempt = quiz_for(CURRICULUM, lesson("L2"), answers, 1)
    assert questions == own and attempt == 0
