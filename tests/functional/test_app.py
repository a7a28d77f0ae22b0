"""The app as a learner drives it, through Textual's Pilot."""

from __future__ import annotations

import json

from textual.widgets import Input, Markdown, OptionList, Static, TabbedContent

from tutor.curriculum.progress import DONE
from tutor.demos.intro import IntroDemo
from tutor.demos.morphology import MorphologyDemo
from tutor.dialogs.help import HelpScreen
from tutor.dialogs.sentence import SentenceScreen
from tutor.widgets.quiz import QuizPanel
from tutor.widgets.token_table import TokenTable

SIZE = (100, 30)


def top(app, widget_id: str) -> str:
    return str(app.query_one(f"#{widget_id}", Static).render())


def table_surfaces(app) -> list[str]:
    return app.query_one(TokenTable).surfaces


async def choose(pilot, quiz: QuizPanel, choice: int) -> None:
    """Answer the quiz's current question with ``choice`` (an index into its choices) from the keyboard."""
    choices = quiz.query_one("#quiz-choices", OptionList)
    choices.focus()
    choices.highlighted = quiz.current.display_order(quiz.attempt).index(choice)
    await pilot.press("enter")
    await pilot.pause()


async def open_l1_quiz(pilot) -> QuizPanel:
    await pilot.press("n", "3")
    await pilot.pause()
    return pilot.app.query_one(QuizPanel)


async def open_l1_demo(pilot) -> MorphologyDemo:
    await pilot.press("n", "2")
    await pilot.pause()
    return pilot.app.query_one(MorphologyDemo)


