"""L2, 学習: train CBOW or skip-gram on the corpus, live, and explore the result at once (MAIN: 学習開始).

The run is the page's request: ``compute`` tokenizes the corpus (once per
process) and trains, reporting progress that ``draw_partial`` shows; the loss
curve grows one point per epoch. The finished model joins the other pages as
「学習したモデル」; the bundled vectors are never touched, and 保存 writes to
the user data directory.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Label, ProgressBar, Select, Sparkline, Static
from textual.worker import get_current_worker

from ...core import corpus
from ...core.train import TrainingCancelled
from ...core.word2vec import BUNDLED, DEFAULTS, W2VConfig, WordVectors
from ...widgets.bars import fit
from ..base import PageError, gone
from .vectors import TRAINED, VectorsPage, model_label

CHOICES = {
    "dim": ("次元", [10, 25, 50, 100, 200, 300]),
    "window": ("窓", [1, 2, 3, 5, 8, 10]),
    "epochs": ("エポック", [1, 5, 10, 20, 40, 80]),
    "min_count": ("最小出現", [1, 2, 3, 5, 10, 20]),
}
#: Progress is reported at most this often (seconds).
POST_EVERY = 0.1

_sentences_cache: dict[Path, list[list[str]]] = {}
_cache_lock = threading.Lock()


def tokenized_corpus(data_dir: Path) -> list[list[str]]:
    """The corpus's Japanese, tokenized once per process (about 3 s for 50 k sentences)."""
    from ...core.train.word2vec import corpus_sentences

    key = data_dir.resolve()
    with _cache_lock:
        if key not in _sentences_cache:
            _sentences_cache[key] = corpus_sentences(data_dir)
        return _sentences_cache[key]


