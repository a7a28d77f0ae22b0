"""The frame every lesson's 実験 tab is built on: a LessonDemo holds Pages; a Page computes in a worker and draws.

A page is one class (see docs/DEMOS.md for the whole contract):

- ``compose()`` builds its controls; ``MAIN`` names the control that takes the
  keys when the page shows (a selector; never a text field: the learner asks for
  one with Enter, see the focus model in docs/FOCUS.md);
- ``request(*args)`` asks for a new result: ``compute(*args)`` runs in a thread
  worker, one at a time per page (a newer request cancels the older one), and
  ``draw(result)`` runs on the UI thread with the newest request's result only;
- inside ``compute``, ``report(value)`` streams a partial result to
  ``draw_partial(value)`` under the same rule, and ``cancelled()`` says whether to
  stop early; a :class:`PageError` becomes ``show_error(text)``.

There are no per-page message classes and no counters: the worker object itself
says which request a result answers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from ..core.device import DeviceChoice
from ..curriculum.catalog import Lesson
from ..widgets.page_tabs import FocusTarget, PageTabs, shown


class PageError(Exception):
    """Raised in ``compute`` for a failure the learner should read (a model missing, an empty sentence)."""


def hidden(widget: Widget) -> Widget:
    """``widget``, not displayed until the page shows it (composed hidden: no blank line meanwhile)."""
    widget.display = False
    return widget


def gone(widget: Widget) -> bool:
    """Removed before its mount event ran (the learner switched lessons quickly):
    its children are gone too, so an ``on_mount`` must not touch them."""
    return widget._pruning or widget._closing or not widget.is_attached


class SentenceChosen(Message):
    """A demo asks the app to make ``text`` the learner's sentence."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Focusable(FocusTarget):
    """Gives the keys to ``MAIN`` (a selector) when shown; the widget itself if it can focus; else to nothing."""

    MAIN: ClassVar[str | None] = None

    def main_control(self) -> Widget | None:
        if self.MAIN:  # type: ignore[attr-defined]
            found = self.query(self.MAIN)  # type: ignore[attr-defined]
            return found.first() if found else None
        return self if self.can_focus else None  # type: ignore[attr-defined]

    def focus_main(self) -> None:
        target = self.main_control()
        if target is not None and not isinstance(target, Input) and target.focusable:
            target.focus(scroll_visible=False)
        elif not isinstance(self.screen.focused, Input):  # type: ignore[attr-defined]
            self.screen.set_focus(None)  # type: ignore[attr-defined]


