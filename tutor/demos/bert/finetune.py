"""ファインチューニング: a short run from the pretrained encoder, features only and fine-tuned, curves streamed
live (C37).

The sentence is then classified by the bundled classifier and by both runs.
One page, two jobs through the same request: ``train`` (reports each step,
then asks for ``classify``) and ``classify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, ProgressBar, Static

from ...core.bert_explain import LIVE_TRAIN, LIVE_VALID, LiveStep, classifier_kind, sparkline, tokens_of
from ...widgets.bars import bar, fit
from ..base import Page, PageError
from ..models import MISSING_BERT, bert_available, load_classifier
from .common import EMPTY, masked_lm

NAMES = {"features": "特徴量だけ (エンコーダ固定)", "finetuned": "ファインチューニング (全部の重み)"}
LIVE_NAMES = {"features": "いま学習: 特徴量だけ", "finetuned": "いま学習: ファインチューニング"}
LABELS_JA = {"negative": "ネガティブ", "positive": "ポジティブ"}


@dataclass(frozen=True)
class Trained:
    results: dict  # phase -> (validation accuracy, SentimentModel)


@dataclass(frozen=True)
class Verdicts:
    sentence: str
    rows: list  # (name, Verdict)


def bundled_name(meta: dict) -> str:
    kind, n = classifier_kind(meta)
    how = {"lora": f"LoRA で学習済み、階数 {n}", "all": "全部の重みをファインチューニング済み",
           "top": f"上の {n} 層をファインチューニング済み"}[kind]
    return f"同梱の分類器 ({how})"


class FinetunePage(Page):
    """C37: fine-tune the pretrained encoder for sentiment while watching; features only vs fine-tuned."""

    DEFAULT_CSS = """
    FinetunePage ProgressBar { width: 1fr; padding: 0 1; }
    """

    MAIN = "#ft-start"

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.curves: dict[str, dict[str, list[float]]] = {}
        self.results: dict[str, tuple] = {}
        self.running = False
        self.note = ""  # the last word on a run ("学習が終わりました。"): stays until the next run

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Button("ファインチューニングを始める", id="ft-start", compact=True, variant="primary")
            yield Button("止める", id="ft-stop", compact=True, disabled=True)
        yield ProgressBar(total=100, show_eta=False, id="ft-progress")
        with VerticalScroll():
            yield Static(Text(
                "事前学習した BERT から、感情 (ポジティブ / ネガティブ) の分類器を作ります。"
                f"対訳の英語側を VADER で採点したラベル付きの文 (約 {LIVE_TRAIN:,} 文) で、"
                "まず「特徴量だけ」(エンコーダを固定し、[CLS] の上の線形層だけを学習)、"
                "次に「ファインチューニング」(全部の重みを学習) を"
                "同じ回数だけ学習し、取り分けた文の正解率を比べます。CPU で数十秒かかります。"),
                classes="hint",
            )
            yield Static(id="ft-curves", classes="body")
            yield Static(id="ft-verdict", classes="body")

    # -- requests ----------------------------------------------------------------------------
    def sentence_changed(self, sentence: str) -> None:
        if not self.running:  # a run in progress classifies the newest sentence when it ends
            self.request("classify", sentence, dict(self.results))

    @on(Button.Pressed, "#ft-start")
    def _start(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            return
        self.running = True
        self.curves, self.results, self.note = {}, {}, ""
        self.query_one("#ft-start", Button).disabled = True
        self.query_one("#ft-stop", Button).disabled = False
        self.query_one("#ft-progress", ProgressBar).update(total=100, progress=0)
        self.request("train", self.app.paths.corpus_dir)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#ft-stop")
    def _stop(self, event: Button.Pressed) -> None:
        event.stop()
        self.workers.cancel_node(self)
        self.finish("止めました。")

    def finish(self, note: str = "") -> None:
        self.running = False
        self.note = note
        start = self.query_one("#ft-start", Button)
        start.disabled = False
        self.query_one("#ft-stop", Button).disabled = True
        if note:
            self.query_one(".message", Static).update(note)
        if self.screen.focused is None and start.focusable:
            start.focus(scroll_visible=False)  # the stop button that had the keys is disabled now

    # -- in the worker -----------------------------------------------------------------------
    def compute(self, job: str, *args):
        return self.train(*args) if job == "train" else self.classify(*args)

    def train(self, corpus_dir) -> Trained | None:
        from ...core import corpus
        from ...core.bert_explain import live_finetune
        from ...core.train import TrainingCancelled

        if not bert_available(self.models_dir):
            raise PageError(MISSING_BERT)
        try:
            data_dir = corpus.find(corpus_dir)
        except corpus.CorpusNotFound as exc:
            raise PageError(f"ラベル付きの文を読むのにコーパスが要ります。{exc}") from exc
        lm = masked_lm(self.models_dir, self.device)
        try:
            return Trained(live_finetune(lm, data_dir, self.report, self.cancelled, self.device))
        except TrainingCancelled:
            return None

    def classify(self, sentence: str, results: dict) -> Verdicts:
        from ...core import bert_lm, checkpoint

        if not bert_available(self.models_dir):
            raise PageError(MISSING_BERT)
        if not tokens_of(sentence):
            raise PageError(EMPTY)
        rows = []
        if bert_available(self.models_dir, bert_lm.CLASSIFIER_FOLDER):
            try:
                bundled = load_classifier(self.models_dir, self.device)
            except checkpoint.ModelError as exc:
                raise PageError(str(exc)) from exc
            rows.append((bundled_name(bundled.meta), bundled.classify(sentence)))
        for phase, name in LIVE_NAMES.items():
            if phase in results:
                rows.append((name, results[phase][1].classify(sentence)))
        return Verdicts(sentence, rows)

    # -- on screen ---------------------------------------------------------------------------
    def clear_error(self) -> None:
        self.query_one(".message", Static).update(self.note)

    def show_error(self, text: str) -> None:
        if self.running:
            self.finish()
        super().show_error(text)

    def draw_partial(self, step: LiveStep) -> None:
        p = step.progress
        curve = self.curves.setdefault(step.phase, {"loss": [], "acc": []})
        curve["loss"].append(p.loss)  # type: ignore[attr-defined]
        curve["acc"].append(p.accuracy)  # type: ignore[attr-defined]
        self.query_one("#ft-progress", ProgressBar).update(total=100, progress=round(step.done * 100))
        self.draw_curves(p.elapsed)  # type: ignore[attr-defined]

    def draw_curves(self, elapsed: float | None = None) -> None:
        out = Text()
        if elapsed is not None:
            out.append(f"経過 {elapsed:.0f} 秒\n", style="dim")
        for phase, curve in self.curves.items():
            out.append(NAMES[phase] + "\n", style="bold")
            out.append(f"  損失   {curve['loss'][-1]:.3f} ", style="")
            out.append(sparkline(curve["loss"], 50) + "\n", style="red")
            out.append(f"  正解率 {curve['acc'][-1]:.1%}  ", style="")
            out.append(sparkline(curve["acc"], 50, 0.0, 1.0) + "\n", style="green")
            if phase in self.results:
                out.append(f"  取り分けた {LIVE_VALID} 文での正解率: {self.results[phase][0]:.1%}\n",
                           style="bold yellow")
        self.query_one("#ft-curves", Static).update(out)

    def draw(self, result: Trained | Verdicts | None) -> None:
        if result is None:  # a stopped run
            return
        if isinstance(result, Trained):
            self.results = result.results
            self.finish("学習が終わりました。")
            self.query_one("#ft-progress", ProgressBar).update(total=100, progress=100)
            self.draw_curves()
            self.request("classify", self.sentence, dict(self.results))
            return
        out = Text(f"あなたの文: {result.sentence}\n", style="bold")
        if not result.rows:
            out.append("\nまだ分類器がありません。「ファインチューニングを始める」を押すと、学習した二つの分類器で"
                       "この文を判定します。", style="dim")
        for name, verdict in result.rows:
            out.append(f"\n{name}: ", style="bold")
            if verdict.unsure:  # the words that would decide it were [UNK] to the model (issue 18)
                out.append("判定できません", style="bold yellow")
                out.append(f"（{'、'.join(verdict.unknown)} をモデルが学習していません。下の確率は参考です）\n",
                           style="yellow")
            else:
                out.append(LABELS_JA[verdict.label] + "\n",
                           style="bold green" if verdict.label == "positive" else "bold red")
            for label in ("positive", "negative"):
                p = verdict.probabilities[label]
                out.append(f"  {fit(LABELS_JA[label], 12)} {p:6.3f} ")
                out.append(bar(p, 30) + "\n", style="green" if label == "positive" else "red")
        self.query_one("#ft-verdict", Static).update(out)