class TrainPage(VectorsPage):
    MAIN = "#train-start"

    def main_control(self):
        """学習開始; without a corpus it is disabled, so the page's scroll (the how-to text) takes the keys."""
        start = self.query("#train-start")
        if start and not start.first().disabled:
            return start.first()
        found = self.query("#train-scroll")
        return found.first() if found else None

    DEFAULT_CSS = """
    TrainPage #train-knobs { grid-size: 4; grid-columns: 10 15 10 10; grid-rows: 1; height: auto; padding: 0 1; }
    TrainPage #train-knobs Select { width: 1fr; }
    TrainPage #train-knobs Label { width: 1fr; text-align: right; padding-right: 1; }
    TrainPage #train-progress { padding: 0 1; }
    TrainPage #train-loss { height: 4; margin: 0 1; }
    TrainPage .section { padding: 1 1 0 1; text-style: bold; height: auto; }
    TrainPage #train-result { height: auto; padding: 0 1; }
    TrainPage #train-status { height: auto; padding: 0 1; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trained: WordVectors | None = None
        self._last_post = 0.0

    def compose(self) -> ComposeResult:
        d = DEFAULTS["cbow"]
        with VerticalScroll(id="train-scroll"):
            defaults = {"dim": d.vector_size, "window": d.window, "epochs": d.epochs, "min_count": d.min_count}
            # A grid of label / knob pairs: fits an 80-column terminal with the lesson list open.
            with Grid(id="train-knobs"):
                yield Label("モード")
                yield Select([("CBOW", "cbow"), ("skip-gram", "skipgram")], value="cbow", allow_blank=False,
                             id="train-mode", compact=True)
                for key in CHOICES:
                    yield from self._knob(key, defaults[key])
            with Horizontal(classes="row"):
                yield Button("学習開始", id="train-start", variant="primary", compact=True)
                yield Button("中止", id="train-cancel", compact=True, disabled=True)
                yield Button("保存", id="train-save", compact=True, disabled=True)
                yield Label("", id="train-corpus", classes="hint")
            yield ProgressBar(total=100, show_eta=False, id="train-progress")
            yield Static(id="train-status")
            yield Static("損失 (エポックごと。学習文から選んだ 500 文で測定)", classes="section")
            yield Sparkline([], id="train-loss")
            yield Static(id="train-result")

    def _knob(self, key: str, default: int) -> ComposeResult:
        label, values = CHOICES[key]
        yield Label(label)
        yield Select([(str(v), v) for v in values], value=default, allow_blank=False, id=f"train-{key}", compact=True,
                     classes="num")

    def on_mount(self) -> None:
        if gone(self):
            return
        data = self.data_dir()
        label = self.query_one("#train-corpus", Label)
        if data is None:
            label.update("コーパスがありません")
            self.query_one("#train-start", Button).disabled = True
            self.set_status(
                Text(
                    "学習にはコーパス (small_parallel_enja) が必要です。"
                    "端末で `tutor data download` を実行して取得するか、"
                    "環境変数 TUTOR_DATA_DIR にその場所を設定してから、チューターを起動し直してください。",
                    style="yellow",
                )
            )
        else:
            label.update(f"コーパス: {data}")
            self.set_status(
                Text("設定を選んで「学習開始」を押すと、コーパスの日本語 (train.ja) で学習します。"
                     "同梱のベクトルは書き換えません。", style="dim")
            )

    def data_dir(self) -> Path | None:
        try:
            return corpus.find(self.app.paths.corpus_dir)  # type: ignore[attr-defined]
        except corpus.CorpusNotFound:
            return None

    def config(self) -> W2VConfig:
        mode = self.query_one("#train-mode", Select).value
        v = {key: self.query_one(f"#train-{key}", Select).value for key in CHOICES}
        return replace(
            DEFAULTS[str(mode)], vector_size=int(v["dim"]), window=int(v["window"]), epochs=int(v["epochs"]),
            min_count=int(v["min_count"])
        )

    def set_status(self, text: Text) -> None:
        self.query_one("#train-status", Static).update(text)

    # -- the buttons ------------------------------------------------------------------------
    @on(Button.Pressed, "#train-start")
    def start(self, event: Button.Pressed | None = None, config: W2VConfig | None = None) -> None:
        """Train with the knobs' settings (or ``config``); ignored while a run is going or without a corpus."""
        if event:
            event.stop()
        data = self.data_dir()
        if data is None or self.busy:
            return
        config = config or self.config()
        self.query_one("#train-progress", ProgressBar).update(progress=0)
        self.query_one("#train-loss", Sparkline).data = []
        self.query_one("#train-result", Static).update("")
        self.set_status(Text(f"学習: {config.describe()}"))
        self.request(data, config)
        self._set_buttons()

    @on(Button.Pressed, "#train-cancel")
    def cancel(self, event: Button.Pressed | None = None) -> None:
        if event:
            event.stop()
        if not self.busy:
            return
        # The page's request group: the thread stops at its next sentence; its result is dropped.
        self.workers.cancel_group(self, "page")
        self.set_status(Text("中止しました。", style="yellow"))
        self._set_buttons(running=False)

    @on(Button.Pressed, "#train-save")
    def save(self, event: Button.Pressed | None = None) -> None:
        if event:
            event.stop()
        if self.trained is None or self.trained.config is None:
            return
        from ...core.word2vec import model_card

        folder = self.app.paths.user_models_dir / BUNDLED[self.trained.config.mode]  # type: ignore[attr-defined]
        try:
            self.trained.save(folder, card=model_card(self.trained, "tutor (L2 学習タブ)"))
        except OSError as exc:
            self.app.notify(f"保存できませんでした: {exc}", severity="error")
            return
        self.app.notify(f"保存しました: {folder}\n次に起動したときも「学習したモデル」として読み込みます。", timeout=6)

    def _set_buttons(self, running: bool | None = None) -> None:
        running = self.busy if running is None else running
        self.query_one("#train-start", Button).disabled = running or self.data_dir() is None
        self.query_one("#train-cancel", Button).disabled = not running
        self.query_one("#train-save", Button).disabled = running or self.trained is None
        for sel in self.query(Select):
            sel.disabled = running

    # -- the run ------------------------------------------------------------------------------
    def compute(self, data: Path, config: W2VConfig) -> WordVectors:
        from ...core.train.word2vec import train

        # gensim calls back from its own threads: keep this worker to report to and to ask.
        worker = get_current_worker()

        def post(value) -> None:
            if not worker.is_cancelled:
                self.post_message(self.Reported(worker, value))

        if data.resolve() not in _sentences_cache:
            self.report("コーパスを MeCab で単語に分けています…")
        sentences = tokenized_corpus(data)
        self.report(f"学習: {config.describe()}（{len(sentences):,} 文）")

        def progress(p) -> None:
            now = time.monotonic()
            if now - self._last_post >= POST_EVERY or p.fraction >= 1.0:
                self._last_post = now
                post(p)

        try:
            return train(sentences, config, on_progress=progress, should_stop=lambda: worker.is_cancelled)
        except TrainingCancelled:
            raise PageError("中止しました。") from None
        except (ValueError, OSError) as exc:
            raise PageError(str(exc)) from None

    def draw_partial(self, value) -> None:
        if isinstance(value, str):  # a stage: tokenizing, then training
            self.set_status(Text(value))
            return
        p = value
        self.query_one("#train-progress", ProgressBar).update(progress=round(p.fraction * 100))
        status = Text(f"エポック {p.epoch}/{p.epochs}  ", style="bold")
        status.append(f"{p.words_per_s / 1000:,.0f}k 語/秒  経過 {p.elapsed:.1f} 秒")
        if p.losses:
            status.append(f"  損失 {p.losses[-1]:.3f}")
        self.set_status(status)
        loss = self.query_one("#train-loss", Sparkline)
        if len(p.losses) != len(loss.data or []):
            loss.data = list(p.losses)

    def show_error(self, text: str) -> None:
        self.set_status(Text(text, style="yellow"))
        self._set_buttons(running=False)

    def clear_error(self) -> None:
        """The status line always says something; a finished run replaces it."""

    def draw(self, wv: WordVectors) -> None:
        self.trained = wv
        self.query_one("#train-progress", ProgressBar).update(progress=100)
        losses = wv.meta.get("loss_per_epoch", [])
        self.query_one("#train-loss", Sparkline).data = losses
        self._set_buttons(running=False)
        self.set_status(Text(f"完了: 語彙 {len(wv):,} 語、{wv.dim} 次元、学習 {wv.meta.get('train_seconds')} 秒",
                             style="bold green"))
        self.query_one("#train-result", Static).update(self.result_text(wv, losses))
        self.demo.add_trained(wv)  # type: ignore[attr-defined]

    def result_text(self, wv: WordVectors, losses: list[float]) -> Text:
        out = Text()
        if losses:
            out.append(f"損失: 最初のエポック {losses[0]:.3f} → 最後 {losses[-1]:.3f}\n", style="dim")
        quality = self.demo.quality(wv)  # type: ignore[attr-defined]
        if quality is not None:
            out.append("評価セットでの成績 (同梱モデルと比べて):\n", style="bold")
            rows = [("このモデル", quality)] + [
                (model_label(k, m), q) for k, m in self.models.items() if k != TRAINED and (q := self.demo.quality(m))  # type: ignore[attr-defined]
            ]
            for name, q in rows:
                out.append(f"  {fit(name, 14)} 近傍の同グループ率 {q.neighbour_share:.3f}  "
                           f"アナロジー正答 {q.analogy_accuracy:.0%}\n")
        out.append(
            "\n類似語・アナロジー・地図のタブに「学習したモデル」が加わりました。設定を変えて学習し直し、違いを比べてみましょう。",
            style="dim",
        )
        return out
