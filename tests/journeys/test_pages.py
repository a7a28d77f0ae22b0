"""Every 実験 page of every lesson, from the keyboard, in a real terminal at 120×40 and 80×24 (issue 14).

For each lesson: 2, then ] at once (the page must not have opened in a text field,
case 3); on each page its main control is used and ] shows the next page, which
must stay (the old bug: it flickered and snapped back, case 1); [ after a control
too; then 1 / 2 / 3, a quiz answer that stays on the クイズ tab and reaches the
progress file (case 2), back to the same page; quit (q or ctrl+q) with the
process gone. Both sizes run side by side, one tutor each.
"""

from __future__ import annotations

import time

import pytest

from .steps import (
    answer_quiz,
    at_both_sizes,
    expect_outer,
    expect_page,
    lesson_ids,
    pages_of,
    shows_sentence,
    typed_key,
    use,
)
from .terminal import JourneyFailed

SELECT = ("Enter", "Down", "Enter")  # open the list, the next option, pick it
#: The keys that use each page's main control (the control that has the keys when the page shows).
#: Keyed by pane id, or by lesson id for a 実験 tab of one page. A new page needs its line here.
USE: dict[str, tuple[str, ...]] = {
    "L0": ("Down", "Enter"),  # the samples: pick the second one as your sentence
    "morph-table": ("Down",),  # the token rows scroll
    "morph-compare": ("Down",),
    "morph-onehot": ("Down",),
    "w2v-similar": ("Down",),  # the results scroll (the word field waits for Enter)
    "w2v-analogy": SELECT,  # 例を選ぶ
    "w2v-map": SELECT,  # モデル
    "w2v-train": ("Enter",),  # 学習開始: no corpus in a journey, so it only says so
    "rnn-bigram": ("Enter",),  # 別の乱数で
    "rnn-unroll": ("Down",),
    "rnn-translate": ("Down",),
    "rnn-bleu": ("Down",),
    "L4": SELECT,  # モデル
    "tf-position": SELECT,  # d_model
    "tf-qkv": ("Right",),  # the next step (→, as the page says)
    "tf-heads": SELECT,  # 層
    "tf-mask": SELECT,  # 層
    "tf-ffn": SELECT,  # 語
    "tf-translate": SELECT,  # 表示
    "gpt-examples": ("Down",),
    "gpt-playground": ("Right",),  # 温度
    "gpt-step": ("Down", "Enter"),  # pick a candidate (↑↓ and Enter, as the page says)
    "gpt-diversity": ("Down",),
    "gpt-attention": SELECT,  # 層
    "bert-fill": ("Down", "Space"),  # hide a token
    "bert-vs-gpt": SELECT,  # 位置
    "bert-masking": ("Enter",),  # もう一度引く
    "bert-heads": SELECT,  # 層
    "bert-finetune": ("Enter",),  # no corpus in a journey, so it only says so
}


def quit_key(lesson_id: str, size) -> str:
    """q and ctrl+q take turns over the lessons, and each size gets both."""
    return "q" if (lesson_ids().index(lesson_id) + (size[0] == 80)) % 2 == 0 else "C-q"


def walk(term, lesson_id: str, pages: list[tuple[str, str]]) -> None:
    """One pass over the lesson's 実験 tab from the 説明 tab; ends on its first page."""
    titles = [title for _, title in pages]
    term.send("2")
    expect_outer(term, "demo")
    if len(pages) == 1:
        time.sleep(0.5)  # the page's focus settles (the old code focused the sentence field here)
        term.send("]")  # nothing to step to: it must not be typed anywhere either (case 3)
        expect_outer(term, "demo")
        use(term, USE[pages[0][0]])
    else:
        expect_page(term, titles, titles[0])
        # ] at once, before any control: the page opened with its main control, not a text field (case 3).
        term.send("]")
        expect_page(term, titles, titles[1 % len(titles)])
        # Then each page's control, and ] to the next; the last one wraps to the first (case 1) ...
        for i in range(1, len(pages) + 1):
            use(term, USE[pages[i % len(pages)][0]])
            term.send("]")
            expect_page(term, titles, titles[(i + 1) % len(titles)])
        # ... and [ after a control too, then back with ].
        use(term, USE[pages[1 % len(pages)][0]])
        term.send("[")
        expect_page(term, titles, titles[0])
    shot = term.screen()
    typed = typed_key(shot, "]")
    assert not typed, f"{lesson_id}: ] was typed into a text field (case 3): {typed}\n{shot}"
    if lesson_id != "L0":  # L0's sample list changes the sentence on purpose
        assert shows_sentence(shot), f"{lesson_id}: the sentence changed:\n{shot}"
    shown = titles[0]
    term.send("1")
    expect_outer(term, "prose", hold=0.3)
    term.send("2")
    expect_outer(term, "demo", hold=0.3)
    if len(pages) > 1:
        expect_page(term, titles, shown, hold=0)
    answer_quiz(term, lesson_id)  # case 2: the answer stays, on the クイズ tab
    term.send("2")
    expect_outer(term, "demo", hold=0.3)
    if len(pages) > 1:
        expect_page(term, titles, shown, hold=0)
    term.send("1")
    expect_outer(term, "prose", hold=0)


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_demo_page_by_keyboard(start, lesson_id):
    """The walk at 120×40 and at 80×24 (two tutors side by side), then quit with q or ctrl+q."""
    pages = pages_of(lesson_id)
    missing = [pane for pane, _ in pages if pane not in USE]
    assert not missing, f"no journey keys for the pages {missing}: add them to USE"

    def journey(term, size) -> None:
        walk(term, lesson_id, pages)
        term.quit(quit_key(lesson_id, size))

    at_both_sizes(start, lesson_id, journey)


@pytest.mark.parametrize("lesson_id", ["L2", "L5"])
def test_resume_on_demo_tab(start, lesson_id):
    """Quit on the 実験 tab, start again: the app opens there (L5's used to crash), and keys work at once."""
    term = start(lesson_id, tab="demo")
    expect_outer(term, "demo", hold=1.0)
    if not term.alive():
        raise JourneyFailed(f"tutor died when it resumed on {lesson_id}'s 実験 tab:\n{term.screen()}")
    term.send("1")
    expect_outer(term, "prose", hold=0)
