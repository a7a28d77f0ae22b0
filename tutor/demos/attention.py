"""L4 アテンション付き seq2seq, 実験 tab: translate your sentence and watch where the model looks.

The attention grid fills in row by row as each English word is produced, at a
speed the learner sets. Switches for the model (score function), soft/hard
attention, beam width and length normalization redraw at once: a running
decode is cancelled, never waited for. Models load in a worker (torch is
imported there, after the first frame) and stay cached.

With a beam wider than 1, the beam is replayed step by step at the same speed:
the candidates kept with their scores, those that reached the end, and those
pruned at that step (struck through); then the final ranked list. Selecting a
cell of the grid works that row's attention step through with the model's
numbers: scores, softmax, context (:mod:`tutor.core.attention_explain`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import get_current_worker

from ..core import checkpoint
from ..core.text import analyze
from ..core.variants import BUNDLED, GRID_DEFAULT, VARIANT_NAMES, VARIANTS
from ..widgets.attention_grid import AttentionGrid
from ..widgets.bars import fit
from .base import LessonDemo, gone
from .models import available_variants, load_translator

if TYPE_CHECKING:
    from ..core.attention_explain import StepExplanation

SPEEDS = [("ゆっくり", 0.6), ("ふつう", 0.25), ("すぐ", 0.0)]
BEAMS = [1, 2, 3, 5, 10]
DEBOUNCE = 0.2
CONTEXT_SHOWN = 8  # dimensions of the context vector written out

def _right(label: str, width: int) -> str:
    """``label`` right-aligned in ``width`` terminal cells (a kana or kanji takes two)."""
    return " " * max(0, width - cell_len(label)) + label


def _words(words: str) -> str:
    return words or "（空）"


def beam_view(
    step: int,
    width: int,
    norm: bool,
    alive: list[tuple[str, float]],
    finished: list[tuple[str, float]],
    pruned: list[tuple[str, float]],
) -> Text:
    """The beam after one step: kept candidates, finished ones (✓ 完了), and the pruned ones struck through."""
    text = Text()
    text.append(f"ビーム探索: {step + 1} 語目 (幅 {width})\n", style="bold")
    text.append(f"スコア = 対数確率{' / 長さ' if norm else ''}\n", style="dim")
    for words, score in alive:
        text.append(f"  {score:8.3f}  {_words(words)}\n")
    for words, score in finished:
        text.append(f"  {score:8.3f}  {_words(words)}  ")
        text.append("✓ 完了\n", style="bold")
    for words, score in pruned:
        text.append(f"  {score:8.3f}  {_words(words)}", style="strike dim")
        text.append("\n")
    if pruned:
        text.append(f"打ち消し線の {len(pruned)} 個は、ここで捨てた候補です。", style="dim")
    return text


def explain_view(ex: StepExplanation, source: list[str], target: str, row: int, col: int) -> Text:
    """One row's attention step as a worked computation: scores, softmax, context."""
    text = Text()
    text.append(f"「{target}」({row + 1} 語目) を出すときのアテンションの計算\n", style="bold")
    who = "1 つ前のデコーダの状態 s_{t-1}" if ex.query == "s_{t-1}" else "この語を出すときのデコーダの状態 s_t"
    text.append(f"1. スコア {ex.formula}  (s: {who}、h_i: 原文 i 語目の状態)\n")
    text.append("2. ソフトマックス a_i = exp(e_i - 最大) / 合計\n")
    header = f"  {fit('原文', 8)} {'e_i':>8} {_right('exp(e_i-最大)', 14)} {'a_i':>7}"
    if ex.hard:
        header += f" {_right('ハード', 7)}"
    text.append(header + "\n", style="dim")
    for i, tok in enumerate(source[: len(ex.scores)]):
        line = f"{'>' if i == col else ' '} {fit(tok, 8)} {ex.scores[i]:8.3f} {ex.exps[i]:14.4f} {ex.softmax[i]:7.3f}"
        if ex.hard:
            line += f" {ex.weights[i]:7.0f}"
        text.append(line + "\n", style="bold" if i == col else "")
    total = f"  {fit('合計', 8)} {'':8} {sum(ex.exps):14.4f} {sum(ex.softmax):7.3f}"
    text.append(total + (f" {sum(ex.weights):7.0f}" if ex.hard else "") + "\n", style="dim")
    if ex.hard:
        best = source[ex.best] if ex.best < len(source) else "?"
        text.append(f"3. ハード: 重みが最大の「{best}」に 1 を置くので、文脈 c はその h_i そのものです。\n")
    else:
        text.append("3. 文脈 c = Σ a_i h_i (原文の状態を重みで足し合わせたもの)\n")
    shown = "  ".join(f"{x:.3f}" for x in ex.context[:CONTEXT_SHOWN])
    text.append(f"  c = [{shown} ...]  ({len(ex.context)} 次元のうち先頭 {CONTEXT_SHOWN} 個)")
    return text


