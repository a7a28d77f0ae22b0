"""The Textual app: composition and wiring only. NLP lives in tutor.core, lesson data in tutor.curriculum."""

from __future__ import annotations

import asyncio
import threading

from textual import on
from textual.app import App, ComposeResult, ScreenStackError
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Markdown, OptionList, TabbedContent, TabPane

from .core.device import DeviceChoice, resolve
from .core.text import clean
from .curriculum import catalog, samples
from .curriculum.progress import DONE, STATE_LABELS, Progress, ProgressStore, Settings
from .curriculum.recall import quiz_for
from .demos.base import LessonDemo, SentenceChosen
from .demos.registry import demo_class
from .device_control import DeviceControl
from .dialogs.completion import CompletionScreen, ending_text
from .dialogs.help import HelpScreen
from .dialogs.palette import Palette, app_commands
from .dialogs.sentence import SentenceScreen
from .exercises import registry as exercise_registry
from .exercises.mine import LearnerCode
from .exercises.workspace import workspace_dir
from .export_control import ExportControl
from .keys import APP_BINDINGS, FOOTER_WHEN_ROOMY, ROOMY_WIDTH
from .settings import THEMES, Paths, default_paths
from .widgets import cjk_wrap
from .widgets.exercise_panel import ExercisePanel
from .widgets.footer import KeyFooter
from .widgets.lesson_list import ENDING_ID, LessonList
from .widgets.page_tabs import PageTabs
from .widgets.prose import split_first_screen
from .widgets.quiz import QuizPanel
from .widgets.top_bar import TopBar

TAB_IDS = {"prose": "tab-prose", "demo": "tab-demo", "quiz": "tab-quiz", "exercise": "tab-exercise"}
TAB_NAMES = {v: k for k, v in TAB_IDS.items()}
#: Seconds after the first frame before the device check imports torch.
DEVICE_CHECK_DELAY = 1.5
#: Seconds after the new lesson's first frame before its 実験 tab is built behind the prose.
DEMO_DELAY = 0.1
#: Below this width the lesson list narrows and the prose margins shrink.
NARROW_WIDTH = 100


