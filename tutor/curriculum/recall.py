"""Spaced recall: each lesson's quiz opens with questions borrowed from earlier lessons.

Two per quiz, chosen afresh on each pass (from a hash of the lesson, the pass and
the question), from two different earlier lessons when there are two. A borrowed
question keeps its text and choices under a new id (``recall-<lesson>-<id>``), so
its answer is stored with this lesson's quiz; whether it counts toward the pass
rule is :meth:`Progress.counted`'s call (not when the learner skipped its lesson).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from .catalog import Curriculum, CurriculumError, Lesson, Question

#: Questions borrowed from earlier lessons at the start of each quiz.
RECALL = 2


def _key(*parts: str) -> bytes:
    return hashlib.sha256("/".join(parts).encode()).digest()


def recall_questions(curriculum: Curriculum, lesson: Lesson, attempt: int, n: int = RECALL) -> tuple[Question, ...]:
    """``n`` questions from the lessons before ``lesson``, for pass ``attempt``."""
    pool: list[tuple[bytes, str, Question]] = []
    for earlier in curriculum.lessons[: curriculum.index(lesson.id)]:
        try:
            questions = earlier.quiz()
        except CurriculumError:
            continue  # a broken file is the validator's to report; the quiz still opens
        pool += [(_key(lesson.id, str(attempt), earlier.id, q.id), earlier.id, q) for q in questions]
    pool.sort(key=lambda item: item[0])
    chosen: list[tuple[str, Question]] = []
    for _, source, q in pool:  # different lessons first, then whatever is left
        if len(chosen) < n and all(source != s for s, _ in chosen):
            chosen.append((source, q))
    for _, source, q in pool:
        if len(chosen) < n and all(q is not c for _, c in chosen):
            chosen.append((source, q))
    return tuple(replace(q, id=f"recall-{source.lower()}-{q.id}", recall_from=source) for source, q in chosen)


def quiz_for(curriculum: Curriculum, lesson: Lesson, answers: dict[str, int], attempts: int
             ) -> tuple[tuple[Question, ...], int]:
    """The quiz on screen -> (its questions, recall first; the pass they belong to).

    A pass the learner has just finished stays on screen (its summary) until a retry: it is
    recognised by every one of its questions having an answer. Answers saved before recall
    existed (every question of the lesson's own, none borrowed) count as such a finished pass.
    """
    own = lesson.quiz()
    if answers:
        finished = [(recall_questions(curriculum, lesson, p) + own, p) for p in range(max(attempts - 1, 0), attempts)]
        finished.append((own, max(attempts - 1, 0)))
        for questions, p in finished:
            if all(q.id in answers for q in questions):
                return questions, p
    return (recall_questions(curriculum, lesson, attempts) if own else ()) + own, attempts
