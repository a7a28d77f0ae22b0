"""L4 アテンション付き seq2seq, 実験 tab: translate your sentence and watch where the model looks.

The attention grid fills in row by row as each English word is produced, at a
speed the learner sets. Switches for the model (score function), soft/hard
attention, beam width and length normalization redraw at once: a running
decode is cancelled, never waited for. Models load in a worker (torch is
imported there, after the first frame) and stay cached.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import get_current_worker

from ..core import checkpoint
from ..core.text import analyze
from ..core.variants import BEST, BUNDLED, VARIANT_NAMES, VARIANTS
from ..widgets.attention_grid import AttentionGrid
from .base import LessonDemo, gone

SPEEDS = [("ゆっくり", 0.6), ("ふつう", 0.25), ("すぐ", 0.0)]
BEAMS = [1, 2, 3, 5, 10]
DEBOUNCE = 0.2

_cache: dict[str, object] = {}
_cache_lock = threading.Lock()


def load_translator(models_dir, variant: str):
    """The bundled translator for ``variant``, loaded once per process (thread-safe; imports torch)."""
    from ..core import translator

    key = f"{models_dir}/{variant}"
    with _cache_lock:
        if key not in _cache:
            _cache[key] = translator.load(models_dir / BUNDLED[variant])
        return _cache[key]


def available_variants(models_dir) -> list[str]:
    return [v for v in VARIANTS if (models_dir / BUNDLED[v] / checkpoint.WEIGHTS).is_file()]


class AttentionDemo(LessonDemo):
    DEFAULT_CSS = """
    AttentionDemo #att-row { height: auto; }
    AttentionDemo #att-input { width: 1fr; background: $boost; }
    AttentionDemo #att-knobs { grid-size: 4; grid-columns: 8 26 8 14; grid-rows: 1; height: auto; }
    AttentionDemo #att-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    AttentionDemo #att-knobs Select { width: 1fr; }
    AttentionDemo #att-norm { height: 1; border: none; padding: 0; }
    AttentionDemo #att-output, AttentionDemo #att-cell, AttentionDemo #att-candidates, AttentionDemo #att-message { height: auto; padding: 0 1; }
    AttentionDemo #att-message { color: $warning; }
    AttentionDemo #att-grid-scroll { height: auto; overflow-x: auto; overflow-y: hidden; }
    AttentionDemo #att-cell { color: $text-muted; }
    """

    class Started(Message):
        def __init__(self, token: int, source: list[str], notices: tuple[str, ...]) -> None:
            super().__init__()
            self.token, self.source, self.notices = token, source, notices

    class Produced(Message):
        def __init__(self, token: int, word: str, weights: list[float] | None, prob: float) -> None:
            super().__init__()
            self.token, self.word, self.weights, self.prob = token, word, weights, prob

    class BeamDone(Message):
        def __init__(self, token: int, candidates: list[tuple[str, float]], pruned: list[int]) -> None:
            super().__init__()
            self.token, self.candidates, self.pruned = token, candidates, pruned

    class Failed(Message):
        def __init__(self, token: int, text: str) -> None:
            super().__init__()
            self.token, self.text = token, text

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._token = 0  # which decode the incoming messages belong to
        self._timer = None
        self._words: list[str] = []

    def compose(self) -> ComposeResult:
        models_dir = self.app.paths.models_dir  # type: ignore[attr-defined]
        variants = available_variants(models_dir)

        with Horizontal(id="att-row"):
            yield Label("文 ")
            yield Input(self.sentence, placeholder="翻訳する日本語の文", id="att-input", compact=True)
        with Grid(id="att-knobs"):
            yield Label("モデル")
            options = [(VARIANT_NAMES[v], v) for v in variants]
            if variants:  # the best attention model by dev BLEU, if it is bundled
                default = BEST if BEST in variants else variants[-1]
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

    def focus_default(self) -> None:
        for box in self.query("#att-input"):
            box.focus()

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
        self._token += 1
        self._words = []
        self.query_one("#att-grid", AttentionGrid).set_source([])
        self.query_one("#att-output", Static).update(Text("翻訳中…", style="dim"))
        self.query_one("#att-candidates", Static).update("")
        self.query_one("#att-cell", Static).update("")
        self.decode(
            self._token,
            self.query_one("#att-input", Input).value,
            variant,
            self.query_one("#att-mode", Select).value == "hard",
            int(self.query_one("#att-beam", Select).value),
            self.query_one("#att-norm", Checkbox).value,
            float(self.query_one("#att-speed", Select).value),
        )

    @work(thread=True, exclusive=True, group="att-decode", exit_on_error=False)
    def decode(self, token: int, text: str, variant: str, hard: bool, beam: int, norm: bool, delay: float) -> None:
        worker = get_current_worker()
        try:
            model = load_translator(self.app.paths.models_dir, variant)  # type: ignore[attr-defined]
        except checkpoint.ModelError as exc:
            self.post_message(self.Failed(token, str(exc)))
            return
        from ..core.seq2seq_decode import beam_search, greedy_steps
        from ..core.vocab import EOS_ID

        analysis = analyze(text)
        source = [t.surface for t in analysis.tokens]
        self.post_message(self.Started(token, source, analysis.notices))
        if not source:
            return
        ids = model.src_vocab.encode(source)
        if beam > 1:
            pruned: list[int] = []
            hyps = beam_search(model.model, ids, width=beam, length_norm=norm, hard=hard,
                               on_step=lambda t, alive, dropped: pruned.append(len(dropped)))
            best = hyps[0]
            steps = [(tok, w, 1.0) for tok, w in zip(best.tokens, best.weights)]
            candidates = [(" ".join(model.tgt_vocab.decode(h.tokens)), h.score(norm)) for h in hyps]
            self.post_message(self.BeamDone(token, candidates, pruned))
        else:
            steps = [(s.token, s.weights, s.prob) for s in greedy_steps(model.model, ids, hard=hard) if s.token != EOS_ID]
        for tok, weights, prob in steps:
            if worker.is_cancelled:
                return
            self.post_message(self.Produced(token, model.tgt_vocab.tokens[tok], weights, prob))
            if delay:
                time.sleep(delay)

    def on_attention_demo_started(self, message: Started) -> None:
        if message.token != self._token:
            return
        self.query_one("#att-grid", AttentionGrid).set_source(message.source)
        notes = list(message.notices)
        if not message.source:
            notes.append("文が空です。日本語の文を入力してください。")
            self.query_one("#att-output", Static).update("")
        self.query_one("#att-message", Static).update(Text("\n".join(notes)))

    def on_attention_demo_produced(self, message: Produced) -> None:
        if message.token != self._token:
            return
        self._words.append(message.word)
        out = Text("訳: ", style="bold")
        out.append(" ".join(self._words))
        self.query_one("#att-output", Static).update(out)
        if message.weights is not None:
            self.query_one("#att-grid", AttentionGrid).add_row(message.word, message.weights)
        else:
            self.query_one("#att-cell", Static).update("アテンションなし (plain) のモデルは、原文のどこも見ません。最後の状態だけが頼りです。")

    def on_attention_demo_beam_done(self, message: BeamDone) -> None:
        if message.token != self._token:
            return
        text = Text("ビーム探索の候補 (スコアの高い順):\n", style="bold")
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
