"""Checks every lesson file, and reports which concepts C1–C38 no quiz covers yet.

``python -m tutor.curriculum.validate [LESSONS_DIR]`` prints the report; the
tests call :func:`validate` and fail on any problem.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len

from .catalog import ALL_CONCEPTS, CurriculumError, Question, load

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: At most this share of a lesson's questions may have the right choice as the strictly longest one.
LONGEST_SHARE = 1 / 3
LONGEST_SHARE_TEXT = "3 分の 1"


def right_is_longest(q: Question) -> bool:
    """Whether the right choice is longer, in terminal cells, than every other choice."""
    right = cell_len(q.choices[q.answer].text)
    return all(right > cell_len(c.text) for i, c in enumerate(q.choices) if i != q.answer)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    covered: dict[str, list[str]] = field(default_factory=dict)  # concept -> question ids
    taught: dict[str, str] = field(default_factory=dict)  # concept -> lesson id
    #: lesson id -> (questions whose right choice is longer than every other, questions): a quiz
    #: passable by picking the longest answer teaches nothing (issue 17)
    longest: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def uncovered(self) -> list[str]:
        """Concepts that no quiz question checks yet, in curriculum order."""
        return [c for c in ALL_CONCEPTS if c not in self.covered]

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = [f"問題: {len(self.problems)} 件"] + [f"  - {p}" for p in self.problems]
        lines.append(f"クイズで確認済みの概念: {len(self.covered)}/{len(ALL_CONCEPTS)}")
        if self.uncovered:
            lines.append("未カバー: " + ", ".join(self.uncovered))
        if self.longest:
            lines.append(f"正解がいちばん長い選択肢の問題（{LONGEST_SHARE_TEXT}まで）:")
            lines += [f"  {lesson}: {n}/{total}" for lesson, (n, total) in self.longest.items()]
        return "\n".join(lines)


def bare_fences(markdown: str) -> list[int]:
    """Line numbers of code blocks opened without a language.

    Textual's Markdown guesses the language of such a block with pygments,
    which cost L1 about a quarter of a second at start-up.
    """
    bare, inside = [], False
    for n, line in enumerate(markdown.splitlines(), 1):
        if line.lstrip().startswith("```"):
            if not inside and line.strip() == "```":
                bare.append(n)
            inside = not inside
    return bare


def validate(lessons_dir: Path) -> Report:
    report = Report()
    try:
        curriculum = load(lessons_dir)
    except CurriculumError as exc:
        report.problems.append(str(exc))
        return report

    seen_lessons: set[str] = set()
    for lesson in curriculum:
        where = f"{lesson.id} ({lesson.slug})"
        if lesson.id in seen_lessons:
            report.problems.append(f"{where}: レッスン id が重複しています")
        seen_lessons.add(lesson.id)
        for c in lesson.concepts:
            if c not in ALL_CONCEPTS:
                report.problems.append(f"{where}: 未知の概念 {c}")
            elif c in report.taught:
                report.problems.append(f"{where}: {c} は {report.taught[c]} でも教えています")
            else:
                report.taught[c] = lesson.id
        if not lesson.directory.is_dir():
            report.problems.append(f"{where}: フォルダ {lesson.directory} がありません")
            continue
        try:
            prose = lesson.prose()
            if not prose.strip():
                report.problems.append(f"{lesson.prose_path}: 空です")
            for line_no in bare_fences(prose):
                report.problems.append(
                    f"{lesson.prose_path}:{line_no}: コードブロックに言語を書いてください（例: ```text）。"
                    "書かないと表示のたびに言語の推測が走り、起動が遅くなります"
                )
        except CurriculumError as exc:
            report.problems.append(str(exc))
        if lesson.ready and not lesson.quiz_path.exists():
            report.problems.append(f"{where}: 実験のあるレッスンには quiz.toml が必要です")
        try:
            questions = lesson.quiz()
        except CurriculumError as exc:
            report.problems.append(str(exc))
            continue
        if lesson.quiz_path.exists() and not questions:
            report.problems.append(f"{lesson.quiz_path}: 問題がありません")
        ids: set[str] = set()
        for q in questions:
            qwhere = f"{lesson.quiz_path.name} [{lesson.id}] {q.id}"
            if not _ID.match(q.id):
                report.problems.append(f"{qwhere}: id は英小文字・数字・ハイフンで書いてください")
            if q.id in ids:
                report.problems.append(f"{qwhere}: id が重複しています")
            ids.add(q.id)
            if not q.prompt.strip():
                report.problems.append(f"{qwhere}: 問題文が空です")
            if not q.explanation.strip():
                report.problems.append(f"{qwhere}: 解説がありません")
            if not 2 <= len(q.choices) <= 6:
                report.problems.append(f"{qwhere}: 選択肢は 2〜6 個です（{len(q.choices)} 個）")
            right = sum(c.correct for c in q.choices)
            if right != 1:
                report.problems.append(f"{qwhere}: 正解はちょうど 1 つです（{right} 個）")
            if any(not c.text.strip() for c in q.choices):
                report.problems.append(f"{qwhere}: 空の選択肢があります")
            if len({c.text for c in q.choices}) != len(q.choices):
                report.problems.append(f"{qwhere}: 同じ選択肢が 2 つあります")
            if not q.concepts and lesson.concepts:
                report.problems.append(f"{qwhere}: concepts がありません")
            for c in q.concepts:
                if c not in lesson.concepts:
                    report.problems.append(f"{qwhere}: {c} はこのレッスンの概念ではありません")
                else:
                    report.covered.setdefault(c, []).append(f"{lesson.id}/{q.id}")
        valid = [q for q in questions if sum(c.correct for c in q.choices) == 1]
        if valid:
            n = sum(right_is_longest(q) for q in valid)
            report.longest[lesson.id] = (n, len(valid))
            if n > LONGEST_SHARE * len(valid):
                report.problems.append(f"{lesson.quiz_path}: "
                                       f"正解がいちばん長い選択肢の問題が {n}/{len(valid)} 問あります"
                                       f"（{LONGEST_SHARE_TEXT}まで）。"
                                       "長さで答えが分からないように選択肢を書き直してください")
    return report


def main(argv: list[str] | None = None) -> int:
    from ..settings import PROJECT_ROOT

    args = sys.argv[1:] if argv is None else argv
    lessons_dir = Path(args[0]) if args else PROJECT_ROOT / "lessons"
    report = validate(lessons_dir)
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