class TutorApp(DeviceControl, ExportControl, App[int]):
    """日本語NLPチューター."""

    CSS_PATH = "app.tcss"
    TITLE = "日本語NLPチューター"
    ENABLE_COMMAND_PALETTE = True
    #: Focus is set by the tab on show (see _focus_tab); every focus change restyles the
    #: whole DOM (:focus-within), so start-up should make exactly one.
    AUTO_FOCUS = None

    BINDINGS = APP_BINDINGS

    def __init__(
        self, paths: Paths, device: str | None = None, resolve_device=resolve,
        device_check_delay: float = DEVICE_CHECK_DELAY,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.store = ProgressStore(paths.progress_file, paths.settings_file)
        self.progress: Progress = self.store.load_progress()
        self.settings: Settings = self.store.load_settings()
        self.curriculum = catalog.load(paths.lessons_dir)
        self.samples = samples.load(paths.assets_dir)
        if not self.progress.sentence:
            self.progress.sentence = self.samples[0].text
        if self.curriculum.get(self.progress.lesson) is None:
            self.progress.lesson = self.curriculum.lessons[0].id
        # --device applies to this run; the d key changes the saved setting too.
        self.requested_device = device or self.settings.device
        self.device: DeviceChoice | None = None
        self._resolve_device = resolve_device
        self._device_check_delay = device_check_delay
        self.theme = THEMES.get(self.settings.theme, THEMES["dark"])
        self._shown_lesson: str | None = None  # the lesson whose prose, demo and quiz are mounted
        self._learner_codes: dict[str, LearnerCode] = {}  # exercise id -> the learner's loaded file
        self._learner_lock = threading.Lock()  # demos ask from their worker threads
        self._started = False  # on_mount has run
        self.startup_notices: list[str] = []  # told once the first screen is up (build_app fills it)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TopBar(id="top-bar")
        with Horizontal(id="main"):
            yield LessonList(id="lesson-list")
            with PageTabs(id="lesson-tabs"):
                with TabPane("1 説明", id="tab-prose"):
                    with VerticalScroll(id="prose-scroll"):
                        yield Markdown(id="prose")
                        yield Markdown(id="prose-rest")
                with TabPane("2 実験", id="tab-demo"):
                    yield Vertical(id="demo-host")
                with TabPane("3 クイズ", id="tab-quiz"):
                    yield QuizPanel(id="quiz")
                with TabPane("4 演習", id="tab-exercise"):
                    yield ExercisePanel(self.paths.lessons_dir, workspace_dir(self.paths.data_dir), id="exercises")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        lesson_list = self.query_one(LessonList)
        lesson_list.set_lessons(
            self.curriculum.lessons,
            {lesson.id: self.progress.state(lesson.id) for lesson in self.curriculum},
            {lesson.id: self._exercise_counts(lesson.id) for lesson in self.curriculum},
        )
        self._apply_width(self.size.width)
        self._show_course_state()
        self._show_sentence()
        self._show_device()
        self.open_lesson(self.progress.lesson, self.progress.tab)
        for notice in self.startup_notices:
            self.notify(notice, title="表示", severity="warning", timeout=12)
        for notice in self.store.notices:
            self.notify(notice, title="進捗ファイル", severity="warning", timeout=12)
        self._started = True
        # torch is imported only after the first screen has settled, off the UI thread: its
        # import holds the GIL for most of a second and would slow the first lesson down.
        self.call_after_refresh(lambda: self.set_timer(self._device_check_delay,
                                                       lambda: self.start_device_check(self.requested_device)))

    def exit_soon(self, code: int) -> None:
        """Ask the app to exit with ``code``, from a signal handler (tutor/process.py): scheduled on its loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the app's event loop is not running")
        loop.call_soon_threadsafe(self.exit, None, code)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        self.screen.set_class(narrow, "-narrow")
        # At 80 columns every key must still show, q and ? included (issue 14, case 7): the footer
        # drops its padding and the palette key, which the help (?) lists.
        for footer in self.query(KeyFooter):
            footer.compact = narrow
            footer.show_command_palette = not narrow
            footer.hidden_actions = FOOTER_WHEN_ROOMY if width < ROOMY_WIDTH else frozenset()
            footer.bindings_changed(self.screen)

    # -- lessons ------------------------------------------------------------------------------
    @property
    def lesson(self) -> catalog.Lesson:
        return self.curriculum.get(self.progress.lesson) or self.curriculum.lessons[0]

    def open_lesson(self, lesson_id: str, tab: str | None = None) -> None:
        """Show a lesson: prose, demo and quiz; remember it as where the learner is."""
        lesson = self.curriculum.get(lesson_id)
        if lesson is None:
            return
        changed = lesson_id != self._shown_lesson
        self._shown_lesson = lesson_id
        self.progress.visit(lesson_id, tab)
        if changed:
            try:
                prose = lesson.prose()
            except catalog.CurriculumError as exc:
                prose = f"# {lesson.label}\n\nこのレッスンの説明を読めませんでした。\n\n```text\n{exc}\n```"
            # The header and the lesson list follow the prose: they change in the frame that shows
            # the new lesson's first screenful, never over the old one (issue 14, case 5).
            self._show_prose(prose, lesson)
            if not self._started:  # nothing older on screen to disagree with
                self._show_state(lesson)
            self.query_one("#prose-scroll").scroll_home(animate=False)
            if self.progress.tab == "demo" or not self._started:
                self._mount_demo()
            # else n / p land on the prose: its first frame waits neither for the demo nor its removal;
            # _show_prose builds the demo once that frame is drawn
            self._show_quiz(lesson)
            self.query_one(ExercisePanel).set_lesson(lesson, exercise_registry.for_lesson(lesson_id),
                                                     self.progress.of(lesson_id))
        else:
            self._show_state(lesson)
        self.query_one("#lesson-tabs", TabbedContent).active = TAB_IDS.get(self.progress.tab, "tab-prose")
        self.save()

    def _mount_demo(self) -> None:
        """The shown lesson's 実験 tab, unless it is there already (it may be asked for twice)."""
        try:
            host = self.query_one("#demo-host")
        except (NoMatches, ScreenStackError):
            return  # the app closed before the timer fired
        lesson = self.lesson
        live = [d for d in host.children if not (d._closing or d._pruning)]
        if any(isinstance(d, LessonDemo) and d.lesson.id == lesson.id for d in live):
            return
        for old in live:  # the previous lesson's demo, left hidden until now so a switch stays quick
            old.remove()
        host.mount(demo_class(lesson.demo)(lesson, self.progress.sentence, self.device))
        if self._started and self.progress.tab == "demo":
            self.call_after_refresh(self.query_one("#lesson-tabs", PageTabs).focus_active)

    def _show_prose(self, prose: str, lesson: catalog.Lesson) -> None:
        """The first screenful at once, the rest once that is drawn (see widgets/prose.py).

        The two parts go to two Markdown widgets, one under the other: Markdown.append
        is made for streaming and rewrites the last block it has, which would eat a
        code block that ends the first part.
        """
        head, tail = split_first_screen(prose)
        shown = self.query_one("#prose", Markdown).update(head)
        rest = self.query_one("#prose-rest", Markdown)
        # Hidden until it holds this lesson's tail: the old lesson's hundreds of blocks would
        # otherwise be laid out again in the new lesson's first frame (~0.8 s from the 実験 tab).
        rest.display = False
        rest.update("")

        async def show_rest() -> None:
            # One batch holds the screen until the first screenful is mounted *and* the header names
            # its lesson, so no frame shows one lesson's header over another's prose (issue 14, case 5).
            with self.batch_update():
                await shown
                if lesson.id == self._shown_lesson:
                    self._show_state(lesson)
                    self.query_one(LessonList).highlighted = self.curriculum.index(lesson.id)
            drawn = asyncio.Event()  # the tail's hundreds of blocks wait until that frame is on screen
            self.call_after_refresh(drawn.set)
            await drawn.wait()
            self.set_timer(DEMO_DELAY, self._mount_demo)
            try:
                await rest.update(tail)
            finally:  # shown even if the update was cut short: never a lesson with half its prose hidden
                rest.display = True

        # exclusive: switching lessons cancels the tail of the previous one
        self.run_worker(show_rest(), group="prose", exclusive=True, exit_on_error=False)

    def action_next_lesson(self) -> None:
        i = self.curriculum.index(self.lesson.id)
        if i + 1 < len(self.curriculum):
            self.open_lesson(self.curriculum.lessons[i + 1].id, "prose")
        else:
            self.notify("最後のレッスンです。", timeout=3)

    def action_previous_lesson(self) -> None:
        i = self.curriculum.index(self.lesson.id)
        if i > 0:
            self.open_lesson(self.curriculum.lessons[i - 1].id, "prose")
        else:
            self.notify("最初のレッスンです。", timeout=3)

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#lesson-tabs", TabbedContent).active = TAB_IDS[tab]

    @on(TabbedContent.TabActivated, "#lesson-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id != event.tabbed_content.active:
            return  # stale: the tab shown at compose time, already replaced by the resumed one
        tab = TAB_NAMES.get(event.pane.id or "")
        self.refresh_bindings()  # the footer shows [ ] only on the 実験 tab
        if tab == "demo":
            self._mount_demo()
        if tab and tab != self.progress.tab:
            self.progress.tab = tab
            self.save()

    @on(OptionList.OptionSelected, "#lesson-list")
    def _lesson_picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == ENDING_ID:
            self.action_completion()
        elif event.option.id:
            self.open_lesson(event.option.id, "prose")

    def check_action(self, action: str, parameters) -> bool | None:
        """Show "Esc 入力を抜ける" in the footer only while an input box has the keys."""
        if action == "leave_input":
            return isinstance(self.focused, Input)
        if action == "prose":
            return self.progress.tab == "prose"
        if action == "inner_tab":
            return self.progress.tab == "demo" and self._demo_tabs() is not None
        return True

    def _demo_tabs(self) -> PageTabs | None:
        """The 実験 tab's own tabs (L1's 解析表 / 比較 / one-hot, L2's 類似語 / …), if it has any."""
        tabs = self.query_one("#demo-host").query(PageTabs)
        return tabs.first() if tabs else None

    def action_inner_tab(self, step: int) -> None:
        """] / [: the next or previous page inside the 実験 tab, without reaching for the mouse."""
        tabs = self._demo_tabs()
        if tabs is not None:
            tabs.step(step)

    def action_prose(self, method: str) -> None:
        """Scroll the 説明 tab from the keyboard."""
        getattr(self.query_one("#prose-scroll", VerticalScroll), f"action_{method}")()

    def action_leave_input(self) -> None:
        """Esc: hand the keys back to the app, so n / p / q work again after typing."""
        if isinstance(self.focused, Input):
            self.set_focus(None)

    def action_toggle_lessons(self) -> None:
        self.query_one(LessonList).toggle_class("-hidden")

    # -- quiz ---------------------------------------------------------------------------------
    def action_completion(self) -> None:
        """修了: what the course taught and where to go next (after the last quiz, or from the lesson list)."""
        still_open = [lesson.label for lesson in self.curriculum if self.progress.state(lesson.id) != DONE]
        self.push_screen(CompletionScreen(ending_text(self.paths.lessons_dir), still_open))

    @property
    def course_complete(self) -> bool:
        return all(self.progress.state(lesson.id) == DONE for lesson in self.curriculum)

    def _show_course_state(self) -> None:
        # the 修了 entry appears with the last lesson complete (the course may still have open lessons)
        last_done = self.progress.state(self.curriculum.lessons[-1].id) == DONE
        self.query_one(LessonList).show_ending(last_done, self.course_complete)

    def _show_quiz(self, lesson: catalog.Lesson) -> None:
        """The lesson's quiz for the pass on screen: recall questions from earlier lessons first."""
        lp = self.progress.of(lesson.id)
        try:
            questions, attempt = quiz_for(self.curriculum, lesson, lp.answers, lp.attempts)
        except catalog.CurriculumError as exc:
            questions, attempt = (), 0
            self.notify(str(exc), title="クイズを読めません", severity="error")
        self.query_one(QuizPanel).set_lesson(lesson, questions, lp, attempt, self.progress.counted(questions))

    def on_quiz_panel_answered(self, message: QuizPanel.Answered) -> None:
        lesson = self.curriculum.get(message.lesson_id)
        if lesson is None:
            return
        quiz = self.query_one(QuizPanel)
        was_done = self.progress.state(lesson.id) == DONE
        self.progress.answer(lesson.id, quiz.questions, message.question_id, message.choice)
        quiz.refresh_quiz()
        self._show_state(lesson)
        self.save()
        if not was_done and self.progress.state(lesson.id) == DONE:
            self._show_course_state()
            if lesson is self.curriculum.lessons[-1]:
                self.action_completion()
            else:
                self.notify(f"{lesson.label} を完了しました。n キーで次のレッスンへ進めます。", title="合格", timeout=8)

    def on_quiz_panel_restarted(self, message: QuizPanel.Restarted) -> None:
        self.progress.restart_quiz(message.lesson_id)
        lesson = self.curriculum.get(message.lesson_id)
        if lesson is not None:  # a new pass: other recall questions, the choices shuffled again
            self._show_quiz(lesson)
        self.query_one(QuizPanel).focus_first()
        self.save()

    # -- exercises ----------------------------------------------------------------------------
    def _exercise_counts(self, lesson_id: str) -> tuple[int, int]:
        """(passed, total) of a lesson's 演習, for the lesson list."""
        return self.progress.exercises_passed(lesson_id), len(exercise_registry.for_lesson(lesson_id))

    def on_exercise_panel_progress_changed(self, message: ExercisePanel.ProgressChanged) -> None:
        self.save()
        lesson = self.curriculum.get(message.lesson_id)
        if lesson is not None:
            self._show_state(lesson)
        exercise = exercise_registry.get(message.exercise_id)
        if message.passed_now:
            more = f"m キーで、{exercise.drives}をあなたの実装で動かせます。" if exercise and exercise.drives else ""
            self.notify(f"演習 {message.exercise_id} に合格しました。{more}", title="合格", timeout=8)
        if exercise is not None and exercise.drives:  # 「自分の実装で動かす」 may have changed: the demo runs again
            for demo in self.query(LessonDemo):
                if demo.lesson.id == message.lesson_id:
                    demo.rerun()

    def learner_code(self, exercise_id: str) -> LearnerCode | None:
        """The learner's passed implementation of ``exercise_id`` while 「自分の実装で動かす」 is on, else None.

        Called by demo pages from their worker threads; the file is loaded in a sandbox on first use."""
        exercise = exercise_registry.get(exercise_id)
        lesson = self.progress.lessons.get(exercise.lesson) if exercise else None
        ep = lesson.exercises.get(exercise_id) if lesson else None
        with self._learner_lock:
            if exercise is None or not (ep and ep.passed and ep.mine):
                code = self._learner_codes.pop(exercise_id, None)
                if code is not None:
                    code.close()
                return None
            if exercise_id not in self._learner_codes:
                path = workspace_dir(self.paths.data_dir) / exercise.file_name
                self._learner_codes[exercise_id] = LearnerCode(exercise, path)
            return self._learner_codes[exercise_id]

    # -- your sentence ------------------------------------------------------------------------
    def action_set_sentence(self) -> None:
        self.push_screen(SentenceScreen(self.progress.sentence, self.samples), self._sentence_done)

    def _sentence_done(self, text: str | None) -> None:
        if text:
            self.set_sentence(text)

    def on_sentence_chosen(self, message: SentenceChosen) -> None:
        self.set_sentence(message.text)

    def set_sentence(self, text: str) -> None:
        """The learner's sentence, cleaned as every demo will read it (controls out, lone surrogates
        replaced: one would make the progress file unwritable), capped and NFKC-normalized."""
        text = clean(text).text
        if not text:
            self.notify("文が空です。何か入力するか、サンプルを選んでください。", severity="warning", timeout=4)
            return
        if text == self.progress.sentence:
            return
        self.progress.sentence = text
        self.save()
        self._show_sentence()
        for demo in self.query(LessonDemo):
            demo.sentence_changed(text)
        self.notify("あなたの文を設定しました。", timeout=3)

    # -- theme, help, palette -----------------------------------------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = THEMES["light"] if self.theme == THEMES["dark"] else THEMES["dark"]

    def _theme_changed(self, theme) -> None:
        name = "dark" if theme.dark else "light"
        if name != self.settings.theme:
            self.settings.theme = name
            self.save_settings()

    def action_command_palette(self) -> None:
        """ctrl+p: the command palette, in Japanese."""
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def action_help(self) -> None:
        self.push_screen(HelpScreen([b for b in self.BINDINGS if b.tooltip]))

    def get_system_commands(self, screen):
        yield from app_commands(self)

    # -- top bar and saving ---------------------------------------------------------------------
    def _top_bar(self) -> TopBar:
        """The top bar; a detached stand-in while the app is closing (workers may still report)."""
        try:
            return self.query_one(TopBar)
        except (NoMatches, ScreenStackError):
            return TopBar()

    def _show_state(self, lesson: catalog.Lesson) -> None:
        """The lesson's state, in the top bar and in the lesson list."""
        state = self.progress.state(lesson.id)
        self._top_bar().show_lesson(lesson.label, STATE_LABELS[state])
        self.query_one(LessonList).update_state(lesson, state, self._exercise_counts(lesson.id))

    def _show_sentence(self) -> None:
        self._top_bar().show_sentence(self.progress.sentence)

    def _show_device(self) -> None:
        choice = self.device
        self._top_bar().show_device(self.requested_device, choice and choice.device, bool(choice and choice.notice))

    def save(self) -> None:
        try:
            self.store.save_progress(self.progress)
        except OSError as exc:
            self.notify(f"進捗を保存できませんでした ({self.store.progress_file}): {exc.strerror}", severity="error")

    def save_settings(self) -> None:
        try:
            self.store.save_settings(self.settings)
        except OSError as exc:
            self.notify(f"設定を保存できませんでした ({self.store.settings_file}): {exc.strerror}", severity="error")


def build_app(paths: Paths | None = None, device: str | None = None, **kwargs) -> TutorApp:
    """The app, with every path passed in (tests point them at a temporary directory).

    Japanese line breaking is switched on here, not when this module is imported: importing
    must not change Rich for others, and a failure must reach the learner, not pass silently.
    """
    wraps = cjk_wrap.install()
    app = TutorApp(paths or default_paths(), device=device, **kwargs)
    if not wraps:
        app.startup_notices.append(cjk_wrap.FAILED)
    return app