class LessonDemo(Focusable, Widget):
    """A lesson's 実験 tab. The app tells it when the learner's sentence or the device changes."""

    DEFAULT_CSS = """
    LessonDemo { height: 1fr; }
    """

    def __init__(self, lesson: Lesson, sentence: str, device: DeviceChoice | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson = lesson
        self.sentence = sentence
        self.device = device

    @property
    def gone(self) -> bool:
        return gone(self)

    @property
    def torch_device(self) -> str:
        """Where this demo's models run: the learner's choice once resolved, the CPU until then."""
        return self.device.device if self.device is not None else "cpu"

    def pages(self) -> list[Page]:
        return list(self.query(Page))

    def sentence_changed(self, sentence: str) -> None:
        """The learner's sentence changed: every page built so far redraws for it."""
        self.sentence = sentence
        for page in self.pages():
            page.sentence_changed(sentence)

    def device_changed(self, device: DeviceChoice) -> None:
        """The device models should run on changed (or was resolved after start-up): pages run again."""
        before = self.torch_device
        self.device = device
        if self.torch_device != before and self.is_mounted:
            self.rerun()

    def rerun(self) -> None:
        """Run the models again (the device changed): every page built so far recomputes."""
        for page in self.pages():
            page.sentence_changed(self.sentence)


class ComingSoon(LessonDemo):
    """準備中: says so plainly and lists what the demos will show."""

    DEFAULT_CSS = """
    ComingSoon #coming-soon { padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("このレッスンの実験は準備中です。\n\n", style="bold")
        text.append("説明タブ (1) で、このレッスンで学ぶ内容の概要を読めます。\n")
        if self.lesson.concepts:
            text.append(f"扱う概念: {', '.join(self.lesson.concepts)}\n", style="dim")
        text.append(f"\n{self.lesson.summary}\n", style="italic")
        with VerticalScroll():
            yield Static(text, id="coming-soon")


class Page(Focusable, Widget):
    """One page of a lesson's 実験 tab: controls, a ``compute`` in a worker, a ``draw`` of its result."""

    DEFAULT_CSS = """
    Page { height: 1fr; }
    Page .row { height: auto; }
    Page .row Button { margin-right: 1; width: auto; min-width: 6; }
    Page .row Label { padding: 0 1 0 0; }
    Page .hint { height: auto; color: $text-muted; padding: 0 1; }
    Page .message { height: auto; color: $warning; padding: 0 1; }
    Page .body { height: auto; padding: 0 1; }
    """

    #: Enter on the page (not in a field) puts the cursor in its text field, if it has one.
    BINDINGS: ClassVar[list[Binding]] = [Binding("enter", "edit", "入力", show=False)]
    #: The page's text field, if any (a selector): focused only when the learner asks (Enter).
    INPUT: ClassVar[str | None] = None

    class Reported(Message):
        """A partial result from a running ``compute`` (``report``)."""

        def __init__(self, worker: Worker, value: Any) -> None:
            super().__init__()
            self.worker, self.value = worker, value

    def __init__(self, demo: LessonDemo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo
        self._request: Worker | None = None

    # -- what the page knows -------------------------------------------------------------
    @property
    def models_dir(self):
        return self.app.paths.models_dir  # type: ignore[attr-defined]

    @property
    def device(self) -> str:
        return self.demo.torch_device

    @property
    def sentence(self) -> str:
        return self.demo.sentence

    def learner(self, exercise_id: str):
        """The learner's own implementation for this step (tutor.exercises.mine.LearnerCode), when they
        passed that 演習 and turned 「自分の実装で動かす」 on; else None. Safe to call from ``compute``."""
        get = getattr(self.app, "learner_code", None)
        return get(exercise_id) if get is not None else None

    def on_mount(self) -> None:
        if not gone(self):
            self.sentence_changed(self.demo.sentence)

    def sentence_changed(self, sentence: str) -> None:
        """Redraw for the learner's (new) sentence, or after a device change."""

    def action_edit(self) -> None:
        if self.INPUT:
            for box in self.query(self.INPUT):
                box.focus()
                return

    # -- requests --------------------------------------------------------------------------
    def request(self, *args: Any) -> Worker:
        """Compute anew with ``args`` in a thread; the result of an older request is dropped."""
        self._request = self.run_worker(
            lambda: self.compute(*args), thread=True, exclusive=True, group="page", exit_on_error=False
        )
        return self._request

    def compute(self, *args: Any) -> Any:
        """Runs in a worker thread: the slow part (models, decoding). Never touches widgets."""
        raise NotImplementedError

    def draw(self, result: Any) -> None:
        """Runs on the UI thread with the newest request's result."""

    def draw_partial(self, value: Any) -> None:
        """Runs on the UI thread with what the newest request reported so far."""

    def export_numbers(self):
        """The numbers behind what the page draws, for the x key (a :class:`tutor.export.Numbers`
        written as CSV and JSON beside the picture); None: the picture alone."""
        return None

    def show_error(self, text: str) -> None:
        """A request failed: say so in the page's ``.message`` line (or override)."""
        for line in self.query(".message"):
            line.update(Text(text))  # type: ignore[attr-defined]
            return
        self.notify(text, severity="error")

    def clear_error(self) -> None:
        for line in self.query(".message"):
            line.update("")  # type: ignore[attr-defined]
            return

    def report(self, value: Any) -> None:
        """From inside ``compute``: show ``value`` now (``draw_partial``), if this request is still wanted."""
        worker = get_current_worker()
        if not worker.is_cancelled:
            self.post_message(self.Reported(worker, value))

    @staticmethod
    def cancelled() -> bool:
        """From inside ``compute``: a newer request (or a lesson switch) made this one pointless."""
        return get_current_worker().is_cancelled

    @property
    def busy(self) -> bool:
        """A request is still running."""
        return self._request is not None and not self._request.is_finished

    @on(Reported)
    def _reported(self, message: Reported) -> None:
        message.stop()
        if message.worker is self._request and not gone(self):
            self.draw_partial(message.value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._request or gone(self):
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.clear_error()
            self.draw(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.show_error(str(error) if isinstance(error, PageError) else f"エラー: {error}")


class TabbedDemo(LessonDemo):
    """A demo made of pages, one per inner tab; ``PAGES`` maps each tab's title to its Page class.

    A page is built the first time its tab is shown; ``]`` / ``[`` (the app's keys)
    step through the tabs, and the shown page's main control has the keys.
    """

    DEFAULT_CSS = """
    TabbedDemo > PageTabs { height: 1fr; }
    """

    #: pane id -> (tab title, Page class), in order.
    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {}

    def compose(self) -> ComposeResult:
        with PageTabs(id="demo-tabs"):
            for pane_id, (title, _) in self.PAGES.items():
                yield TabPane(title, id=pane_id)

    @property
    def tabs(self) -> PageTabs:
        return self.query_one(PageTabs)

    def main_control(self) -> Widget | None:
        return None

    def focus_main(self) -> None:
        for tabs in self.query(PageTabs):  # none yet between mount and compose
            tabs.focus_active()
            return

    async def on_tabbed_content_tab_activated(self, event) -> None:
        event.stop()
        pane = event.pane
        entry = self.PAGES.get(pane.id or "")
        if entry is not None and not pane.query(Page):
            page = entry[1](self, id=f"{pane.id}-page")
            await pane.mount(page)
            if shown(page) and pane.id == self.tabs.active:
                page.focus_main()
