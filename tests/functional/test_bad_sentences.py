"""Every lesson's 実験 tab on the learner's sentence when that sentence is bad input (issue 15).

The learner's sentence (s) reaches every demo; each bad one is set, then every
lesson's 実験 tab is opened and its pages run, and every text field on them is
given the same text and submitted. Nothing may raise (run_test
re-raises an exception in the app), the app keeps running, the top bar shows
the sentence as text (markup is not interpreted), and the progress file keeps it.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Static

from pilot_helpers import settle
from tutor.widgets.page_tabs import PageTabs

BAD_SENTENCES = {
    # markup, a click action, NUL/ESC/controls, a lone surrogate, ZWJ emoji, RLO, half-width kana, RTL
    "mixed": "[b]猫[/b][@click=app.quit]x[/]\x00\x1b[31m\x07が\ud800好き👨\u200d👩\u200d👧\u202eｺﾝﾋﾟｭｰﾀｰ שלום",
    "100k": "吾輩は猫である。" * 12_500,
}


@pytest.mark.parametrize("name", list(BAD_SENTENCES))
async def test_every_demo_takes_a_bad_sentence(make_app, paths, name) -> None:
    text = BAD_SENTENCES[name]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.set_sentence(text)
        for lesson in app.curriculum.lessons:
            app.open_lesson(lesson.id, "demo")
            await settle(pilot)
            if name == "mixed":  # every inner page computes when shown (the long one: the first pages only)
                for tabs in app.query_one("#demo-host").query(PageTabs):
                    for pane in tabs.own_panes():
                        tabs.active = pane.id
                        await settle(pilot)
                        for box in pane.query(Input):  # and every text field of the page takes it too
                            box.value = text
                            await box.action_submit()
                            await settle(pilot)
                            assert app.is_running, f"{lesson.id} {pane.id} #{box.id} closed the app"
            assert app.is_running, f"{lesson.id} closed the app on the {name} sentence"
        top = str(app.query_one("#top-sentence", Static).render())
        if name == "mixed":
            assert "[b]猫[/b]" in top and "\x00" not in top  # shown as typed, not as bold; controls gone
    saved = json.loads(paths.progress_file.read_text(encoding="utf-8"))
    assert saved["sentence"] == app.progress.sentence and "\ud800" not in saved["sentence"]


async def test_an_empty_sentence_is_refused_and_the_old_one_kept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.progress.sentence
        app.set_sentence("  \u3000\x00 ")
        await pilot.pause()
        assert app.progress.sentence == before


def test_a_sentence_no_one_could_type_in_the_progress_file_is_cleaned() -> None:
    from tutor.curriculum.progress import Progress

    p = Progress.from_json({"version": 1, "sentence": "猫\ud800\x00が好き"})
    assert p.sentence == "猫\ufffdが好き"
    json.dumps(p.to_json(), ensure_ascii=False).encode("utf-8")  # writable