async def test_starts_at_l0_and_navigates(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.lesson.id == "L0"
        assert "はじめに" in top(app, "top-lesson")
        assert app.query_one(IntroDemo)
        await pilot.press("n")
        assert app.lesson.id == "L1" and "形態素解析" in top(app, "top-lesson")
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-prose"
        await pilot.press("p")
        assert app.lesson.id == "L0"
        await pilot.press("p")  # nothing before L0
        assert app.lesson.id == "L0"


async def test_unbuilt_lessons_say_so_and_show_their_outline(paths, tmp_path) -> None:
    """Every shipped lesson has its demo now; a curriculum with one switched off shows the 準備中 state."""
    import shutil
    from dataclasses import replace

    from tutor.app import build_app
    from tutor.core.device import resolve

    lessons = tmp_path / "lessons"
    shutil.copytree(paths.lessons_dir, lessons)
    toml = lessons / "curriculum.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('demo = "bert"\n', ""), encoding="utf-8")
    app = build_app(paths=replace(paths, lessons_dir=lessons),
                    resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("L7")
        await pilot.pause()
        assert "BERT" in app.query_one("#prose", Markdown).source
        await pilot.press("2")
        await pilot.pause()
        assert "準備中" in str(app.query_one("#coming-soon", Static).render())
        lesson_list = app.query_one("#lesson-list", OptionList)
        assert "準備中" in str(lesson_list.get_option("L7").prompt)
        assert "準備中" not in str(lesson_list.get_option("L6").prompt)
        assert "準備中" not in str(lesson_list.get_option("L1").prompt)


async def test_typing_japanese_updates_the_table(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l1_demo(pilot)
        box = demo.query_one("#morph-input", Input)
        box.focus()
        box.value = ""
        await pilot.pause()
        assert app.query_one(TokenTable).row_count == 0
        await pilot.press(*"ねこがすき")
        await pilot.pause()
        assert "".join(table_surfaces(app)) == "ねこがすき"
        await pilot.press("n")  # typed into the box, not "next lesson"
        assert app.lesson.id == "L1" and box.value == "ねこがすきn"
        await pilot.press("escape", "n")  # Esc leaves the box; now n moves on
        assert app.lesson.id == "L2"
        app.open_lesson("L1", "demo")
        await pilot.pause()
        box = app.query_one(MorphologyDemo).query_one("#morph-input", Input)
        box.value = "すもももももももものうち"
        await pilot.pause()
        assert table_surfaces(app) == ["すもも", "も", "もも", "も", "もも", "の", "うち"]
        box.value = "パンを食べた"
        await pilot.pause()
        table = app.query_one(TokenTable)
        assert table.row_text(2) == ("食べ", "動詞-一般", "食べる", "タベ")
        assert table.row_count == 4 and table.virtual_size.height == 5  # rows + header


async def test_bad_input_in_the_app_is_shown_safely(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l1_demo(pilot)
        box = demo.query_one("#morph-input", Input)
        for raw, expect in [
            ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
            ("[b]太字[/]", "[b]太字[/]"),
            ("猫\x00\x1bが", "猫が"),
            ("ﾊﾝｶｸ", "ハンカク"),
            ("🍣を食べる", "🍣を食べる"),
        ]:
            box.value = raw
            await pilot.pause()
            assert "".join(table_surfaces(app)) == expect
        assert app.is_running  # the markup link did not quit the app
        box.value = "あ" * 100_000
        await pilot.pause()
        assert "2,000" in str(demo.query_one("#morph-notice", Static).render())
        box.value = ""
        await pilot.pause()
        assert "空" in str(demo.query_one("#morph-notice", Static).render())


async def test_onehot_and_compare_panels(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l1_demo(pilot)
        demo.query_one("#morph-input", Input).value = "お茶を飲みたい"
        await pilot.pause()
        demo.query_one("#morph-tabs", TabbedContent).active = "morph-onehot"
        await pilot.pause()
        summary = str(demo.query_one("#onehot-summary", Static).render())
        assert "語彙数 5 = ベクトルの次元 5" in summary
        matrix = demo.query_one("#onehot-matrix")
        assert matrix.row_count == 5 and len(matrix.columns) == 6
        demo.query_one("#morph-tabs", TabbedContent).active = "morph-compare"
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        body = str(demo.query_one("#compare-body", Static).render())
        assert "MeCab (UniDic)" in body and "Janome (IPADIC)" in body
        assert "お茶" in body and "区切り方が違う" in body


async def test_answering_the_quiz_completes_the_lesson_and_is_saved(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_l1_quiz(pilot)
        assert "80%" in str(quiz.query_one("#quiz-rule", Static).render())
        for q in quiz.questions:
            await choose(pilot, quiz, q.answer)
            assert "正解です" in str(quiz.query_one("#quiz-feedback", Static).render())
            await pilot.click("#quiz-next")
            await pilot.pause()
        assert app.progress.state("L1") == DONE
        assert "完了" in top(app, "top-lesson")
        assert "合格" in str(quiz.query_one("#quiz-feedback", Static).render())
    saved = json.loads(paths.progress_file.read_text(encoding="utf-8"))
    assert saved["lessons"]["L1"]["state"] == "done"


async def test_a_wrong_answer_shows_the_right_one_and_the_explanation(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_l1_quiz(pilot)
        q = quiz.questions[0]
        await choose(pilot, quiz, (q.answer + 1) % len(q.choices))
        feedback = str(quiz.query_one("#quiz-feedback", Static).render())
        assert "不正解" in feedback and q.choices[q.answer].text in feedback
        assert q.explanation[:15] in feedback.replace("\n", "")


async def test_restart_resumes_at_lesson_tab_and_quiz_question(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_l1_quiz(pilot)
        await choose(pilot, quiz, quiz.questions[0].answer)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.lesson.id == "L1"
        assert again.query_one("#lesson-tabs", TabbedContent).active == "tab-quiz"
        quiz = again.query_one(QuizPanel)
        assert quiz.current is quiz.questions[1]
        assert "問 2/" in str(quiz.query_one("#quiz-prompt", Static).render())


async def test_your_sentence_is_set_shared_and_kept(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        default = app.progress.sentence
        assert default == app.samples[0].text and default in top(app, "top-sentence")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SentenceScreen)
        box = app.screen.query_one("#sentence-input", Input)
        box.value = ""
        await pilot.press("enter")  # empty: refused with a message, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, SentenceScreen)
        await pilot.press(*"ねこがすき", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SentenceScreen)
        assert "ねこがすき" in top(app, "top-sentence")
        demo = await open_l1_demo(pilot)
        assert demo.query_one("#morph-input", Input).value == "ねこがすき"
    assert json.loads(paths.progress_file.read_text(encoding="utf-8"))["sentence"] == "ねこがすき"
    again = make_app()
    async with again.run_test(size=SIZE):
        assert again.progress.sentence == "ねこがすき"


async def test_prose_scrolls_from_the_keyboard(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        scroll = app.query_one("#prose-scroll")
        assert scroll.scroll_y == 0 and scroll.max_scroll_y > 20
        await pilot.press("pagedown", "down")
        await pilot.pause(0.3)
        assert scroll.scroll_y > 10
        await pilot.press("home")
        await pilot.pause(0.3)
        assert scroll.scroll_y == 0


async def test_each_tab_focuses_what_it_shows(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # L0: the samples list, so the lesson keys still work
        await pilot.pause()
        assert app.focused is app.query_one("#intro-samples", OptionList)
        await pilot.press("3")
        await pilot.pause()
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-quiz"
        assert app.focused is app.query_one("#quiz-choices", OptionList)
        await pilot.press("n", "2")  # L1: never the sentence box, so ] and the lesson keys work (issue 14, case 3)
        await pilot.pause()
        demo = app.query_one(MorphologyDemo)
        box = demo.query_one("#morph-input", Input)
        assert app.focused is not box and not isinstance(app.focused, Input)
        assert app.focused is demo.query_one("#morph-tokens", TokenTable)  # the page's main control
        await pilot.press("enter")  # the learner asks for the field
        await pilot.pause()
        assert app.focused is box
        await pilot.press(*"いぬ")
        assert box.value == "いぬ"  # focusing selected the old sentence; typing replaced it
        await pilot.press("escape", "]")  # Esc leaves the field; ] pages on, it is not typed
        await pilot.pause()
        tabs = demo.query_one("#morph-tabs", TabbedContent)
        assert box.value == "いぬ" and tabs.active == "morph-compare"
        assert app.focused is demo.query_one("#compare-scroll") and not isinstance(app.focused, Input)
        await pilot.press("]")
        await pilot.pause()
        assert tabs.active == "morph-onehot" and app.focused is demo.query_one("#onehot-scroll")
        assert "語彙数 1" in str(demo.query_one("#onehot-summary", Static).render())  # いぬ, typed on another page
        await pilot.press("down", "[")  # after using the page's control, [ still steps back (no snap-back)
        await pilot.pause()
        assert tabs.active == "morph-compare"
        await pilot.press("[")
        await pilot.pause()
        assert tabs.active == "morph-table" and app.focused is demo.query_one("#morph-tokens", TokenTable)
        await pilot.press("down", "]")
        await pilot.pause()
        assert tabs.active == "morph-compare"
        await pilot.press("1", "2")  # the lesson tabs and back: the typed text is kept
        await pilot.pause()
        assert box.value == "いぬ" and tabs.active == "morph-compare"
        await pilot.press("1")
        await pilot.pause()
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-prose"


async def test_picking_a_sample_in_l0(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        samples = app.query_one("#intro-samples", OptionList)
        samples.focus()
        samples.highlighted = 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.progress.sentence == app.samples[2].text


async def test_cuda_without_gpu_falls_back_visibly(make_app) -> None:
    app = make_app(device="cuda")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.device is not None and app.device.device == "cpu" and app.device.notice
        assert "CPU" in top(app, "top-device")
        assert app.query_one("#top-device").has_class("-fallback")
        assert any("GPU" in n.message for n in app._notifications)
        assert "GPU" in str(app.query_one("#intro-device", Static).render())


async def test_device_key_cycles_and_saves(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.requested_device == "cpu" and app.device.device == "cpu"
    assert json.loads(paths.settings_file.read_text(encoding="utf-8"))["device"] == "cpu"


async def test_corrupt_progress_file_is_set_aside_and_the_app_starts(make_app, paths) -> None:
    paths.progress_file.parent.mkdir(parents=True)
    paths.progress_file.write_text('{"version": 1, "lesson": ', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.lesson.id == "L0"
        assert any("corrupt" in n.message for n in app._notifications)
    assert list(paths.data_dir.glob("progress.json.corrupt-*"))


async def test_help_lists_every_binding(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((what, keys) for keys, what in app.screen.rows)
        for binding in app.BINDINGS:
            assert binding.tooltip in rows or not binding.show  # the prose scroll keys are one row
        assert "説明を読み進める" in rows
        assert rows["次のレッスンへ"] == "n" and rows["このキー一覧を表示する"].startswith("?")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_lessons_devices_and_samples(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert sum(t.startswith("レッスン L") for t in titles) == 8
        assert {"デバイス: auto", "デバイス: cpu", "デバイス: cuda"} <= set(titles)
        jump = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("レッスン L3"))
        jump.callback()
        await pilot.pause()
        assert app.lesson.id == "L3"


async def test_theme_toggle_is_saved(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert json.loads(paths.settings_file.read_text(encoding="utf-8"))["theme"] == "light"
    again = make_app()
    async with again.run_test(size=SIZE):
        assert again.theme == "textual-light"


async def test_quit_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_small_terminal_still_shows_the_lesson(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2")
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        assert app.query_one(TokenTable).region.height >= 8


async def test_q_and_help_stay_in_the_footer_on_every_page_at_80_and_100_columns(make_app) -> None:
    """A page's own keys must not push ? and q off the footer (L1's table arrows did, at 80 and 100)."""
    from textual.widgets._footer import FooterKey

    for width in (80, 100):
        app = make_app()
        async with app.run_test(size=(width, 24)) as pilot:
            for lesson in [entry.id for entry in app.curriculum.lessons]:
                app.open_lesson(lesson, "demo")
                for tab in ("1", "2", "3", "4"):
                    await pilot.press(tab)

                    def fits() -> bool:
                        shown = {k.action: k.region for k in app.query(FooterKey) if k.region.width}
                        return all(a in shown and shown[a].right <= width for a in ("quit", "help"))

                    # The footer rebuilds once the keys have settled (0.25 s, later on a loaded machine).
                    for _ in range(60):
                        await pilot.pause(0.1)
                        if fits():
                            break
                    assert fits(), (width, lesson, tab)
