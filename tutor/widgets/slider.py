"""A horizontal slider: ← → (or h l) move one step, Home/End jump to the ends, a click sets the value.

Values are an explicit list (``values``), so a slider can be uneven (top-k: off,
1, 2, 5, 10, …) and show each value its own way (``fmt``). It posts
:class:`Slider.Changed` on every move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from .bars import fit

LABEL = 10
VALUE = 7


class Slider(Widget, can_focus=True):
    DEFAULT_CSS = """
    Slider { height: 1; width: 1fr; min-width: 30; }
    Slider:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "減らす", show=False),
        Binding("right", "move(1)", "増やす", show=False),
        Binding("home", "jump(0)", "最小", show=False),
        Binding("end", "jump(-1)", "最大", show=False),
    ]

    class Changed(Message):
        def __init__(self, slider: "Slider", value) -> None:
            super().__init__()
            self.slider, self.value = slider, value

        @property
        def control(self) -> "Slider":
            return self.slider

    index: reactive[int] = reactive(0)

    def __init__(self, label: str, values: Sequence, value=None, fmt: Callable[[object], str] = str, **kwargs) -> None:
        super().__init__(**kwargs)
        if not values:
            raise ValueError("a slider needs values")
        self.label, self.values, self.fmt = label, list(values), fmt
        self.set_reactive(Slider.index, self.values.index(value) if value in self.values else 0)

    @property
    def value(self):
        return self.values[self.index]

    @value.setter
    def value(self, value) -> None:
        self.index = self.values.index(value)

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        self.index = max(0, min(len(self.values) - 1, self.index + delta))

    def action_jump(self, where: int) -> None:
        self.index = 0 if where == 0 else len(self.values) - 1

    def track_width(self) -> int:
        return max(5, (self.content_size.width or 40) - LABEL - VALUE - 2)

    def on_click(self, event: events.Click) -> None:
        x = event.x - LABEL - 1
        width = self.track_width()
        if 0 <= x < width and len(self.values) > 1:
            self.index = round(x / (width - 1) * (len(self.values) - 1))
        self.focus()

    def render(self) -> Text:
        width = self.track_width()
        pos = 0 if len(self.values) == 1 else round(self.index / (len(self.values) - 1) * (width - 1))
        out = Text(no_wrap=True, overflow="crop")
        out.append(fit(self.label, LABEL) + " ", style="bold" if self.has_focus else "")
        out.append("━" * pos, style="cyan")
        out.append("●", style="bold yellow" if self.has_focus else "bold")
        out.append("─" * (width - pos - 1), style="dim")
        shown = fit(self.fmt(self.value), VALUE - 1).rstrip()
        out.append(" " * (VALUE - cell_len(shown)) + shown, style="bold")  # right-aligned by cells: オフ is 4 wide
        return out
