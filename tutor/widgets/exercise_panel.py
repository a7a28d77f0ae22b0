"""ExercisePanel: the 演習 tab. The statement, the learner's file, and each case's verdict after every save.

The panel never runs the learner's code itself: a check goes through
tutor.exercises.checking (a sandboxed child process) in a thread worker. It
polls the file's size and mtime twice a second while it is on screen, so
saving in any editor re-checks within a second. What the learner did (passed,
gave up, 「自分の実装で動かす」) lives in their LessonProgress; the app saves it
when :class:`ExercisePanel.ProgressChanged` arrives.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Static, Tab, Tabs

from ..curriculum.catalog import CurriculumError, Lesson
from ..curriculum.progress import LessonProgress
from ..exercises import checking, workspace
from ..exercises.checking import Report
from ..exercises.spec import Exercise
from .page_tabs import FocusTarget, shown

#: Seconds between two looks at the learner's file (a save is checked within a second).
POLL_SECONDS = 0.5


def editor_command() -> list[str] | None:
    """$VISUAL or $EDITOR, split as a shell would; None when neither is set."""
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    try:
        return shlex.split(value) if value else None
    except ValueError:
        return None


class ExercisePanel(FocusTarget, VerticalScroll, can_focus=True):
    """The lesson's exercises, one at a time (tabs above when there are two)."""

    DEFAULT_CSS = """
    ExercisePanel { padding: 0 1; }
    ExercisePanel:focus { background-tint: $foreground 0%; }
    ExercisePanel #ex-tabs { margin-bottom: 1; }
    ExercisePanel #ex-head { text-style: bold; }
    ExercisePanel #ex-file { color: $text-muted; }
    ExercisePanel #ex-buttons { height: auto; margin: 1 0; }
    ExercisePanel #ex-buttons Button {
        height: 1; min-width: 0; width: auto; border: none; padding: 0 1; margin-right: 0;
    }
    ExercisePanel #ex-result { height: auto; }
    ExercisePanel #ex-result .why { padding-left: 6; }
    ExercisePanel #ex-result .case { padding-left: 2; }
    ExercisePanel #ex-result, ExercisePanel #ex-hint, ExercisePanel #ex-solution { margin-bottom: 1; }
    ExercisePanel #ex-statement-title { text-style: bold; }
    """

    BINDINGS = [
        Binding("c", "check", "確かめる", id="exercise.check", show=False, tooltip="演習: ファイルをいま確かめる"),
        Binding("e", "edit", "編集", id="exercise.edit", show=False,
                tooltip="演習: ファイルを $EDITOR で開く（なければ作る）"),
        Binding("h", "hint", "ヒント", id="exercise.hint", show=False, tooltip="演習: ヒントを表示する"),
        Binding("a", "solution", "解答例", id="exercise.solution", show=False,
                tooltip="演習: 解答例（合格後。合格前は 2 回押すと、あきらめた記録を残して表示）"),
        Binding("m", "mine", "自分の実装", id="exercise.mine", show=False,
                tooltip="演習: 合格した自分の関数で、このレッスンの実験を動かす（切り替え）"),
    ]

    class Checked(Message):
        """A check finished (in a worker thread)."""

        def __init__(self, lesson_id: str, exercise_id: str, report: Report) -> None:
            super().__init__()
            self.lesson_id, self.exercise_id, self.report = lesson_id, exercise_id, report

    class ProgressChanged(Message):
        """The learner's progress on an exercise changed (pass, give-up, 自分の実装); the app saves it."""

        def __init__(self, lesson_id: str, exercise_id: str, passed_now: bool = False) -> None:
            super().__init__()
            self.lesson_id, self.exercise_id, self.passed_now = lesson_id, exercise_id, passed_now

    def __init__(self, lessons_dir: Path, folder: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lessons_dir = lessons_dir
        self.folder = folder
        self.lesson: Lesson | None = None
        self.exercises: tuple[Exercise, ...] = ()
        self.progress = LessonProgress()
        self.current: Exercise | None = None
        self.reports: dict[str, Report] = {}  # exercise id -> the last check (kept across lessons)
        self._seen: dict[str, tuple[int, int] | None] = {}  # exercise id -> the file's (mtime_ns, size) last checked
        self._checking: str | None = None
        self._hint_shown: set[str] = set()
        self._solution_shown: set[str] = set()
        self._give_up_asked: str | None = None

    def compose(self) -> ComposeResult:
        yield Tabs(id="ex-tabs")
        yield Static(id="ex-head")
        yield Static(id="ex-file")
        with Horizontal(id="ex-buttons"):
            yield Button("e 編集", id="ex-edit", variant="primary")
            yield Button("c 確かめる", id="ex-check")
            yield Button("h ヒント", id="ex-hint")
            yield Button("a 解答例", id="ex-solution")
            yield Button("m 自分の実装", id="ex-mine")
        yield Vertical(id="ex-result")
        yield Static(id="ex-hint")
        yield Static(id="ex-solution")
        yield Static("問題", id="ex-statement-title")
        yield Static(id="ex-statement")

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll)

    # -- which lesson, which exercise -------------------------------------------------------
    def set_lesson(self, lesson: Lesson, exercises: tuple[Exercise, ...], progress: LessonProgress) -> None:
        self.lesson, self.exercises, self.progress = lesson, exercises, progress
        tabs = self.query_one("#ex-tabs", Tabs)
        tabs.clear()
        for e in exercises:
            tabs.add_tab(Tab(self._tab_label(e), id=f"ex-{e.id}"))
        tabs.display = len(exercises) > 1
        self.current = exercises[0] if exercises else None
        self._give_up_asked = None
        self.refresh_panel()

    def _tab_label(self, e: Exercise) -> str:
        ep = self.progress.exercises.get(e.id)
        return ("✓ " if ep and ep.passed else "") + e.id

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab_id = event.tab.id or ""
        chosen = next((e for e in self.exercises if f"ex-{e.id}" == tab_id), None)
        if chosen is not None and chosen is not self.current:
            self.current = chosen
            self._give_up_asked = None
            self.refresh_panel()

    def path(self, exercise: Exercise) -> Path:
        return self.folder / exercise.file_name

    # -- drawing -----------------------------------------------------------------------------
    def refresh_panel(self) -> None:
        ex = self.current
        head = self.query_one("#ex-head", Static)
        widgets = [self.query_one(f"#{i}") for i in ("ex-file", "ex-buttons", "ex-result", "ex-hint", "ex-solution",
                                                     "ex-statement-title", "ex-statement")]
        if ex is None:
            head.update(Text("このレッスンには演習がありません。演習は L1 から始まります（n キーで次のレッスンへ）。"))
            for w in widgets:
                w.display = False
            return
        for w in widgets:
            w.display = True
        ep = self.progress.exercises.get(ex.id)
        passed = bool(ep and ep.passed)
        title = Text(f"演習 {ex.id}: {ex.title}  ")
        title.append("合格" if passed else ("あきらめた" if ep and ep.gave_up else "未合格"),
                     style="bold green" if passed else "yellow")
        head.update(title)
        path = self.path(ex)
        file_line = Text("ファイル: ")
        file_line.append(str(path))  # a Text, never markup: a folder may be named [b]
        if not path.exists():
            file_line.append("（まだありません。e で作ります）")
        self.query_one("#ex-file", Static).update(file_line)
        mine = self.query_one("#ex-mine", Button)
        mine.display = bool(ex.drives)
        mine.disabled = not passed
        mine.label = "m 自分の実装: ON" if ep and ep.mine and passed else "m 自分の実装"
        mine.variant = "success" if ep and ep.mine and passed else "default"
        self._draw_result(ex, path)
        self._draw_texts(ex, passed)
        self.query_one("#ex-tabs", Tabs).display = len(self.exercises) > 1
        for e in self.exercises:
            try:
                self.query_one("#ex-tabs", Tabs).query_one(f"#ex-{e.id}", Tab).label = self._tab_label(e)
            except NoMatches:  # the tab is being replaced (a lesson switch)
                pass

    def _draw_result(self, ex: Exercise, path: Path) -> None:
        """The verdict and one line per case; a case's message wraps under its own indent (one Static each)."""
        report = self.reports.get(ex.id)
        if self._checking == ex.id:
            lines = [Static(Text("確かめています…", style="italic"))]
        elif report is None:
            text = Text("ファイルを保存するたびに、自動で確かめます（c でいつでも）。" if path.exists()
                        else "e でファイルを作り、好きなエディタで関数を書いて保存してください。", style="dim")
            if ex.drives:
                text.append(f"\n合格すると、{ex.drives}を自分の実装で動かせます（m）。", style="dim")
            lines = [Static(text)]
        else:
            lines = [Static(Text(line.strip() if kind in INDENTED else line, style=STYLES[kind]),
                            classes=INDENTED.get(kind, ""))
                     for kind, line in checking.report_lines(report, ex.tolerance)]
        box = self.query_one("#ex-result", Vertical)
        with self.app.batch_update():
            box.remove_children()
            box.mount_all(lines)

    def result_text(self) -> str:
        """The verdict and the cases as plain text (what the result box shows)."""
        return "\n".join(str(w.render()) for w in self.query_one("#ex-result", Vertical).query(Static))

    def _draw_texts(self, ex: Exercise, passed: bool) -> None:
        try:
            texts = workspace.texts(ex, self.lessons_dir)
        except CurriculumError as exc:
            self.query_one("#ex-statement", Static).update(Text(str(exc), style="red"))
            return
        self.query_one("#ex-statement", Static).update(Text(texts.statement))
        hint = self.query_one("#ex-hint", Static)
        hint.display = ex.id in self._hint_shown
        if hint.display:
            hint.update(Text("ヒント\n", style="bold") + Text(texts.hint))
        solution = self.query_one("#ex-solution", Static)
        ep = self.progress.exercises.get(ex.id)
        if self._give_up_asked == ex.id:
            solution.display = True
            solution.update(Text("まだ合格していません。"
                                 "もう一度 a を押すと、「あきらめた」と記録して解答例を表示します。",
                                 style="yellow"))
        else:
            solution.display = ex.id in self._solution_shown and bool(ep and ep.may_see_solution)
            if solution.display:
                from rich.syntax import Syntax

                solution.update(Syntax(texts.solution, "python", theme="ansi_dark", line_numbers=False, word_wrap=True))

    # -- checking -----------------------------------------------------------------------------
    def _signature(self, path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def _poll(self) -> None:
        """While on screen: re-check the file when it changed on disk (a save in any editor)."""
        ex = self.current
        if ex is None or self._checking or not shown(self):
            return
        signature = self._signature(self.path(ex))
        if signature is not None and signature != self._seen.get(ex.id):
            self.start_check()

    def start_check(self) -> None:
        ex, lesson = self.current, self.lesson
        if ex is None or lesson is None:
            return
        path = self.path(ex)
        self._seen[ex.id] = self._signature(path)
        self._checking = ex.id
        self.refresh_panel()
        self._run_check(lesson.id, ex, path)

    @work(thread=True, exclusive=True, group="exercise-check", exit_on_error=False)
    def _run_check(self, lesson_id: str, ex: Exercise, path: Path) -> None:
        try:
            report = checking.check(ex, path)
        except Exception as exc:  # noqa: BLE001 - the panel must say what happened, not die
            report = Report(ex.id, False, error=f"確かめられませんでした（{type(exc).__name__}: {exc}）")
        self.post_message(self.Checked(lesson_id, ex.id, report))

    def on_exercise_panel_checked(self, message: "ExercisePanel.Checked") -> None:
        self.reports[message.exercise_id] = message.report
        if self._checking == message.exercise_id:
            self._checking = None
        if message.report.passed and self.lesson is not None and self.lesson.id == message.lesson_id:
            ep = self.progress.exercise(message.exercise_id)
            first = not ep.passed
            ep.passed = True
            self.post_message(self.ProgressChanged(message.lesson_id, message.exercise_id, passed_now=first))
        self.refresh_panel()

    # -- actions ------------------------------------------------------------------------------
    def action_check(self) -> None:
        ex = self.current
        if ex is None:
            return
        if not self.path(ex).exists():
            self.app.notify("まだファイルがありません。e で作ってください。", timeout=4)
            return
        self.start_check()

    def action_edit(self) -> None:
        ex = self.current
        if ex is None:
            return
        from ..serve import served

        if served():  # the file would be on the server, out of the learner's reach; and no code of theirs runs there
            self.app.notify("ブラウザ版では演習のファイルを編集できません。"
                            "自分のマシンに入れた tutor で演習してください"
                            "（README の「インストール」）。", title="演習", timeout=10)
            return
        try:
            path, created = workspace.start(ex, self.folder, self.lessons_dir)
        except (OSError, CurriculumError) as exc:
            self.app.notify(f"ファイルを作れませんでした: {exc}", severity="error", timeout=8)
            return
        command = editor_command()
        if command is None:
            self.app.notify(f"{'作りました' if created else 'ファイルはここにあります'}: {path}\n"
                            "好きなエディタで開いて保存してください（環境変数 EDITOR を設定すると e で開けます）。",
                            title="演習", timeout=10)
        else:
            try:
                with self.app.suspend():
                    subprocess.call([*command, str(path)])
            except (OSError, Exception) as exc:  # noqa: BLE001 - a bad $EDITOR or a terminal that cannot suspend
                self.app.notify(f"エディタを開けませんでした ({' '.join(command)}): {exc}", severity="error", timeout=8)
        self.refresh_panel()
        self._poll()

    def action_hint(self) -> None:
        if self.current is not None:
            self._hint_shown ^= {self.current.id}
            self.refresh_panel()

    def action_solution(self) -> None:
        ex, lesson = self.current, self.lesson
        if ex is None or lesson is None:
            return
        ep = self.progress.exercise(ex.id)
        if ep.may_see_solution:
            self._solution_shown ^= {ex.id}
        elif self._give_up_asked == ex.id:
            ep.gave_up = True
            self._give_up_asked = None
            self._solution_shown.add(ex.id)
            self.post_message(self.ProgressChanged(lesson.id, ex.id))
        else:
            self._give_up_asked = ex.id
        self.refresh_panel()

    def action_mine(self) -> None:
        ex, lesson = self.current, self.lesson
        if ex is None or lesson is None or not ex.drives:
            return
        ep = self.progress.exercise(ex.id)
        if not ep.passed:
            self.app.notify("合格すると、自分の実装で実験を動かせます。", timeout=4)
            return
        ep.mine = not ep.mine
        self.post_message(self.ProgressChanged(lesson.id, ex.id))
        self.refresh_panel()
        self.app.notify(f"{ex.drives}を{'あなたの実装で動かします' if ep.mine else 'プロジェクトの実装に戻しました'}。"
                        + ("実験タブ (2) で見られます。" if ep.mine else ""), timeout=5)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"ex-edit": self.action_edit, "ex-check": self.action_check, "ex-hint": self.action_hint,
                  "ex-solution": self.action_solution, "ex-mine": self.action_mine}.get(event.button.id or "")
        if action is not None:
            action()

    def focus_main(self) -> None:
        self.focus()


#: How each kind of report line is drawn (see checking.report_lines), and which are indented.
STYLES = {"passed": "bold green", "failed": "bold red", "error": "red", "ok": "green", "ng": "red", "skip": "dim",
          "why": "yellow", "note": "dim", "printed": "dim"}
INDENTED = {"ok": "case", "ng": "case", "skip": "case", "why": "why", "printed": "case"}