class AttentionDemo(LessonDemo):
    MAIN = "#att-variant"  # the model; Enter on the page would type (see the focus model)

    DEFAULT_CSS = """
    AttentionDemo #att-row { height: auto; }
    AttentionDemo #att-input { width: 1fr; background: $boost; }
    AttentionDemo #att-knobs { grid-size: 4; grid-columns: 8 26 8 14; grid-rows: 1; height: auto; }
    AttentionDemo #att-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    AttentionDemo #att-knobs Select { width: 1fr; }
    AttentionDemo #att-norm { height: 1; border: none; padding: 0; }
    AttentionDemo #att-output, AttentionDemo #att-cell, AttentionDemo #att-explain, AttentionDemo #att-candidates, AttentionDemo #att-message { height: auto; padding: 0 1; }
    AttentionDemo #att-message { color: $warning; }
    AttentionDemo #att-grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    AttentionDemo #att-cell { color: $text-muted; }
    """

    class Started(Message):
        def __init__(self, token: int, source: list[str], notices: tuple[str, ...], src_ids: list[int] | None = None) -> None:
            super().__init__()
            self.token, self.source, self.notices = token, source, notices
            self.src_ids = list(src_ids or [])

    class Produced(Message):
        def __init__(self, token: int, word: str, weights: list[float] | None, prob: float, token_id: int = -1) -> None:
            super().__init__()
            self.token, self.word, self.weights, self.prob, self.token_id = token, word, weights, prob, token_id

    class BeamStepped(Message):
        """One step of beam search: (words, score) of the kept, the finished so far, and the pruned candidates."""

        def __init__(self, token: int, step: int, width: int, norm: bool, alive: list[tuple[str, float]],
                     finished: list[tuple[str, float]], pruned: list[tuple[str, float]]) -> None:
            super().__init__()
            self.token, self.step, self.width, self.norm = token, step, width, norm
            self.alive, self.finished, self.pruned = alive, finished, pruned

    class BeamDone(Message):
        def __init__(self, token: int, candidates: list[tuple[str, float]], pruned: list[int]) -> None:
            super().__init__()
            self.token, self.candidates, self.pruned = token, candidates, pruned

    class Failed(Message):
        def __init__(self, token: int, text: str) -> None:
            super().__init__()
            self.token, self.text = token, text

    class Explained(Message):
        """The worked attention step of grid row ``row`` (None with ``text`` when there is none)."""

        def __init__(self, token: int, row: int, explanation: StepExplanation | None, text: str = "") -> None:
            super().__init__()
            self.token, self.row, self.explanation, self.text = token, row, explanation, text

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._token = 0  # which decode the incoming messages belong to
        self._timer = None
        self._words: list[str] = []
        self._decoded: tuple[str, bool] = ("", False)  # variant and hard of the current decode
        self._src_ids: list[int] = []
        self._tgt_ids: list[int] = []  # the target id of each grid row
        self._selected = (0, 0)  # the grid cell whose row is being explained
        #: The row explained last and its numbers (row, explanation), for the current decode.
        self.explained: tuple[int, StepExplanation] | None = None

    def compose(self) -> ComposeResult:
        models_dir = self.app.paths.models_dir  # type: ignore[attr-defined]
        variants = available_variants(models_dir)

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
            yield Select([("ソフト", "soft"), ("ハード", "hard")], value="soft", allow_blank=False, id="att-mode", compact=True)
            yield Label("ビーム")
            yield Select([(str(b), b) for b in BEAMS], value=1, allow_blank=False, id="att-beam", compact=True)
            yield Label("速さ")
            yield Select(SPEEDS, value=0.25, allow_blank=False, id="att-speed", compact=True)
            yield Label("")
            yield Checkbox("長さで正規化", True, id="att-norm", compact=True, tooltip="ビーム探索で、スコアを訳の長さで割る")
        yield Static(id="att-message")
        with VerticalScroll():
            yield Static(id="att-output")
            with ScrollableContainer(id="att-grid-scroll"):
                yield AttentionGrid(id="att-grid")
            yield Static(id="att-cell")
            yield Static(id="att-explain")
            yield Static(id="att-candidates")

    def on_mount(self) -> None:
        if gone(self):
            return
        if not available_variants(self.app.paths.models_dir):  # type: ignore[attr-defined]
            self.query_one("#att-message", Static).update(
                "翻訳モデルが見つかりません。`tutor train seq2seq --variant general --out models/seq2seq-general` で作れます。"
            )
            return
        self.schedule()

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        self.query_one("#att-input", Input).value = sentence

    @on(Input.Changed, "#att-input")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event) -> None:
        event.stop()
        self.schedule()

    def rerun(self) -> None:
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
        self._token += 1
        self._words, self._src_ids, self._tgt_ids = [], [], []
        self._decoded = (variant, hard)
        self.explained = None
        self.query_one("#att-grid", AttentionGrid).set_source([])
        self.query_one("#att-output", Static).update(Text("翻訳中…", style="dim"))
        self.query_one("#att-candidates", Static).update("")
        self.query_one("#att-cell", Static).update("")
        self.query_one("#att-explain", Static).update("")
        self.decode(
            self._token,
            self.query_one("#att-input", Input).value,
            variant,
            hard,
            int(self.query_one("#att-beam", Select).value),
            self.query_one("#att-norm", Checkbox).value,
            float(self.query_one("#att-speed", Select).value),
        )

    @work(thread=True, exclusive=True, group="att-decode", exit_on_error=False)
    def decode(self, token: int, text: str, variant: str, hard: bool, beam: int, norm: bool, delay: float) -> None:
        worker = get_current_worker()
        try:
            model = load_translator(self.app.paths.models_dir, variant, self.torch_device)  # type: ignore[attr-defined]
        except checkpoint.ModelError as exc:
            self.post_message(self.Failed(token, str(exc)))
            return
        from ..core.seq2seq_decode import beam_search, greedy_steps
        from ..core.vocab import EOS_ID

        analysis = analyze(text)
        source = [t.surface for t in analysis.tokens]
        ids = model.src_vocab.encode(source) if source else []
        self.post_message(self.Started(token, source, analysis.notices, ids))
        if not source:
            return
        if beam > 1:
            # on_step reports the kept and the pruned candidates, not those that just reached
            # </s>; they come back finished, with one token per step before it. So the steps
            # are recorded (the search takes a moment) and replayed at the learner's speed.
            records: list[tuple[int, list, list]] = []
            hyps = beam_search(model.model, ids, width=beam, length_norm=norm, hard=hard,
                               on_step=lambda t, alive, dropped: records.append((t, alive, dropped)))
            vocab = model.tgt_vocab.tokens

            def shown(h) -> tuple[str, float]:
                return " ".join(vocab[i] for i in h.tokens), h.score(norm)

            finished: list[tuple[str, float]] = []
            for t, alive, dropped in records:
                if worker.is_cancelled:
                    return
                finished += [shown(h) for h in hyps if h.finished and len(h.tokens) == t]
                self.post_message(self.BeamStepped(token, t, beam, norm, [shown(h) for h in alive],
                                                   list(finished), [shown(h) for h in dropped]))
                if delay:
                    time.sleep(delay)
            best = hyps[0]
            steps = [(tok, w, 1.0) for tok, w in zip(best.tokens, best.weights)]
            candidates = [(" ".join(model.tgt_vocab.decode(h.tokens)), h.score(norm)) for h in hyps]
            self.post_message(self.BeamDone(token, candidates, [len(dropped) for _, _, dropped in records]))
        else:
            steps = [(s.token, s.weights, s.prob) for s in greedy_steps(model.model, ids, hard=hard) if s.token != EOS_ID]
        for tok, weights, prob in steps:
            if worker.is_cancelled:
                return
            self.post_message(self.Produced(token, model.tgt_vocab.tokens[tok], weights, prob, tok))
            if delay:
                time.sleep(delay)

    @work(thread=True, exclusive=True, group="att-explain", exit_on_error=False)
    def explain(self, token: int, row: int, variant: str, src_ids: list[int], prefix: list[int], hard: bool) -> None:
        """Work grid row ``row`` through with the model's numbers (``prefix``: the target ids before it)."""
        try:
            model = load_translator(self.app.paths.models_dir, variant, self.torch_device)  # type: ignore[attr-defined]
        except checkpoint.ModelError as exc:
            self.post_message(self.Explained(token, row, None, str(exc)))
            return
        from ..core.attention_explain import explain_step

        try:
            explanation = explain_step(model.model, src_ids, prefix, hard)
        except ValueError:
            self.post_message(self.Explained(token, row, None, "この行は計算できません。"))
            return
        if get_current_worker().is_cancelled:
            return
        if explanation is None:
            self.post_message(self.Explained(token, row, None, "アテンションなしのモデルなので、計算するアテンションがありません。"))
            return
        self.post_message(self.Explained(token, row, explanation))

    def on_attention_demo_started(self, message: Started) -> None:
        if message.token != self._token:
            return
        self.query_one("#att-grid", AttentionGrid).set_source(message.source)
        self._src_ids = message.src_ids
        notes = list(message.notices)
        if not message.source:
            notes.append("文が空です。日本語の文を入力してください。")
            self.query_one("#att-output", Static).update("")
        self.query_one("#att-message", Static).update(Text("\n".join(notes)))

    def on_attention_demo_produced(self, message: Produced) -> None:
        if message.token != self._token:
            return
        self._words.append(message.word)
        self._tgt_ids.append(message.token_id)
        out = Text("訳: ", style="bold")
        out.append(" ".join(self._words))
        self.query_one("#att-output", Static).update(out)
        if message.weights is not None:
            self.query_one("#att-grid", AttentionGrid).add_row(message.word, message.weights)
        else:
            self.query_one("#att-cell", Static).update("アテンションなし (plain) のモデルは、原文のどこも見ません。最後の状態だけが頼りです。")

    def on_attention_demo_beam_stepped(self, message: BeamStepped) -> None:
        if message.token != self._token:
            return
        view = beam_view(message.step, message.width, message.norm, message.alive, message.finished, message.pruned)
        self.query_one("#att-candidates", Static).update(view)

    def on_attention_demo_beam_done(self, message: BeamDone) -> None:
        if message.token != self._token:
            return
        text = Text()
        text.append("ビーム探索の候補 (スコアの高い順):\n", style="bold")
        for words, score in message.candidates:
            text.append(f"  {score:7.3f}  {words}\n")
        text.append(f"各ステップで捨てた候補の数: {', '.join(map(str, message.pruned))}", style="dim")
        self.query_one("#att-candidates", Static).update(text)

    def on_attention_demo_failed(self, message: Failed) -> None:
        if message.token == self._token:
            self.query_one("#att-message", Static).update(message.text)

    @on(AttentionGrid.Selected)
    def _cell(self, event: AttentionGrid.Selected) -> None:
        grid = self.query_one("#att-grid", AttentionGrid)
        src, tgt = grid.source[event.col], grid.targets[event.row]
        self.query_one("#att-cell", Static).update(
            Text(f"「{tgt}」を出すとき「{src}」に置いた重み: {event.weight:.3f} ({event.weight:.0%})")
        )
        self._selected = (event.row, event.col)
        if self.explained is not None and self.explained[0] == event.row:  # same row: only the marked column moves
            self._show_explained()
            return
        variant, hard = self._decoded
        if not self._src_ids or not 0 <= event.row < len(self._tgt_ids) or self._tgt_ids[event.row] < 0:
            return
        self.query_one("#att-explain", Static).update(Text("計算中…", style="dim"))
        self.explain(self._token, event.row, variant, list(self._src_ids), self._tgt_ids[: event.row], hard)

    def on_attention_demo_explained(self, message: Explained) -> None:
        if message.token != self._token or message.row != self._selected[0]:
            return
        if message.explanation is None:
            self.query_one("#att-explain", Static).update(Text(message.text))
            return
        self.explained = (message.row, message.explanation)
        self._show_explained()

    def _show_explained(self) -> None:
        if self.explained is None:
            return
        row, explanation = self.explained
        grid = self.query_one("#att-grid", AttentionGrid)
        if row >= len(grid.targets):
            return
        view = explain_view(explanation, grid.source, grid.targets[row], row, self._selected[1])
        self.query_one("#att-explain", Static).update(view)
