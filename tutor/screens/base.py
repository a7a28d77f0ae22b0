"""LessonDemo: the base of every lesson's 実験 tab, and the panel shown while a lesson is 準備中."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ..core.device import DeviceChoice
from ..curriculum.catalog import Lesson


#: Trained models the demos use, loaded once per process: "models_dir/folder@device" -> model.
MODELS: dict[str, object] = {}
_models_lock = threading.Lock()


def load_once(models_dir, folder: str, device: str, load: Callable[[object], object]):
    """``load(models_dir / folder)`` moved to ``device``, once per process (thread-safe; run it in a worker:
    the loaders import torch). After a load the heap is settled (see attention.settle_heap)."""
    from .attention import settle_heap

    key = f"{models_dir}/{folder}@{device}"
    with _models_lock:
        if key not in MODELS:
            MODELS[key] = load(models_dir / folder).to(device)
            settle_heap()
        return MODELS[key]


def gone(widget: Widget) -> bool:
    """Removed before its mount event ran (the learner switched lessons quickly):
    its children are gone too, so an ``on_mount`` must not touch them."""
    return widget._pruning or widget._closing or not widget.is_attached


class SentenceChosen(Message):
    """A demo asks the app to make ``text`` the learner's sentence."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class LessonDemo(Widget):
    """A lesson's live demos. The app tells it when the learner's sentence or the device changes.

    Subclasses compose their widgets and override the two hooks; slow work goes
    to thread workers, never into these calls.
    """

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

    def sentence_changed(self, sentence: str) -> None:
        """The learner's sentence changed (also called once it is known)."""
        self.sentence = sentence

    @property
    def torch_device(self) -> str:
        """Where this demo's models run: the learner's choice once resolved, the CPU until then."""
        return self.device.device if self.device is not None else "cpu"

    def device_changed(self, device: DeviceChoice) -> None:
        """The device models should run on changed (or was resolved after start-up)."""
        before = self.torch_device
        self.device = device
        if self.torch_device != before and self.is_mounted:
            self.rerun()

    def rerun(self) -> None:
        """Run the models again (the device changed). Demos without models need nothing."""

    def focus_default(self) -> None:
        """Focus what the learner most likely wants when the 実験 tab opens (nothing by default)."""


class ComingSoon(LessonDemo):
    """準備中: says so plainly and lists what the demos will show."""

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("このレッスンの実験は準備中です。\n\n", style="bold")
        text.append("説明タブ (1) で、このレッスンで学ぶ内容の概要を読めます。\n")
        if self.lesson.concepts:
            text.append(f"扱う概念: {', '.join(self.lesson.concepts)}\n", style="dim")
        text.append(f"\n{self.lesson.summary}\n", style="italic")
        with VerticalScroll():
            yield Static(text, id="coming-soon")

    DEFAULT_CSS = """
    ComingSoon #coming-soon { padding: 1 2; }
    """


class DemoPanel(Widget):
    """One inner tab of a lesson's demo, built the first time its tab is shown.

    ``demo`` is the lesson's :class:`LessonDemo`; the panel is told when the
    learner's sentence changes and redraws for it (slow work in thread workers).
    """

    DEFAULT_CSS = """
    DemoPanel { height: 1fr; }
    DemoPanel .row { height: auto; }
    DemoPanel .row Button { margin-right: 1; width: auto; min-width: 6; }
    DemoPanel .row Label { padding: 0 1 0 0; }
    DemoPanel .hint { height: auto; color: $text-muted; padding: 0 1; }
    DemoPanel .message { height: auto; color: $warning; padding: 0 1; }
    DemoPanel .body { height: auto; padding: 0 1; }
    """

    def __init__(self, demo: LessonDemo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo

    @property
    def models_dir(self):
        return self.app.paths.models_dir  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        if not gone(self):
            self.sentence_changed(self.demo.sentence)

    def sentence_changed(self, sentence: str) -> None:
        """Redraw for the learner's (new) sentence."""


class TabbedDemo(LessonDemo):
    """A demo made of inner tabs; ``PANELS`` maps each TabPane id to its DemoPanel class."""

    DEFAULT_CSS = """
    TabbedDemo > TabbedContent { height: 1fr; }
    """

    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {}
    TABS: ClassVar[dict[str, str]] = {}  # pane id -> tab title, in order

    def compose(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        with TabbedContent(id=f"{self.TABS_ID}"):
            for pane_id, title in self.TABS.items():
                yield TabPane(title, id=pane_id)

    TABS_ID = "demo-tabs"

    def on_tabbed_content_tab_activated(self, event) -> None:
        event.stop()
        pane = event.pane
        cls = self.PANELS.get(pane.id or "")
        if cls is not None and not pane.query(DemoPanel):
            pane.mount(cls(self, id=f"{pane.id}-panel"))

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        for panel in self.query(DemoPanel):
            panel.sentence_changed(sentence)

    def rerun(self) -> None:
        for panel in self.query(DemoPanel):
            panel.sentence_changed(self.sentence)
