"""The learner's workspace: one .py file per exercise, in a folder they can open in any editor.

The folder is ``--dir`` when given, else ``$TUTOR_EXERCISES_DIR``, else
``exercises/`` in the user data directory. Starting an exercise writes its
starter file there, never over a file that exists: the learner's work is
never overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..curriculum import catalog
from .spec import Exercise

ENV_VAR = "TUTOR_EXERCISES_DIR"


def workspace_dir(data_dir: Path, override: Path | str | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else data_dir / "exercises"


@dataclass(frozen=True)
class Texts:
    """An exercise's lesson data: the starter file (its docstring is the statement), the hint, the model solution."""

    starter: str
    hint: str
    solution: str

    @property
    def statement(self) -> str:
        """The starter's module docstring: the task, the signature and a worked example."""
        body = self.starter.split('"""', 2)
        return body[1].strip() if len(body) == 3 else ""


def texts(exercise: Exercise, lessons_dir: Path) -> Texts:
    """Read an exercise's texts. Raises :class:`catalog.CurriculumError` naming the file that is missing."""
    lesson = catalog.load(lessons_dir).get(exercise.lesson)
    if lesson is None:
        raise catalog.CurriculumError(f"演習 {exercise.id} のレッスン {exercise.lesson} がありません")
    folder = exercise.folder(lesson.directory)
    parts = {}
    for name in ("starter.py", "hint.md", "solution.py"):
        try:
            parts[name] = (folder / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise catalog.CurriculumError(f"{folder / name} を読めません: {exc}") from exc
    return Texts(parts["starter.py"], parts["hint.md"].strip(), parts["solution.py"])


def start(exercise: Exercise, folder: Path, lessons_dir: Path) -> tuple[Path, bool]:
    """The learner's file for ``exercise`` -> (its path, whether it was created now)."""
    path = folder / exercise.file_name
    if path.exists():
        return path, False
    folder.mkdir(parents=True, exist_ok=True)
    starter = texts(exercise, lessons_dir).starter
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(starter, encoding="utf-8")
    try:
        os.link(tmp, path)  # never replaces a file saved in the meantime
    except FileExistsError:
        return path, False
    except OSError:  # a filesystem without hard links
        if path.exists():
            return path, False
        os.replace(tmp, path)
        return path, True
    finally:
        tmp.unlink(missing_ok=True)
    return path, True
