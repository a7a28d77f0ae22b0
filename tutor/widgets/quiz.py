"""QuizPanel: one question at a time, the explanation after each answer, the score at the end."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..curriculum.catalog import PASS_RATIO, Lesson, Question
from ..curriculum.progress import DONE, LessonProgress, questions_needed, quiz_passed
from .page_tabs import FocusTarget


class QuizPanel(FocusTarget, VerticalScroll):
    """Shows the lesson's quiz from the learner's saved answers, so a quiz resumes where it was left."""

    DEFAULT_CSS = """
    QuizPanel { padding: 0 1; }
    QuizPanel #quiz-rule { color: $text-muted; }
    QuizPanel #quiz-prompt { margin: 1 0; text-style: bold; }
    QuizPanel OptionList { height: auto; }
    QuizPanel #quiz-feedback { margin: 1 0 0 0; }
    QuizPanel #quiz-buttons { height: auto; margin-top: 1; }
    QuizPanel #quiz-buttons Button { margin-right: 2; }
    """

    class Answered(Message):
        """The learner chose ``choice`` for ``question_id``; the app records it and calls :meth:`refresh_quiz`."""

        def __init__(self, lesson_id: str, question_id: str, choice: int) -> None:
            super().__init__()
            self.lesson_id = lesson_id
            self.question_id = question_id
            self.choice = choice

    class Restarted(Message):
        """The learner asked to take the quiz again."""

        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson: Lesson | None = None
        self.questions: tuple[Question, ...] = ()
        self.attempt = 0  # which pass through the quiz: each retry shuffles the choices again
        self.counted: frozenset[str] = frozenset()  # ids of the questions the pass rule counts
        self.progress = LessonProgress()
        self.feedback_for: str | None = None  # question whose explanation is on screen

    def compose(self) -> ComposeResult:
        yield Static(id="quiz-rule")
        yield Static(id="quiz-prompt")
        yield OptionList(id="quiz-choices")
        yield Static(id="quiz-feedback")
        with Horizontal(id="quiz-buttons"):
            yield Button("次の問題へ", id="quiz-next", variant="primary")
            yield Button("もう一度解く", id="quiz-restart")

    def set_lesson(self, lesson: Lesson, questions: tuple[Question, ...], progress: LessonProgress, attempt: int = 0,
                   counted: tuple[Question, ...] | None = None) -> None:
        """Show ``questions`` (recall ones first) for pass ``attempt``; ``counted``: those the pass rule counts."""
        self.lesson, self.questions, self.progress, self.attempt = lesson, questions, progress, attempt
        self.counted = frozenset(q.id for q in (questions if counted is None else counted))
        self.feedback_for = None
        self.refresh_quiz()

    @property
    def counted_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.id in self.counted)

    @property
    def current(self) -> Question | None:
        """The first question not answered in this pass."""
        return next((q for q in self.questions if q.id not in self.progress.answers), None)

    def refresh_quiz(self) -> None:
        rule = self.query_one("#quiz-rule", Static)
        prompt = self.query_one("#quiz-prompt", Static)
        choices = self.query_one("#quiz-choices", OptionList)
        feedback = self.query_one("#quiz-feedback", Static)
        next_button = self.query_one("#quiz-next", Button)
        restart = self.query_one("#quiz-restart", Button)
        total = len(self.questions)
        if not total:
            rule.update("")
            prompt.update(Text("このレッスンのクイズは準備中です。"))
            for w in (choices, next_button, restart):
                w.display = False
            feedback.update("")
            return
        counted = self.counted_questions
        need = questions_needed(len(counted))
        recall = sum(1 for q in self.questions if q.recall_from)
        line = (f"合格ライン: {len(counted)} 問中 {need} 問以上正解（{PASS_RATIO:.0%}）で、"
                "このレッスンは「完了」になります。")
        if recall:
            line += f"最初の {recall} 問は前のレッスンの復習です"
            line += "。" if len(counted) == total else "（開いていないレッスンの問題は数えません）。"
        rule.update(Text(line))

        if self.feedback_for is not None:
            q = next(q for q in self.questions if q.id == self.feedback_for)
            chosen = self.progress.answers.get(q.id, -1)
            self._show_question(q, total, chosen=chosen)
            choices.disabled = True
            choices.highlighted = q.display_order(self.attempt).index(chosen) if chosen >= 0 else None
            right = q.is_correct(chosen)
            msg = Text("正解です。" if right else "不正解です。", style="bold green" if right else "bold red")
            if not right:
                msg.append(f"  正解: {q.choices[q.answer].text}", style="bold")
            msg.append("\n\n解説: ", style="bold")
            msg.append(q.explanation)
            feedback.update(msg)
            next_button.display = True
            next_button.label = "結果を見る" if self.current is None else "次の問題へ"
            restart.display = False
            if choices.has_focus:
                next_button.focus()
            return

        q = self.current
        if q is None:  # every question answered: the summary
            score = self.progress.score(counted)
            passed = quiz_passed(score, len(counted))
            prompt.update(Text(f"結果: {len(counted)} 問中 {score} 問正解", style="bold"))
            choices.display = False
            lines = Text()
            lines.append("合格です。" if passed else "もう少しです。", style="bold green" if passed else "bold yellow")
            if self.progress.state == DONE:
                lines.append("このレッスンは完了しました。")
            else:
                lines.append(f"{need} 問以上で合格です。説明を読み直して、もう一度挑戦してみましょう。")
            for n, qq in enumerate(self.questions, 1):
                ok = qq.is_correct(self.progress.answers.get(qq.id, -1))
                lines.append(f"\n  問{n} ", style="bold")
                lines.append("正解" if ok else "不正解", style="green" if ok else "red")
                if qq.recall_from:
                    lines.append(f"  〔復習 {qq.recall_from}" + ("〕" if qq.id in self.counted else "・数えない〕"),
                                 style="dim")
                lines.append(f"  {qq.prompt if len(qq.prompt) <= 32 else qq.prompt[:31] + '…'}")
            feedback.update(lines)
            next_button.display = False
            restart.display = True
            return

        self._show_question(q, total)
        choices.disabled = False
        choices.highlighted = 0
        feedback.update(Text("上下キーで選び Enter で回答します（クリックでも回答できます）。", style="dim"))
        next_button.display = False
        restart.display = False

    def _show_question(self, q: Question, total: int, chosen: int | None = None) -> None:
        n = self.questions.index(q) + 1
        prompt = Text(f"問 {n}/{total}  ", style="bold")
        if q.recall_from:
            prompt.append(f"〔復習 {q.recall_from}〕", style="bold cyan")
            prompt.append(" ")
        prompt.append(q.prompt)
        self.query_one("#quiz-prompt", Static).update(prompt)
        choices = self.query_one("#quiz-choices", OptionList)
        choices.display = True
        choices.clear_options()
        options = []
        for shown, i in enumerate(q.display_order(self.attempt)):
            c = q.choices[i]
            text = Text(f"{chr(ord('a') + shown)}. {c.text}")
            if chosen is not None:  # answered: mark the right choice and the learner's, not by colour alone
                if c.correct:
                    text.append("  （正解）", style="bold green")
                elif i == chosen:
                    text.append("  （あなたの答え）", style="bold red")
            options.append(Option(text))
        choices.add_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        q = self.current
        if q is None or self.lesson is None or self.feedback_for is not None:
            return
        self.feedback_for = q.id
        self.post_message(self.Answered(self.lesson.id, q.id, q.display_order(self.attempt)[event.option_index]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "quiz-next":
            self.feedback_for = None
            self.refresh_quiz()
            self.focus_first()
        elif event.button.id == "quiz-restart" and self.lesson is not None:
            self.post_message(self.Restarted(self.lesson.id))

    def focus_main(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        """Focus what the learner acts on next: the choices, or the next / retry button."""
        for selector in ("#quiz-choices", "#quiz-next", "#quiz-restart"):
            widget = self.query_one(selector)
            if widget.display and not widget.disabled:
                widget.focus()
                return
