"""What the journeys check, in the learner's words: which tab shows, whether it stays, what was typed."""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from functools import cache
from pathlib import Path

from .terminal import OUTER, JourneyFailed, Terminal, active_tab, content

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
#: The first sample sentence: the sentence every fresh run starts with (assets/, samples[0]).
SENTENCE = "私は毎朝犬と公園を散歩します。"
#: How long a tab must stay put after a switch: the old snap-back came within ~0.1 s.
HOLD = 0.5
#: Pause between the keys that work one control (a Select's overlay opens, then takes the keys).
KEY_GAP = 0.25
TAB_OF = {"prose": OUTER[0], "demo": OUTER[1], "quiz": OUTER[2]}


@cache
def lesson_ids() -> list[str]:
    from tutor.curriculum import catalog

    return [lesson.id for lesson in catalog.load(LESSONS_DIR).lessons]


@cache
def lesson_title(lesson_id: str) -> str:
    """The 説明 tab's heading: the first line of the lesson's Markdown."""
    from tutor.curriculum import catalog

    lesson = catalog.load(LESSONS_DIR).get(lesson_id)
    for line in lesson.prose().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{lesson_id}: lesson.md has no # heading")


def pages_of(lesson_id: str) -> list[tuple[str, str]]:
    """(pane id, tab title) of each page of the lesson's 実験 tab, from the demo class the app shows.

    A demo without inner tabs is one page, named by the lesson id. Importing the demo is
    what the app does when the lesson opens, so a broken module fails here with its error.
    """
    from tutor.curriculum import catalog
    from tutor.demos.registry import demo_class

    cls = demo_class(catalog.load(LESSONS_DIR).get(lesson_id).demo)
    pages = getattr(cls, "PAGES", None)
    if pages:
        return [(pane, title) for pane, (title, _) in pages.items()]
    tabs = getattr(cls, "TABS", None)  # the legacy TabbedDemo, until every lesson has moved
    if tabs:
        return list(tabs.items())
    return [(lesson_id, "")]


def outer(term: Terminal) -> str | None:
    return active_tab(term.screen(), OUTER)


def expect_tab(term: Terminal, titles, title: str, hold: float = HOLD, what: str = "tab") -> None:
    """Wait until ``title`` is the active tab among ``titles``, then check it stays for ``hold`` s."""
    t0 = time.monotonic()
    term.wait_for(lambda s: active_tab(s, titles) == title, why=f"the {what} {title!r}")
    if os.environ.get("JOURNEY_TRACE"):
        print(f"{time.monotonic() - t0:6.2f} s  {what} {title}", file=sys.stderr)
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline:
        shot = term.screen()
        now = active_tab(shot, titles)
        if now != title:
            raise JourneyFailed(f"the {what} {title!r} showed, then {now!r} took its place (snapped back) "
                                f"within {hold} s; the screen was:\n{shot}")
        time.sleep(0.05)


def expect_outer(term: Terminal, tab: str, hold: float = HOLD) -> None:
    expect_tab(term, OUTER, TAB_OF[tab], hold, what="lesson tab")


def expect_page(term: Terminal, titles, title: str, hold: float = HOLD) -> None:
    expect_tab(term, titles, title, hold, what="実験 page")


def use(term: Terminal, keys) -> None:
    """Work the focused control with ``keys``, once the page has drawn its result (as a learner would)."""
    waited = term.settle()
    if os.environ.get("JOURNEY_TRACE"):
        print(f"{waited:6.2f} s  settle before {keys}", file=sys.stderr)
    for key in keys:
        term.send(key)
        time.sleep(KEY_GAP)


def typed_key(screen: str, key: str) -> list[str]:
    """Rows (footer excluded) where ``key`` landed in a text field: after the sentence, or alone in the field."""
    rows = [content(line) for line in screen.rstrip("\n").split("\n")[:-1]]
    k = re.escape(key)
    alone = rf"(^|\s){k}(\s|$)" if not key.isdigit() else r"(?!)"  # a lone digit is too common to tell
    return [row.strip() for row in rows if re.search(rf"。{k}|{alone}", row)]


def top_sentence(screen: str) -> str:
    """The sentence in the top bar ("あなたの文: …"), cut with … where the bar is narrow."""
    first = screen.split("\n", 1)[0]
    match = re.search(r"あなたの文:\s*(.+?)(\s{2,}|$)", first)
    return match.group(1).strip() if match else ""


def shows_sentence(screen: str, sentence: str = SENTENCE) -> bool:
    """Whether the top bar shows ``sentence`` (or its start, where the bar cuts it with …)."""
    shown = top_sentence(screen)
    if shown.endswith("…"):
        return len(shown) > 3 and sentence.startswith(shown.rstrip("…").rstrip())
    return shown == sentence


def prose_heading(screen: str) -> str | None:
    """The first text under the lesson tab bar when the 説明 tab shows: the lesson's heading."""
    lines = screen.split("\n")
    for row in range(1, len(lines)):
        if OUTER[0] in lines[row - 1] and "━" in lines[row]:
            for line in lines[row + 1:-1]:
                text = re.sub(r"[\u2580-\u259f]", "", content(line)).strip()  # no scrollbar glyphs
                if text:
                    return text
    return None


def _answers(term: Terminal, lesson_id: str) -> int:
    return len(term.progress().get("lessons", {}).get(lesson_id, {}).get("answers", {}))


def answer_quiz(term: Terminal, lesson_id: str) -> None:
    """3, then Enter on the first choice: the answer must show its verdict and reach the progress file.

    If the last answer's verdict is still up, Enter on 「次の問題へ」 first (it has the keys then).
    """
    before = _answers(term, lesson_id)
    term.send("3")
    expect_outer(term, "quiz")
    verdict = ("正解です", "不正解です")
    shot = term.wait_for(lambda s: "合格ライン" in s, why="the quiz")
    if any(v in shot for v in verdict):
        term.send("Enter")
        term.wait_for(lambda s: not any(v in s for v in verdict),
                      why="Enter on 「次の問題へ」 to show the next question")
    term.send("Enter")
    term.wait_for(lambda s: any(v in s for v in verdict),
                  why="the verdict after Enter on a choice (the quiz's choices must have the keys after 3)")
    expect_outer(term, "quiz", hold=0.3)
    deadline = time.monotonic() + 5
    while _answers(term, lesson_id) <= before:
        if time.monotonic() > deadline:
            raise JourneyFailed(f"the answer was not recorded in {term.progress_file}: {term.progress()}")
        time.sleep(0.05)


SIZES = ((120, 40), (80, 24))


def at_both_sizes(start, lesson_id: str, journey, sizes=SIZES, **kwargs) -> None:
    """Run ``journey(term, size)`` at each size at once, one tutor per size, and report every failure.

    Each tutor is one busy Python process: side by side they use both cores of a small
    CI machine, which halves the suite's time against running the sizes one after the other.
    """
    failures: dict[tuple[int, int], BaseException] = {}

    def one(size) -> None:
        try:
            journey(start(lesson_id, size=size, **kwargs), size)
        except BaseException as exc:  # noqa: BLE001 - reported below, with the size
            failures[size] = exc

    threads = [threading.Thread(target=one, args=(size,), name=f"journey-{size[0]}x{size[1]}") for size in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise JourneyFailed("\n\n".join(f"at {w}×{h}: {type(exc).__name__}: {exc}" for (w, h), exc in failures.items()))
