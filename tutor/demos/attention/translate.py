"""L4's page: translate a sentence and watch where the model looks, the grid filling row by row.

Switches for the model (score function), soft/hard attention, beam width and
length normalization redraw at once: a newer request drops the running decode,
never waits for it. ``compute`` streams every produced word (and, with a beam
wider than 1, every beam step) through ``report`` at the learner's speed.
Selecting a cell works that row's attention step through (:mod:`.step`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, ScrollableContainer, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from ...core.variants import BEST_BEAM, GRID_DEFAULT, VARIANT_NAMES
from ...widgets.attention_grid import AttentionGrid
from ..base import Page, PageError, hidden
from ..models import available_variants
from .step import StepPage
from .views import beam_view, candidates_view

SPEEDS = [("ゆっくり", 0.6), ("ふつう", 0.25), ("すぐ", 0.0)]
BEAMS = [1, 2, 3, 5, 10]
DEBOUNCE = 0.2
MISSING = ("翻訳モデルが見つかりません。"
           "`tutor train seq2seq --variant general --out models/seq2seq-general` で作れます。")
EMPTY = "文が空です。日本語の文を入力してください。"
PLAIN_NOTE = "アテンションなし (plain) のモデルは、原文のどこも見ません。最後の状態だけが頼りです。"


@dataclass(frozen=True)
class Started:
    """Reported first: the analysed source (the grid's columns) and what the analyser had to say."""

    source: list[str]
    notices: tuple[str, ...]
    src_ids: list[int]


@dataclass(frozen=True)
class Decoded:
    """The result once every row is drawn."""

    notices: tuple[str, ...]
    mine: Text | None = None  # how the learner's score() did beside the project's, when it ran the grid


def learner_scores(code, variant: str):
    """The learner's ``score(kind, s, H, W, v)`` (演習 attention-scores) as the translator's score function:
    one call per beam row, the model's W and v sent to their process once."""
    import numpy as np

    from ...exercises.sandbox import Call
    from ...exercises.wire import Ref

    def own(kind, queries, keys, W, v):
        store, named = {}, {}
        for name, value in (("W", W), ("v", v)):
            if value is not None:
                store[f"{name}-{variant}"] = value
                named[name] = Ref(f"{name}-{variant}")
        values = code.call_many([Call("score", (kind, q, k), named) for q, k in zip(queries, keys)], store)
        try:
            return np.stack([np.asarray(x, dtype=float) for x in values])
        except (TypeError, ValueError):
            return values  # the translator names the problem (OwnScoresError)

    return own


def _decode(model, ids, beam: int, norm: bool, hard: bool):
    """-> (the rows of the translation, the beam search's replay or None when greedy)."""
    from ...core.seq2seq_steps import beam_replay, greedy_rows

    if beam > 1:
        replay = beam_replay(model, ids, beam, norm, hard)
        return replay.rows, replay
    return greedy_rows(model, ids, hard), None


def compare_rows(mine, ours) -> Text:
    """One line: whether the learner's scores gave the same translation and how far the weights are apart."""
    import numpy as np

    same = [r.word for r in mine] == [r.word for r in ours]
    diffs = [float(np.abs(np.asarray(a.weights) - np.asarray(b.weights)).max())
             for a, b in zip(mine, ours)
             if a.weights is not None and b.weights is not None and len(a.weights) == len(b.weights)]
    text = Text("あなたの score() で計算した表です。", style="bold green")
    text.append("プロジェクトの実装と比べると: ")
    text.append("訳は同じ" if same else "訳が違います（プロジェクト: " + " ".join(r.word for r in ours) + "）",
                style="green" if same else "bold yellow")
    if diffs:
        text.append(f"、重みの差は最大 {max(diffs):.1e}。")
    return text


class AttentionPage(Page):
    """Sentence, switches, the live grid, the beam replay and the worked step of the selected row."""

    MAIN = "#att-variant"  # the model; the sentence field is focused only on Enter
    INPUT = "#att-input"

    DEFAULT_CSS = """
    AttentionPage #att-row { height: auto; }
    AttentionPage #att-input { width: 1fr; background: $boost; }
    AttentionPage #att-knobs { grid-size: 4; grid-columns: 8 26 8 14; grid-rows: 1; height: auto; }
    AttentionPage #att-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    AttentionPage #att-knobs Select { width: 1fr; }
    AttentionPage #att-norm { height: 1; border: none; padding: 0; }
    AttentionPage #att-output, AttentionPage #att-cell, AttentionPage #att-candidates, AttentionPage #att-mine {
        height: auto; padding: 0 1;
    }
    AttentionPage #att-grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    AttentionPage #att-cell { color: $text-muted; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._timer = None
        self._words: list[str] = []
        self._decoded: tuple[str, bool, int, bool] = ("", False, 1, True)  # variant, hard, beam, norm of the decode
        self._src_ids: list[int] = []
        self._tgt_ids: list[int] = []  # the target id of each grid row

    def compose(self) -> ComposeResult:
        variants = available_variants(self.models_dir)
        with Horizontal(id="att-row"):
            yield Label("文 ")
            yield Input(self.sentence, placeholder="翻訳する日本語の文", id="att-input", compact=True)
        with Grid(id="att-knobs"):
            yield Label("モデル")
            options = [(VARIANT_NAMES[v], v) for v in variants]
            if variants:  # the model with the clearest grid, if it is bundled
                default = GRID_DEFAULT if GRID_DEFAULT in variants else variants[-1]
                yield Select(options, value=default, allow_blank=False, id="att-variant", compact=True)
            else:
                yield Select(options, prompt="なし", id="att-variant", compact=True)
            yield Label("注意")
            yield Select([("ソフト", "soft"), ("ハード", "hard")], value="soft", allow_blank=False, id="att-mode",
                         compact=True)
            yield Label("ビーム")
            yield Select([(str(b), b) for b in BEAMS], value=BEST_BEAM, allow_blank=False, id="att-beam", compact=True)
            yield Label("速さ")
            yield Select(SPEEDS, value=0.25, allow_blank=False, id="att-speed", compact=True)
            yield Label("")
            yield Checkbox("長さで正規化", True, id="att-norm", compact=True,
                           tooltip="ビーム探索で、スコアを訳の長さで割る")
        yield Static(id="att-message", classes="message")
        with VerticalScroll():
            yield Static(id="att-output")
            yield hidden(Static(id="att-mine"))  # shown while the learner's code runs the page
            with ScrollableContainer(id="att-grid-scroll"):
                yield AttentionGrid(id="att-grid")
            yield Static(id="att-cell")
            yield StepPage(self.demo, id="att-step")
            yield Static(id="att-candidates")

    @property
    def step(self) -> StepPage:
        return self.query_one(StepPage)

    @property
    def explained(self):
        """The row explained last and its numbers (row, explanation), for the current decode."""
        return self.step.explained

    def sentence_changed(self, sentence: str) -> None:
        if not available_variants(self.models_dir):
            self.show_error(MISSING)
            return
        box = self.query_one("#att-input", Input)
        if box.value != sentence:
            box.value = sentence  # Input.Changed schedules the decode
        self.schedule()

    @on(Input.Changed, "#att-input")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event) -> None:
        event.stop()
        self.schedule()

    def schedule(self) -> None:
        """Redecode shortly after the last change (typing is not held up by decoding)."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.start)

    def start(self) -> None:
        variant = self.query_one("#att-variant", Select).value
        if not isinstance(variant, str):
            return
        hard = self.query_one("#att-mode", Select).value == "hard"
        beam = int(self.query_one("#att-beam", Select).value)
        norm = self.query_one("#att-norm", Checkbox).value
        self._words, self._src_ids, self._tgt_ids = [], [], []
        self._decoded = (variant, hard, beam, norm)
        self.step.forget()
        self.query_one("#att-grid", AttentionGrid).set_source([])
        self.query_one("#att-output", Static).update(Text("翻訳中…", style="dim"))
        for box in ("#att-candidates", "#att-cell"):
            self.query_one(box, Static).update("")
        self.query_one("#att-mine", Static).display = False
        text = self.query_one("#att-input", Input).value
        self.request(text, variant, hard, beam, norm, float(self.query_one("#att-speed", Select).value))

    # -- the worker ---------------------------------------------------------------------------
    def compute(self, text: str, variant: str, hard: bool, beam: int, norm: bool, delay: float) -> Decoded | None:
        from ...core import checkpoint
        from ...core.seq2seq_steps import encode
        from ...core.text import analyze
        from ..models import load_translator

        try:
            model = load_translator(self.models_dir, variant, self.device)
        except checkpoint.ModelError as exc:
            raise PageError(str(exc)) from exc
        analysis = analyze(text)
        source = [t.surface for t in analysis.tokens]
        ids = encode(model, source) if source else []
        self.report(Started(source, analysis.notices, ids))
        if not source:
            raise PageError("\n".join([*analysis.notices, EMPTY]))
        code = self.learner("attention-scores")
        if code is not None:  # 「自分の実装で動かす」: the learner's score() fills the grid
            mine, rows, replay = self._with_learner(code, model, variant, ids, beam, norm, hard)
        else:
            # A beam search takes a moment; its steps are recorded, then replayed at the learner's speed.
            mine, rows, replay = None, *_decode(model, ids, beam, norm, hard)
        for step in replay.steps if replay is not None else ():
            if self.cancelled():
                return None
            self.report(step)
            self._wait(delay)
        if replay is not None:
            self.report(replay)
        for row in rows:
            if self.cancelled():
                return None
            self.report(row)
            self._wait(delay)
        from ...core.translator import depth_notices

        return Decoded(depth_notices(model, analysis, source, [r.word for r in rows]), mine)

    @staticmethod
    def _with_learner(code, model, variant, ids, beam, norm, hard):
        """The decode on the learner's score(), and a line comparing it with the project's; on any trouble
        the project's decode and a line saying why. -> (line, rows, beam replay or None)."""
        from ...core.seq2seq import OwnScoresError, own_scores
        from ...exercises.mine import Broken

        try:
            with own_scores(learner_scores(code, variant)):
                rows, replay = _decode(model, ids, beam, norm, hard)
        except (Broken, OwnScoresError) as exc:
            rows, replay = _decode(model, ids, beam, norm, hard)
            line = Text("あなたの score() が使えなかったので、プロジェクトの実装で表示しています: ",
                        style="bold yellow")
            line.append(str(exc))
            return line, rows, replay
        ours, _ = _decode(model, ids, beam, norm, hard)
        return compare_rows(rows, ours), rows, replay

    @staticmethod
    def _wait(delay: float) -> None:
        if delay:
            time.sleep(delay)

    # -- drawing ------------------------------------------------------------------------------
    def draw_partial(self, value) -> None:
        from ...core.seq2seq_steps import BeamResult, BeamStep, Row

        if isinstance(value, Started):
            self.query_one("#att-grid", AttentionGrid).set_source(value.source)
            self._src_ids = value.src_ids
            self.query_one("#att-message", Static).update(Text("\n".join(value.notices)))
            if not value.source:
                self.query_one("#att-output", Static).update("")
        elif isinstance(value, Row):
            self._words.append(value.word)
            self._tgt_ids.append(value.token_id)
            out = Text("訳: ", style="bold")
            out.append(" ".join(self._words))
            self.query_one("#att-output", Static).update(out)
            if value.weights is not None:
                self.query_one("#att-grid", AttentionGrid).add_row(value.word, value.weights)
            else:
                self.query_one("#att-cell", Static).update(PLAIN_NOTE)
        elif isinstance(value, BeamStep):
            _, _, width, norm = self._decoded
            view = beam_view(value.step, width, norm, value.alive, value.finished, value.pruned)
            self.query_one("#att-candidates", Static).update(view)
        elif isinstance(value, BeamResult):
            self.query_one("#att-candidates", Static).update(candidates_view(value.candidates, value.pruned))

    def draw(self, result: Decoded | None) -> None:
        if result is not None:  # the notices again: clearing the last error also cleared them
            self.query_one("#att-message", Static).update(Text("\n".join(result.notices)))
            mine = self.query_one("#att-mine", Static)
            mine.display = result.mine is not None
            mine.update(result.mine or "")

    def export_numbers(self):
        """The grid as drawn (rows produced so far), with the switches that made it."""
        from ...export import attention_numbers

        grid = self.query_one("#att-grid", AttentionGrid)
        if not grid.rows:
            return None
        variant, hard, beam, norm = self._decoded
        return attention_numbers(grid.source, grid.targets, grid.rows, model=variant, mode="hard" if hard else "soft",
                                 beam=beam, length_norm=norm, sentence=self.query_one("#att-input", Input).value,
                                 complete=not self.busy)

    @on(AttentionGrid.Selected)
    def _cell(self, event: AttentionGrid.Selected) -> None:
        event.stop()
        grid = self.query_one("#att-grid", AttentionGrid)
        src, tgt = grid.source[event.col], grid.targets[event.row]
        self.query_one("#att-cell", Static).update(
            Text(f"「{tgt}」を出すとき「{src}」に置いた重み: {event.weight:.3f} ({event.weight:.0%})")
        )
        if not self._src_ids or not 0 <= event.row < len(self._tgt_ids) or self._tgt_ids[event.row] < 0:
            return
        variant, hard, _, _ = self._decoded
        self.step.ask(event.row, event.col, grid.source, grid.targets, variant, list(self._src_ids),
                      self._tgt_ids[: event.row], hard)
