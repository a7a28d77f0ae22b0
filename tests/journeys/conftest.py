"""Journeys: the installed `tutor` driven through tmux. Skipped as a whole only when tmux is missing."""

from __future__ import annotations

import itertools

import pytest

from .terminal import TUTOR, Terminal, tmux_available, tutor_command


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/journeys" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.journeys)


@pytest.fixture
def start(tmp_path):
    """start(lesson, tab, size) -> a Terminal running tutor there; every session is killed afterwards."""
    if not tmux_available():
        pytest.skip("tmux is not installed: the journeys drive tutor in a real terminal through tmux "
                    "(Debian: apt-get install tmux; .ci/run installs it)")
    if len(tutor_command()) == 1 and not TUTOR.exists():
        pytest.fail(f"the tutor console script is not installed next to {TUTOR.parent} (pip install -e .)")
    runs: list[Terminal] = []
    counter = itertools.count()

    def run(lesson: str = "L0", tab: str = "prose", size: tuple[int, int] = (120, 40),
            lessons: dict | None = None) -> Terminal:
        home = tmp_path / f"run{next(counter)}"
        home.mkdir()
        term = Terminal(home, *size, progress={"lesson": lesson, "tab": tab, "sentence": "", "lessons": lessons or {}})
        runs.append(term)
        term.wait_for(lambda s: s.startswith(f" {lesson} ") and "1 説明" in s, why=f"the app to open on {lesson}")
        return term

    yield run
    for term in runs:
        term.close()
