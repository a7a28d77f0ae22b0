"""LessonList: the lessons in curriculum order, each with its state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..curriculum.catalog import Lesson
from ..curriculum.progress import DONE, IN_PROGRESS, STATE_LABELS


def lesson_prompt(lesson: Lesson, state: str, exercises: tuple[int, int] = (0, 0)) -> Text:
    """Two lines: the lesson's label, then its state and 演習 passed/total (and 準備中 while its demos are not
    built)."""
    text = Text(lesson.label, style="bold", no_wrap=True, overflow="ellipsis")
    text.append("\n  ")
    style = {DONE: "green", IN_PROGRESS: "yellow"}.get(state, "dim")
    text.append(STATE_LABELS[state], style=style)
    passed, total = exercises
    if total:
        text.append(f"  演習 {passed}/{total}", style="green" if passed == total else "dim")
    if not lesson.ready:
        text.append("  準備中", style="dim italic")
    return text


#: The option after the last lesson, once the course is (or its last lesson is) complete: opens 修了.
ENDING_ID = "ending"


def ending_prompt(complete: bool) -> Text:
    text = Text("修了", style="bold")
    text.append("\n  ")
    # short: the list is 22 cells wide at 80 columns
    text.append("全レッスン完了" if complete else "L7 まで完了", style="green" if complete else "yellow")
    return text


class LessonList(OptionList):
    """Selecting an entry opens that lesson (OptionList.OptionSelected bubbles to the app)."""

    def set_lessons(self, lessons: tuple[Lesson, ...], states: dict[str, str],
                    exercises: dict[str, tuple[int, int]]) -> None:
        self.clear_options()
        self.add_options([
            Option(lesson_prompt(lesson, states.get(lesson.id, "not_started"), exercises.get(lesson.id, (0, 0))),
                   id=lesson.id)
            for lesson in lessons
        ])

    def update_state(self, lesson: Lesson, state: str, exercises: tuple[int, int] = (0, 0)) -> None:
        self.replace_option_prompt(lesson.id, lesson_prompt(lesson, state, exercises))

    def show_ending(self, shown: bool, complete: bool) -> None:
        """The 修了 entry below the lessons: there once the last lesson is complete, green when all are."""
        has = any(o.id == ENDING_ID for o in self.options)
        if shown and has:
            self.replace_option_prompt(ENDING_ID, ending_prompt(complete))
        elif shown:
            self.add_option(Option(ending_prompt(complete), id=ENDING_ID))
        elif has:
            self.remove_option(ENDING_ID)
