"""The 演習 tab: keys work on show, a save is checked within a second, a pass is kept, a give-up is recorded."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
from textual.widgets import Static, TabbedContent

from tutor.settings import PROJECT_ROOT
from tutor.widgets.exercise_panel import ExercisePanel
from tutor.widgets.lesson_list import LessonList

SOLUTION = PROJECT_ROOT / "lessons/01-morphology/exercises/onehot/solution.py"


@pytest.fixture(autouse=True)
def no_editor(monkeypatch):
    for name in ("EDITOR", "VISUAL", "TUTOR_EXERCISES_DIR"):
        monkeypatch.delenv(name, raising=False)


def text_of(app, selector: str) -> str:
    if selector == "#ex-result":
        return app.query_one(ExercisePanel).result_text()
    return str(app.query_one(selector, Static).render())


async def wait_for(pilot, condition, seconds: float = 8.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


async def test_start_save_and_see_the_check_turn_green(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "4")
        await pilot.pause(0.3)
        panel = app.query_one(ExercisePanel)
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-exercise"
        assert app.focused is panel  # its keys (c e h a m) work at once, and no text field took the cursor
        assert "onehot" in text_of(app, "#ex-head") and "まだありません" in text_of(app, "#ex-file")

        await pilot.press("e")  # no $EDITOR: the file is created and its path told
        file = paths.data_dir / "exercises" / "onehot.py"
        assert file.exists()
        await wait_for(pilot, lambda: "まだです" in text_of(app, "#ex-result"))
        assert "NotImplementedError" in text_of(app, "#ex-result")

        shutil.copy(SOLUTION, file)  # the learner saves in their editor
        await wait_for(pilot, lambda: "合格です" in text_of(app, "#ex-result"), seconds=3)
        await pilot.pause(0.2)
        saved = json.loads(paths.progress_file.read_text(encoding="utf-8"))
        assert saved["lessons"]["L1"]["exercises"]["onehot"]["passed"] is True
        assert "演習 1/1" in str(app.query_one(LessonList).get_option("L1").prompt)

        # switching away and back loses nothing: the verdict is still there
        await pilot.press("1", "4")
        await pilot.pause(0.2)
        assert "合格です" in text_of(app, "#ex-result")
        assert "合格" in text_of(app, "#ex-head")


async def test_a_broken_save_after_a_pass_shows_the_error_but_keeps_the_pass(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "4")
        await pilot.pause(0.3)
        await pilot.press("e")
        file = paths.data_dir / "exercises" / "onehot.py"
        shutil.copy(SOLUTION, file)
        await wait_for(pilot, lambda: "合格です" in text_of(app, "#ex-result"))
        await asyncio.sleep(0.05)
        file.write_text("def onehot(tokens:\n", encoding="utf-8")
        await wait_for(pilot, lambda: "文法エラー" in text_of(app, "#ex-result"))
        assert app.progress.exercise("L1", "onehot").passed


async def test_solution_needs_a_pass_or_two_presses_that_record_giving_up(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "4")
        await pilot.pause(0.3)
        await pilot.press("a")
        await pilot.pause(0.1)
        assert "もう一度 a" in text_of(app, "#ex-solution")
        assert not app.progress.exercise("L1", "onehot").gave_up
        await pilot.press("a")
        await pilot.pause(0.2)
        assert app.progress.exercise("L1", "onehot").gave_up
        assert "あきらめた" in text_of(app, "#ex-head")
        saved = json.loads(paths.progress_file.read_text(encoding="utf-8"))
        assert saved["lessons"]["L1"]["exercises"]["onehot"]["gave_up"] is True
        await pilot.press("h")
        await pilot.pause(0.1)
        assert app.query_one("#ex-hint", Static).display


async def test_a_lesson_without_exercises_says_so_and_c_does_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause(0.2)
        assert "演習がありません" in text_of(app, "#ex-head")
        await pilot.press("c", "e", "a", "m")
        await pilot.pause(0.1)
        await pilot.press("n")  # the app's keys still work from the panel
        await pilot.pause(0.3)
        assert app.progress.lesson == "L1"


def _passed_with_mine(paths, lesson: str, exercise_id: str, source) -> None:
    """A learner who passed ``exercise_id`` and turned 「自分の実装で動かす」 on, with ``source`` saved."""
    from tutor.curriculum.progress import Progress, ProgressStore
    from tutor.exercises import registry

    exercise = registry.get(exercise_id)
    folder = paths.data_dir / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / exercise.file_name).write_text(source, encoding="utf-8")
    progress = Progress(lesson=lesson, tab="demo")
    ep = progress.exercise(lesson, exercise_id)
    ep.passed = ep.mine = True
    ProgressStore(paths.progress_file, paths.settings_file).save_progress(progress)


def _solution_of(exercise_id: str) -> str:
    from exercise_helpers import solution
    from tutor.exercises import registry

    return solution(registry.get(exercise_id))


async def test_l4_grid_runs_on_the_learners_score_and_falls_back_when_it_breaks(make_app, paths) -> None:
    from pilot_helpers import settle
    from tutor.widgets.attention_grid import AttentionGrid

    _passed_with_mine(paths, "L4", "attention-scores", _solution_of("attention-scores"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.5)
        page = app.query_one("AttentionPage")
        page.query_one("#att-speed").value = 0.0
        await settle(pilot, 0.5)
        line = str(page.query_one("#att-mine", Static).render())
        assert "あなたの score() で計算した表です" in line and "訳は同じ" in line
        assert page.query_one(AttentionGrid).targets  # the grid filled

        # the learner breaks their file: the grid still fills, on the project's scores, and says why
        folder = paths.data_dir / "exercises"
        (folder / "attention_scores.py").write_text("def score(kind, s, H, W=None, v=None):\n    return 1 / 0\n",
                                                    encoding="utf-8")
        page.sentence_changed(app.progress.sentence)
        await settle(pilot, 0.5)
        line = str(page.query_one("#att-mine", Static).render())
        assert "プロジェクトの実装で表示しています" in line and "ZeroDivisionError" in line
        assert page.query_one(AttentionGrid).targets


async def _open_page(pilot, lesson: str, tab: str) -> None:
    from pilot_helpers import settle

    pilot.app.open_lesson(lesson, "demo")
    await settle(pilot, 0.3)
    pilot.app.query_one("#demo-tabs", TabbedContent).active = tab
    await settle(pilot, 0.5)


async def test_l6_playground_cuts_with_the_learners_filter_probs(make_app, paths) -> None:
    from pilot_helpers import settle
    from tutor.widgets.slider import Slider

    _passed_with_mine(paths, "L6", "top-k-top-p", _solution_of("top-k-top-p"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_page(pilot, "L6", "gpt-playground")
        assert "top-k と top-p がオフです" in text_of(app, "#pg-mine")
        app.query_one("#pg-top-p", Slider).value = 0.9
        app.query_one("#pg-top-k", Slider).value = 20
        await settle(pilot, 0.5)
        line = text_of(app, "#pg-mine")
        assert "あなたの filter_probs() で分布を切っています" in line
        kept, reference = line.split("残った語 ")[1].split("（プロジェクトの実装: ")
        assert kept == reference.split("）")[0]  # the same tokens survive as with the project's filter

        (paths.data_dir / "exercises" / "top_k_top_p.py").write_text(
            "import numpy as np\ndef filter_probs(probs, top_k=None, top_p=None):\n    return np.ones(3)\n",
            encoding="utf-8")
        app.query_one("#pg-seed", Slider).value = 1
        await settle(pilot, 0.5)
        line = text_of(app, "#pg-mine")
        assert "プロジェクトの実装で動かしています" in line and "形" in line
        assert "続き: " in text_of(app, "#pg-output")  # the text was still written


async def test_l7_masking_draws_with_the_learners_mask_tokens(make_app, paths) -> None:
    from pilot_helpers import settle

    _passed_with_mine(paths, "L7", "mlm-mask", _solution_of("mlm-mask"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_page(pilot, "L7", "bert-masking")
        assert "あなたの mask_tokens() で引いています" in text_of(app, "#mk-mine")
        await pilot.click("#mk-many")
        await settle(pilot, 0.3)
        counts = text_of(app, "#mk-counts")
        assert "1,001 回" in counts
        line = next(row for row in counts.splitlines() if "[MASK] / 選ばれた語" in row)
        assert 75 <= float(line.split("%")[0].split()[-1]) <= 85
        assert "同じ 1,001 回をプロジェクトの関数で引いた割合" in text_of(app, "#mk-mine")

        # turning it off (m in the 演習 tab) goes back to the project's function
        await pilot.press("4")
        await pilot.pause(0.3)
        await pilot.press("m")
        await settle(pilot, 0.5)
        assert not app.progress.exercise("L7", "mlm-mask").mine
        assert not app.query_one("#mk-mine", Static).display


async def test_an_endless_loop_or_mischief_is_reported_in_the_tab_and_the_app_keeps_working(
    make_app, paths, tmp_path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "4")
        await pilot.pause(0.3)
        await pilot.press("e")
        file = paths.data_dir / "exercises" / "onehot.py"
        await wait_for(pilot, lambda: "まだです" in text_of(app, "#ex-result"))
        target = tmp_path / "pwned"
        file.write_text(f"import os\ndef onehot(tokens):\n    os.system('touch {target}')\n", encoding="utf-8")
        await wait_for(pilot, lambda: "os.system" in text_of(app, "#ex-result"))
        assert not target.exists()
        file.write_text("def onehot(tokens):\n    while True:\n        pass\n", encoding="utf-8")
        await wait_for(pilot, lambda: "時間切れ" in text_of(app, "#ex-result"), seconds=12)
        assert "未実行" in text_of(app, "#ex-result")  # the cases after the one that hung
        await pilot.press("n")  # the app was never blocked
        await pilot.pause(0.3)
        assert app.progress.lesson == "L2"


async def test_in_a_browser_tab_e_creates_no_file_and_says_why(make_app, paths, monkeypatch) -> None:
    """`tutor serve`: the file would sit on the server, out of the learner's reach (and no code of theirs runs
    there)."""
    monkeypatch.setenv("TUTOR_SERVED", "1")
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notices.append(str(message))
        await pilot.press("n", "4")
        await pilot.pause(0.3)
        await pilot.press("e")
        await pilot.pause(0.2)
    assert not (paths.data_dir / "exercises" / "onehot.py").exists()
    assert any("ブラウザ版では" in n for n in notices)
