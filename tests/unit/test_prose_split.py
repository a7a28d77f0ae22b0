"""Long lessons are shown in two parts: the cut must never fall inside a code block."""

from __future__ import annotations

from tutor.curriculum import catalog
from tutor.settings import PROJECT_ROOT
from tutor.widgets.prose import split_first_screen


def test_cut_is_at_a_heading_after_the_first_screen() -> None:
    text = "# T\n" + "段落\n" * 40 + "## 次\n本文\n"
    head, tail = split_first_screen(text)
    assert head + tail == text
    assert tail.startswith("## 次") and head.count("\n") == 41


def test_a_heading_inside_a_code_fence_is_not_a_cut() -> None:
    text = "# T\n" + "x\n" * 35 + "```python\n# comment, not a heading\n```\n" + "## 本当の見出し\n"
    head, tail = split_first_screen(text)
    assert tail == "## 本当の見出し\n"


def test_short_text_stays_whole() -> None:
    assert split_first_screen("# T\n本文\n") == ("# T\n本文\n", "")


def test_every_lesson_splits_into_parts_that_rejoin() -> None:
    for lesson in catalog.load(PROJECT_ROOT / "lessons").lessons:
        text = lesson.prose()
        head, tail = split_first_screen(text)
        assert head + tail == text
        assert head.count("```") % 2 == 0  # no fence left open in the first part
