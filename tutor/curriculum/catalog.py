"""The lessons as data: ``lessons/curriculum.toml`` plus one folder per lesson.

Adding a lesson is an entry in curriculum.toml, a folder with ``lesson.md``
(and ``quiz.toml``), and, for its 実験 tab, one screen class registered under
the lesson's ``demo`` name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: A lesson is 完了 when at least this share of its questions is answered right in one pass.
PASS_RATIO = 0.8

ALL_CONCEPTS = tuple(f"C{i}" for i in range(1, 39))


class CurriculumError(ValueError):
    """A lesson file is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str
    concepts: tuple[str, ...]
    #: The lesson this question was borrowed from, when a later quiz asks it again (spaced recall).
    recall_from: str = ""

    @property
    def answer(self) -> int:
        """Index of the right choice."""
        return next(i for i, c in enumerate(self.choices) if c.correct)

    def is_correct(self, choice: int) -> bool:
        return 0 <= choice < len(self.choices) and self.choices[choice].correct

    def display_order(self, attempt: int = 0) -> list[int]:
        """The choices' indices in the order the quiz shows them in pass ``attempt`` (0, 1, …).

        A shuffle from a hash of the question's id and the pass: where the file puts the right
        answer says nothing, a pass shows the same order on every run, and each retry shuffles
        again. Answers are stored as indices into ``choices``, so they keep their meaning.
        """
        import hashlib

        salt = self.id if attempt == 0 else f"{self.id}/{attempt}"  # pass 0 keeps the order it always had
        return sorted(range(len(self.choices)), key=lambda i: hashlib.sha256(f"{salt}/{i}".encode()).digest())


@dataclass(frozen=True)
class Lesson:
    id: str  # "L0" ... "L7"
    slug: str  # folder name, "01-morphology"
    title: str
    summary: str
    concepts: tuple[str, ...]
    demo: str | None  # registered 実験 screen; None while the lesson is 準備中
    directory: Path

    @property
    def label(self) -> str:
        return f"{self.id} {self.title}"

    @property
    def ready(self) -> bool:
        """False while the lesson's demos are not built (準備中)."""
        return self.demo is not None

    @property
    def prose_path(self) -> Path:
        return self.directory / "lesson.md"

    @property
    def quiz_path(self) -> Path:
        return self.directory / "quiz.toml"

    def prose(self) -> str:
        try:
            return self.prose_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CurriculumError(f"{self.prose_path}: 読めません ({exc.strerror})") from exc

    def quiz(self) -> tuple[Question, ...]:
        """The lesson's questions, in file order (empty when it has no quiz yet).

        Parsed once per version of the file: every lesson switch asks for the earlier lessons'
        quizzes too (spaced recall, curriculum/recall.py), ~10 ms of TOML at L7 otherwise.
        """
        try:
            st = self.quiz_path.stat()
        except OSError:
            return ()
        return _parsed_quiz(self.quiz_path, st.st_mtime_ns, st.st_size)


def _load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError(f"{path}: TOML として読めません: {exc}") from exc
    except OSError as exc:
        raise CurriculumError(f"{path}: 読めません ({exc.strerror})") from exc


@lru_cache(maxsize=64)
def _parsed_quiz(path: Path, mtime_ns: int, size: int) -> tuple[Question, ...]:
    return parse_quiz(path)


def parse_quiz(path: Path) -> tuple[Question, ...]:
    data = _load_toml(path)
    questions = []
    for n, q in enumerate(data.get("question", []), 1):
        where = f"{path}: question {n}"
        try:
            choices = tuple(Choice(str(c["text"]), bool(c.get("correct", False))) for c in q.get("choice", []))
            questions.append(
                Question(
                    id=str(q["id"]),
                    prompt=str(q["prompt"]),
                    choices=choices,
                    explanation=str(q.get("explanation", "")),
                    concepts=tuple(q.get("concepts", ())),
                )
            )
        except (KeyError, TypeError) as exc:
            raise CurriculumError(f"{where}: 項目が足りません ({exc})") from exc
    return tuple(questions)


@dataclass(frozen=True)
class Curriculum:
    lessons: tuple[Lesson, ...]

    def __iter__(self):
        return iter(self.lessons)

    def __len__(self):
        return len(self.lessons)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def index(self, lesson_id: str) -> int:
        return next((i for i, lesson in enumerate(self.lessons) if lesson.id == lesson_id), 0)


def load(lessons_dir: Path) -> Curriculum:
    """Read curriculum.toml; lesson contents are read when shown."""
    path = lessons_dir / "curriculum.toml"
    data = _load_toml(path)
    lessons = []
    for n, entry in enumerate(data.get("lesson", []), 1):
        try:
            lessons.append(
                Lesson(
                    id=str(entry["id"]),
                    slug=str(entry["slug"]),
                    title=str(entry["title"]),
                    summary=str(entry.get("summary", "")),
                    concepts=tuple(entry.get("concepts", ())),
                    demo=entry.get("demo"),
                    directory=lessons_dir / str(entry["slug"]),
                )
            )
        except KeyError as exc:
            raise CurriculumError(f"{path}: lesson {n}: {exc} がありません") from exc
    if not lessons:
        raise CurriculumError(f"{path}: レッスンが一つもありません")
    return Curriculum(tuple(lessons))
