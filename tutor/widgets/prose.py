"""Showing a long lesson quickly: the first screenful of Markdown now, the rest right after.

Textual's Markdown builds one widget per block before it draws anything, so a
long lesson (L2 has about 380 lines) held the first frame for half a second.
:func:`split_first_screen` cuts the text at a heading outside any code fence;
the app shows the head at once and appends the tail after it is on screen.
"""

from __future__ import annotations


def split_first_screen(markdown: str, min_lines: int = 30) -> tuple[str, str]:
    """(head, tail): the cut is at the first ``#`` heading at or after ``min_lines``,
    never inside a fenced code block; tail is empty when there is no such heading."""
    lines = markdown.splitlines(keepends=True)
    in_fence = False
    for n, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if n >= min_lines and not in_fence and stripped.startswith("#"):
            return "".join(lines[:n]), "".join(lines[n:])
    return markdown, ""
