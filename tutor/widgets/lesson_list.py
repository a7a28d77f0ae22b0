"""LessonList: the lessons in curriculum order, each with its state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..curriculum.catalog import Lesson
from ..curriculum.progress import DONE, IN_PROGRESS, STATE_LABELS



def lesson_prompt(lesson: Lesson, state: str) -> Text:
    """Two lines: the lesson's label, then its state (and 準備中 while its demos are not built)."""
    text = Text(lesson.label, style="bold", no_wrap=True, overflow="ellipsis")
    text.append("\n  ")
    style = {DONE: "green", IN_PROGRESS: "yellow"}.get(state, "dim")
    text.append(STATE_LABELS[state], style=style)
    if not lesson.ready:
        text.append("  準備中", style="dim italic")
    return text


class LessonList(OptionList):
    """Selecting an entry opens that lesson (OptionList.OptionSelected bubbles to the app)."""

    def set_lessons(self, lessons: tuple[Lesson, ...], states: dict[str, str]) -> None:
        self.clear_options()
        self.add_options([Option(lesson_prompt(l, states.get(l.id, "not_started")), id=l.id) for l in lessons])

    def update_state(self, lesson: Lesson, state: str) -> None:
        self.replace_option_prompt(lesson.id, lesson_prompt(lesson, state))
