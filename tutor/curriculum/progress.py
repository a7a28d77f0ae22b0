"""The learner's progress and settings, kept between runs.

Progress (user data dir): where the learner is, each lesson's state and quiz
answers, and "your sentence". Settings (user config dir): device and theme.
Both are written atomically and carry a format version; a file that cannot be
read is moved aside as ``*.corrupt-<time>`` and the app starts fresh.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.text import clean
from .catalog import PASS_RATIO, Question
from .store import Loaded, read_versioned, write_atomic

FORMAT_VERSION = 1

NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"
STATE_LABELS = {NOT_STARTED: "未着手", IN_PROGRESS: "学習中", DONE: "完了"}
TABS = ("prose", "demo", "quiz", "exercise")


def questions_needed(total: int) -> int:
    """How many of ``total`` questions must be right to pass: 80 %, rounded up."""
    return math.ceil(PASS_RATIO * total - 1e-9)


def quiz_passed(correct: int, total: int) -> bool:
    """The pass rule: at least 80 % right in one pass through the quiz."""
    return total > 0 and correct >= questions_needed(total)


@dataclass
class ExerciseProgress:
    """One 演習: passed once (stays passed), gave up (the solution may be shown), runs the demo on the learner's
    code."""

    passed: bool = False
    gave_up: bool = False
    mine: bool = False  # 「自分の実装で動かす」 is on

    @property
    def may_see_solution(self) -> bool:
        return self.passed or self.gave_up

    @classmethod
    def from_json(cls, raw) -> "ExerciseProgress | None":
        if not isinstance(raw, dict):
            return None
        return cls(*(raw.get(k) is True for k in ("passed", "gave_up", "mine")))


@dataclass
class LessonProgress:
    state: str = NOT_STARTED
    answers: dict[str, int] = field(default_factory=dict)  # question id -> chosen index, this pass
    best: int = 0  # most right answers in any finished pass
    attempts: int = 0  # finished passes
    exercises: dict[str, ExerciseProgress] = field(default_factory=dict)  # exercise id -> its progress

    def score(self, questions: tuple[Question, ...]) -> int:
        return sum(q.is_correct(self.answers[q.id]) for q in questions if q.id in self.answers)

    def exercise(self, exercise_id: str) -> ExerciseProgress:
        return self.exercises.setdefault(exercise_id, ExerciseProgress())


@dataclass
class Progress:
    lesson: str = "L0"
    tab: str = "prose"
    sentence: str = ""  # "" until the learner sets one: the first sample is used
    lessons: dict[str, LessonProgress] = field(default_factory=dict)

    def of(self, lesson_id: str) -> LessonProgress:
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def state(self, lesson_id: str) -> str:
        lp = self.lessons.get(lesson_id)
        return lp.state if lp else NOT_STARTED

    def visit(self, lesson_id: str, tab: str | None = None) -> None:
        self.lesson = lesson_id
        if tab in TABS:
            self.tab = tab
        lp = self.of(lesson_id)
        if lp.state == NOT_STARTED:
            lp.state = IN_PROGRESS

    def counted(self, questions: tuple[Question, ...]) -> tuple[Question, ...]:
        """The questions the pass rule counts: a recall question from a lesson the learner skipped
        (never opened) is asked but not counted."""
        return tuple(q for q in questions if not q.recall_from or self.state(q.recall_from) != NOT_STARTED)

    def answer(self, lesson_id: str, questions: tuple[Question, ...], question_id: str, choice: int) -> bool:
        """Record an answer; returns whether it was right. Finishing the pass may complete the lesson."""
        lp = self.of(lesson_id)
        if lp.state == NOT_STARTED:
            lp.state = IN_PROGRESS
        lp.answers[question_id] = choice
        q = next(q for q in questions if q.id == question_id)
        if all(q.id in lp.answers for q in questions):
            counted = self.counted(questions)
            score = lp.score(counted)
            lp.attempts += 1
            lp.best = max(lp.best, score)
            if quiz_passed(score, len(counted)):
                lp.state = DONE
        return q.is_correct(choice)

    def exercise(self, lesson_id: str, exercise_id: str) -> ExerciseProgress:
        return self.of(lesson_id).exercise(exercise_id)

    def exercises_passed(self, lesson_id: str) -> int:
        lp = self.lessons.get(lesson_id)
        return sum(e.passed for e in lp.exercises.values()) if lp else 0

    def restart_quiz(self, lesson_id: str) -> None:
        self.of(lesson_id).answers.clear()

    def to_json(self) -> dict:
        return {
            "version": FORMAT_VERSION,
            "lesson": self.lesson,
            "tab": self.tab,
            "sentence": self.sentence,
            "lessons": {k: asdict(v) for k, v in self.lessons.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Progress":
        """Build from a parsed file, ignoring fields that do not fit rather than failing."""
        p = cls()
        if isinstance(data.get("lesson"), str):
            p.lesson = data["lesson"]
        if data.get("tab") in TABS:
            p.tab = data["tab"]
        if isinstance(data.get("sentence"), str):  # JSON can hold what no one typed ("\ud800", NUL)
            p.sentence = clean(data["sentence"]).text
        for lid, raw in (data.get("lessons") or {}).items():
            if not isinstance(raw, dict):
                continue
            answers = raw.get("answers") if isinstance(raw.get("answers"), dict) else {}
            p.lessons[str(lid)] = LessonProgress(
                state=raw.get("state") if raw.get("state") in STATE_LABELS else NOT_STARTED,
                answers={str(k): v for k, v in answers.items() if isinstance(v, int)},
                best=raw.get("best") if isinstance(raw.get("best"), int) else 0,
                attempts=raw.get("attempts") if isinstance(raw.get("attempts"), int) else 0,
                exercises={str(k): e
                           for k, v in (raw.get("exercises") if isinstance(raw.get("exercises"), dict) else {}).items()
                           if (e := ExerciseProgress.from_json(v)) is not None},
            )
        return p


@dataclass
class Settings:
    device: str = "auto"
    theme: str = "dark"

    def to_json(self) -> dict:
        return {"version": FORMAT_VERSION, "device": self.device, "theme": self.theme}

    @classmethod
    def from_json(cls, data: dict) -> "Settings":
        s = cls()
        if data.get("device") in ("auto", "cpu", "cuda"):
            s.device = data["device"]
        if data.get("theme") in ("dark", "light"):
            s.theme = data["theme"]
        return s


class ProgressStore:
    """Loads and saves progress and settings; remembers what the learner must be told."""

    def __init__(self, progress_file: Path, settings_file: Path):
        self.progress_file = progress_file
        self.settings_file = settings_file
        self.notices: list[str] = []

    def _load(self, path: Path, what: str) -> dict | None:
        loaded: Loaded = read_versioned(path, FORMAT_VERSION, what)
        if loaded.notice:
            self.notices.append(loaded.notice)
        return loaded.data

    def load_progress(self) -> Progress:
        data = self._load(self.progress_file, "進捗")
        return Progress.from_json(data) if data else Progress()

    def load_settings(self) -> Settings:
        data = self._load(self.settings_file, "設定")
        return Settings.from_json(data) if data else Settings()

    def save_progress(self, progress: Progress) -> None:
        write_atomic(self.progress_file, progress.to_json())

    def save_settings(self, settings: Settings) -> None:
        write_atomic(self.settings_file, settings.to_json())

    def reset(self) -> list[Path]:
        """Delete the progress file (settings stay); returns what was removed."""
        removed = []
        if self.progress_file.exists():
            self.progress_file.unlink()
            removed.append(self.progress_file)
        return removed
