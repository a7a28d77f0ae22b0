"""The ending (issue 17): passing the last quiz opens 修了, and the lesson list shows the course as complete."""

from __future__ import annotations

from textual.widgets import Markdown, OptionList, Static

from tutor.curriculum.progress import DONE, Progress, ProgressStore
from tutor.dialogs.completion import CompletionScreen
from tutor.widgets.lesson_list import ENDING_ID, LessonList
from tutor.widgets.quiz import QuizPanel


def _progress(paths, done: list[str]) -> None:
    progress = Progress(lesson="L7", tab="quiz")
    for lesson in done:
        progress.of(lesson).state = DONE
    progress.of("L7").state = "in_progress"
    ProgressStore(paths.progress_file, paths.settings_file).save_progress(progress)


async def _pass_the_quiz(pilot, quiz: QuizPanel) -> None:
    while quiz.current is not None:
        q = quiz.current
        choices = quiz.query_one("#quiz-choices", OptionList)
        choices.focus()
        choices.highlighted = q.display_order(quiz.attempt).index(q.answer)
        await pilot.press("enter")
        await pilot.pause()
        if quiz.current is not None:
            await pilot.press("enter")  # 次の問題へ has the keys after an answer
            await pilot.pause()


async def test_passing_the_last_quiz_opens_the_ending_and_the_list_shows_the_course_complete(make_app, paths) -> None:
    _progress(paths, ["L0", "L1", "L2", "L3", "L4", "L5", "L6"])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        lessons = app.query_one(LessonList)
        assert all(o.id != ENDING_ID for o in lessons.options)
        await _pass_the_quiz(pilot, app.query_one(QuizPanel))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CompletionScreen)
        assert "修了" in app.screen.query_one(Markdown).source
        assert not app.screen.query("#completion-open")  # every lesson is complete
        await pilot.press("escape")
        await pilot.pause()
        ending = lessons.get_option(ENDING_ID)
        assert "全レッスン完了" in str(ending.prompt)
        lessons.focus()
        lessons.highlighted = lessons.get_option_index(ENDING_ID)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompletionScreen)


async def test_the_ending_names_the_lessons_still_open(make_app, paths) -> None:
    _progress(paths, ["L0", "L1", "L3", "L4", "L5", "L6"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        await _pass_the_quiz(pilot, app.query_one(QuizPanel))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CompletionScreen)
        assert "L2" in str(app.screen.query_one("#completion-open", Static).render())
        await pilot.press("escape")
        assert "L7 まで完了" in str(app.query_one(LessonList).get_option(ENDING_ID).prompt)
