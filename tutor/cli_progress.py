"""Progress of the long CLI commands (`train …`, `eval` with a beam, `data download`), on stderr.

One reporter for all of them, built on ``rich.progress``:

- On a terminal: the command's own Japanese description (「エポック 3/10 バッチ 20/85 損失 2.345」) over a
  bar with the share done, the rate (文/秒, 語/秒, MB/秒), the elapsed time and the time left, redrawn in
  place. rich erases each line before redrawing it, so a line that gets shorter leaves nothing behind
  (the hand-written ``\\r`` printers this replaces did). Milestones (an epoch's end) are kept as lines
  above the bar, so the run's history stays on screen; when the work ends the bar gives way to a line
  with its last state.
- Anywhere else (a pipe, a log file, `tutor train all` under CI, pytest capturing output): no control
  sequences and no redrawing, only complete lines: one per milestone, one every ``LOG_EVERY`` seconds in
  between, and the last state when the work ends, so a log stays readable.

stdout is never touched (rich's stdout redirection is off): ``--json`` output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task
from rich.table import Column
from rich.text import Text

#: Seconds between two plain lines in a log when no milestone comes (an epoch of GPT takes minutes).
LOG_EVERY = 60.0


def clock(seconds: float | None) -> str:
    """``83`` -> ``1:23``, ``3723`` -> ``1:02:03``; unknown -> ``--:--``."""
    if seconds is None:
        return "--:--"
    minutes, s = divmod(round(seconds), 60)
    hours, m = divmod(minutes, 60)
    return f"{hours}:{m:02d}:{s:02d}" if hours else f"{m}:{s:02d}"


def amount(x: float) -> str:
    """A rate as people read it: 123k, 4,567, 45.6."""
    if x >= 1e4:
        return f"{x / 1e3:,.0f}k"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def figures(task: Task) -> str:
    """Share done, rate, elapsed time and time left; the same words on the bar and in the plain lines."""
    # rich's estimate over the last minute; the run's average while that window holds under two updates
    speed = task.finished_speed or task.speed
    if speed is None and task.elapsed and task.completed:
        speed = task.completed / task.elapsed
    rate = task.fields.get("rate")
    if rate is None and speed is not None:
        rate = speed / task.fields["scale"]
    parts = [] if task.total is None else [f"{task.percentage:3.0f}%"]
    parts.append(f"{'--' if rate is None else amount(rate)} {task.fields['unit']}/秒")
    parts.append(f"経過 {clock(task.elapsed)}")
    if task.total is not None:
        left = 0.0 if task.finished else (task.total - task.completed) / speed if speed else None
        parts.append(f"残り {clock(left)}")
    return "  ".join(parts)


class _Figures(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(figures(task))


class _TwoLines(Progress):
    """The description on a line of its own, the bar and the figures below it: a description as long as
    「エポック 10/10 バッチ 390/390 損失 3.210 検証 BLEU 12.34」 and the figures do not fit one
    80-column line, and on one line rich would drop the bar and cut the description."""

    def get_renderables(self):
        for task in self.tasks:
            yield Text(task.description)
        yield self.make_tasks_table(self.tasks)


class Reporter:
    """One progress bar on stderr (see the module docstring). Use it as a context manager::

        with Reporter(epochs * sentences, "文") as bar:
            bar.update(done, "エポック 1/10 バッチ 20/300 損失 3.210")

    ``unit`` names what the rate counts. The bar counts ``completed`` out of ``total`` (None: unknown,
    no share and no time left); the rate is rich's estimate of that divided by ``scale`` (bytes -> MB),
    unless the command passes its own (word2vec: the bar counts sentences, the rate is gensim's words).
    ``console`` is for tests; by default stderr, treated as a terminal only when it is one (FORCE_COLOR
    in a CI log must not turn the log into redraws).
    """

    def __init__(self, total: float | None, unit: str, *, scale: float = 1.0, console: Console | None = None,
                 log_every: float = LOG_EVERY, description: str = "準備中") -> None:
        self.console = console or Console(stderr=True, force_terminal=sys.stderr.isatty())
        #: a terminal that understands cursor movement (TERM=dumb does not): the bar is redrawn in place
        self.live = self.console.is_interactive
        self._progress = _TwoLines(
            BarColumn(bar_width=None),  # the bar takes the width the figures leave
            _Figures(table_column=Column(no_wrap=True)),
            console=self.console, expand=True, transient=True, redirect_stdout=False,
            speed_estimate_period=60.0, disable=not self.live,
        )
        # shown until the first update (gensim, say, takes seconds to import and count the vocabulary)
        self._task = self._progress.add_task(description, total=total, unit=unit, scale=scale, rate=None)
        self._log_every = log_every
        self._logged_at = time.monotonic()
        self._pending = False  # an update that no line has shown yet

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def update(self, completed: float, description: str, *, total: float | None = None, rate: float | None = None,
               milestone: bool = False) -> None:
        """Show ``description`` and ``completed``; a ``milestone`` (an epoch's end) is also kept as a line."""
        fields = {"total": total} if total is not None else {}
        self._progress.update(self._task, completed=completed, description=description, rate=rate, **fields)
        if milestone or (not self.live and time.monotonic() - self._logged_at >= self._log_every):
            self._line()
        else:
            self._pending = True

    def update_epoch(self, p, sentences: int, description: str, milestone: bool) -> None:
        """For the trainers whose progress has ``epoch/epochs`` and ``batch/batches``: the bar counts
        sentences over the whole run, so the rate is 文/秒 and the time left is the run's."""
        done = (p.epoch - 1 + p.batch / max(p.batches, 1)) * sentences
        self.update(done, description, total=p.epochs * sentences, milestone=milestone)

    def line(self) -> str:
        """The current state as one plain line."""
        task = self._progress.tasks[0]
        return f"{task.description}  {figures(task)}"

    def _line(self) -> None:
        text = self.line()
        if self.live:  # printed above the bar, which rich redraws below it
            self.console.print(Text(text), soft_wrap=True)
        else:
            self.console.file.write(text + "\n")
            self.console.file.flush()
        self._logged_at = time.monotonic()
        self._pending = False

    def close(self) -> None:
        """End the bar; the last state is written as a line unless a line already showed it."""
        if self._pending:
            self._line()
        self._progress.stop()
