"""L7 BERT, 実験 tab: fill the blanks, GPT against BERT, the masking recipe, the heads, fine-tuning live.

Tabs (each panel built when first shown):

- 穴埋め: the learner's sentence with chosen tokens (or typed ``[MASK]`` s) hidden,
  and BERT's candidates for every blank;
- GPT と BERT: one blank, filled by L6's GPT from the left side only and by
  BERT from both sides, side by side;
- マスクのかけ方: :func:`tutor.core.masking.mask_tokens` (the function training
  uses) drawn on the sentence, and counted over many draws;
- ヘッド一覧: every layer × head of BERT's self-attention (L5's panel);
- ファインチューニング: a short run from the pretrained encoder, features only
  and fine-tuned, with curves, then the sentence classified by both.

Models load in thread workers (torch is imported there) and stay cached.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, ProgressBar, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from ..core import checkpoint
from ..core.text import analyze
from ..widgets.bars import bar, fit
from .base import gone
from .legacy import DemoPanel, TabbedDemo
from . import models as _models
from .transformer import HeadsPanel

MISSING = "BERT のモデルが見つかりません。`tutor train bert --out models/bert` で作れます。"
TOP = 10
_lock = threading.Lock()  # the VADER labels


def load_bert(models_dir, device: str = "cpu"):
    return _models.load_bert(models_dir, device)


def load_classifier(models_dir, device: str = "cpu"):
    return _models.load_classifier(models_dir, device)


def available(models_dir, folder: str = "bert") -> bool:
    return _models.bert_available(models_dir, folder)


def tokens_of(sentence: str) -> list[str]:
    return [t.surface for t in analyze(sentence).tokens]


def default_blank(sentence: str) -> int:
    """A sensible first blank: the first noun, else the middle token."""
    tokens = analyze(sentence).tokens
    for i, t in enumerate(tokens):
        if t.pos_major == "名詞":
            return i
    return len(tokens) // 2


class Done(Message):
    """A worker's result: ``token`` says which request it answers."""

    def __init__(self, token: int, result, error: str | None = None) -> None:
        super().__init__()
        self.token, self.result, self.error = token, result, error


def candidate_lines(cands: list[tuple[str, float]], original: str | None, width: int = 20) -> Text:
    out = Text()
    for word, p in cands:
        hit = original is not None and word == original
        out.append(fit(word, 10) + " ", style="bold green" if hit else "")
        out.append(f"{p:6.3f} ")
        out.append(bar(p, width), style="green" if hit else "cyan")
        out.append(" ✓ もとの語\n" if hit else "\n", style="bold green")
    return out


class FillPanel(DemoPanel):
    """C33/C34: hide any tokens (or type [MASK]) and read BERT's candidates."""

    DEFAULT_CSS = """
    FillPanel #fm-input { width: 1fr; background: $boost; }
    FillPanel #fm-tokens { width: 26; height: 1fr; }
    FillPanel #fm-side { width: 1fr; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("文")
            yield Input(placeholder="日本語の文。[MASK] と書いた所も空所になります", id="fm-input", compact=True)
        yield Static(Text("左の一覧で隠す語を選びます (↑↓ で移動、Space か Enter で切り替え)。BERT は空所の左右を両方見て、入る語を当てます。"),
                     classes="hint")
        with Horizontal():
            yield SelectionList[int](id="fm-tokens")
            with VerticalScroll(id="fm-side"):
                yield Static(id="fm-result", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        box = self.query_one("#fm-input", Input)
        with self.prevent(Input.Changed):
            box.value = sentence
        self.fill_tokens(sentence, default_blank(sentence))

    def fill_tokens(self, text: str, chosen: int | None) -> None:
        from ..core.bert_lm import split_masks

        tokens, _ = split_masks(text)
        sel = self.query_one("#fm-tokens", SelectionList)
        with self.prevent(SelectionList.SelectedChanged):
            sel.clear_options()
            for i, t in enumerate(tokens):
                typed = t == "[MASK]"  # already a blank
                sel.add_option(Selection(Text(f"{i + 1:>2} {t}"), i, i == chosen and not typed, disabled=typed))
        self.recompute()

    @on(Input.Changed, "#fm-input")
    def _typed(self, event: Input.Changed) -> None:
        from ..core.bert_lm import MASK_PATTERN

        event.stop()
        self.fill_tokens(event.value, None if MASK_PATTERN.search(event.value) else default_blank(event.value))

    @on(SelectionList.SelectedChanged, "#fm-tokens")
    def _picked(self, event) -> None:
        event.stop()
        self.recompute()

    def recompute(self) -> None:
        self._token += 1
        text = self.query_one("#fm-input", Input).value
        chosen = tuple(self.query_one("#fm-tokens", SelectionList).selected)
        self.compute(self._token, text, chosen)

    @work(thread=True, exclusive=True, group="fm", exit_on_error=False)
    def compute(self, token: int, text: str, chosen: tuple[int, ...]) -> None:
        if not available(self.models_dir):
            self.post_message(Done(token, None, MISSING))
            return
        try:
            lm = load_bert(self.models_dir, self.demo.torch_device)
        except checkpoint.ModelError as exc:
            self.post_message(Done(token, None, str(exc)))
            return
        from ..core.bert_lm import split_masks

        tokens, _ = split_masks(text)
        filled = lm.fill(text, top_k=TOP, extra_masks=chosen)
        self.post_message(Done(token, (filled, {i: tokens[i] for i in chosen if i < len(tokens)})))

    def on_done(self, message: Done) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        out = self.query_one("#fm-result", Static)
        if message.result is None:
            out.update("")
            return
        filled, originals = message.result
        if not filled.tokens:
            out.update("文が空です。日本語の文を入力してください。")
            return
        text = Text("BERT が読む文: ", style="bold")
        text.append("[CLS] ", style="dim")
        for t in filled.tokens:
            text.append(t, style="bold reverse yellow" if t == "[MASK]" else "")
            text.append(" ")
        text.append("[SEP]\n", style="dim")
        for notice in filled.notices:
            text.append(notice + "\n", style="dim")
        if not filled.blanks:
            text.append("\n空所がありません。左の一覧で隠す語を選ぶか、文に [MASK] と書いてください。", style="dim")
        for n, blank in enumerate(filled.blanks, 1):
            original = originals.get(blank.index)
            text.append(f"\n空所 {n} ({blank.index + 1} 語目)", style="bold")
            text.append(f"  もとの語: {original}\n" if original else "  (あなたが書いた [MASK])\n", style="dim")
            text.append_text(candidate_lines(blank.candidates, original))
        out.update(text)


class VersusPanel(DemoPanel):
    """C35: the same blank, GPT from the left only, BERT from both sides."""

    DEFAULT_CSS = """
    VersusPanel #vs-position { width: 30; }
    VersusPanel .column { width: 1fr; height: auto; padding: 0 1; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0
        self.tokens: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("空所にする語")
            yield Select([("1", 0)], value=0, allow_blank=False, id="vs-position", compact=True)
        with VerticalScroll():
            yield Static(id="vs-context", classes="body")
            with Horizontal(classes="row"):
                yield Static(id="vs-gpt", classes="column")
                yield Static(id="vs-bert", classes="column")
            yield Static(id="vs-note", classes="hint")

    def sentence_changed(self, sentence: str) -> None:
        self.tokens = tokens_of(sentence)
        sel = self.query_one("#vs-position", Select)
        with self.prevent(Select.Changed):
            if self.tokens:
                sel.set_options([(Text(f"{i + 1} {t}"), i) for i, t in enumerate(self.tokens)])
                sel.value = default_blank(sentence)
        self.recompute()

    @on(Select.Changed, "#vs-position")
    def _moved(self, event: Select.Changed) -> None:
        event.stop()
        self.recompute()

    def recompute(self) -> None:
        self._token += 1
        value = self.query_one("#vs-position", Select).value
        self.compute(self._token, list(self.tokens), value if isinstance(value, int) else 0)

    @work(thread=True, exclusive=True, group="vs", exit_on_error=False)
    def compute(self, token: int, tokens: list[str], index: int) -> None:
        if not tokens:
            self.post_message(Done(token, None, "文が空です。s キーであなたの文を入力してください。"))
            return
        if not available(self.models_dir):
            self.post_message(Done(token, None, MISSING))
            return
        import torch

        from ..core.gpt_lm import join

        index = min(index, len(tokens) - 1)
        bert = load_bert(self.models_dir, self.demo.torch_device)
        filled = bert.fill(join(tokens), top_k=TOP, extra_masks=(index,))
        bert_cands = filled.blanks[0].candidates if filled.blanks else []
        gpt_cands, gpt_error = None, None
        from .models import gpt_available, load_lm

        if gpt_available(self.models_dir):
            lm = load_lm(self.models_dir, self.demo.torch_device)
            probs = torch.softmax(lm.next_logits(join(tokens[:index])).float(), -1).cpu()
            probs[:4] = 0  # <pad> <s> </s> <unk> are not words to offer
            probs /= probs.sum()
            top = torch.topk(probs, TOP)
            gpt_cands = [(lm.vocab.tokens[i], float(p)) for p, i in zip(top.values, top.indices)]
        else:
            gpt_error = "L6 の GPT が見つかりません。"
        self.post_message(Done(token, (tokens, index, gpt_cands, gpt_error, bert_cands)))

    def on_done(self, message: Done) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        if message.result is None:
            for box in ("#vs-context", "#vs-gpt", "#vs-bert", "#vs-note"):
                self.query_one(box, Static).update("")
            return
        tokens, index, gpt_cands, gpt_error, bert_cands = message.result
        original = tokens[index]
        ctx = Text("GPT が見る:  ", style="bold")
        ctx.append("".join(tokens[:index]))
        ctx.append("＿＿", style="bold reverse yellow")
        ctx.append("".join(tokens[index + 1 :]) + "\n", style="dim strike")
        ctx.append("BERT が見る: ", style="bold")
        ctx.append("".join(tokens[:index]))
        ctx.append("＿＿", style="bold reverse yellow")
        ctx.append("".join(tokens[index + 1 :]) + "\n")
        ctx.append(f"もとの語: {original}", style="dim")
        self.query_one("#vs-context", Static).update(ctx)
        gpt = Text("GPT (左だけ)\n", style="bold")
        if gpt_cands is None:
            gpt.append(gpt_error or "", style="red")
        else:
            gpt.append_text(candidate_lines(gpt_cands, original, 12))
        self.query_one("#vs-gpt", Static).update(gpt)
        bert = Text("BERT (左右の両方)\n", style="bold")
        bert.append_text(candidate_lines(bert_cands, original, 12))
        self.query_one("#vs-bert", Static).update(bert)
        self.query_one("#vs-note", Static).update(
            "GPT は空所の右側を知らないので、そこで文が続きそうな語を挙げます。BERT は右側も読むので、"
            "後ろの語とつながる語を選べます。その代わり BERT は、左から右へ一語ずつ文を書くことはできません。"
        )


FATE_STYLE = {0: "dim", 1: "bold white on red", 2: "bold black on yellow", 3: "bold black on green"}


class MaskingPanel(DemoPanel):
    """C34: the training's own masking function, drawn once and counted over many draws."""

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0
        self.seed = 0
        self.counts = [0, 0, 0, 0, 0]  # draws, real tokens, [MASK], random, unchanged

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Button("もう一度引く", id="mk-draw", compact=True, variant="primary")
            yield Button("1000 回引く", id="mk-many", compact=True)
            yield Button("数え直す", id="mk-reset", compact=True)
        with VerticalScroll():
            yield Static(Text(
                "学習と同じ関数で、あなたの文の語の 15% を選び、選んだ語の 80% を [MASK]、10% をランダムな語、"
                "10% をそのままにします。短い文では、1 語も選ばれない回もあります。"),
                classes="hint",
            )
            yield Static(id="mk-draw-view", classes="body")
            yield Static(id="mk-counts", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self.counts = [0, 0, 0, 0, 0]
        self.run(1)

    @on(Button.Pressed, "#mk-draw")
    def _draw(self, event: Button.Pressed) -> None:
        event.stop()
        self.run(1)

    @on(Button.Pressed, "#mk-many")
    def _many(self, event: Button.Pressed) -> None:
        event.stop()
        self.run(1000)

    @on(Button.Pressed, "#mk-reset")
    def _reset(self, event: Button.Pressed) -> None:
        event.stop()
        self.counts = [0, 0, 0, 0, 0]
        self.run(1)

    def run(self, draws: int) -> None:
        self._token += 1
        self.seed += 1
        self.compute(self._token, self.demo.sentence, self.seed, draws)

    @work(thread=True, exclusive=True, group="mk", exit_on_error=False)
    def compute(self, token: int, sentence: str, seed: int, draws: int) -> None:
        if not available(self.models_dir):
            self.post_message(Done(token, None, MISSING))
            return
        import torch

        from ..core.bert import encode
        from ..core.masking import mask_tokens

        lm = load_bert(self.models_dir, self.demo.torch_device)
        tokens = tokens_of(sentence)
        if not tokens:
            self.post_message(Done(token, None, "文が空です。s キーであなたの文を入力してください。"))
            return
        ids = torch.tensor([encode(lm.vocab, tokens, lm.model.cfg.max_positions)] * draws)
        m = mask_tokens(ids, len(lm.vocab), torch.Generator().manual_seed(seed))
        last = (["[CLS]", *tokens[: ids.size(1) - 2], "[SEP]"], m.fate[-1].tolist(),
                [lm.vocab.tokens[i] for i in m.inputs[-1].tolist()])
        real = int((ids >= 7).sum())
        counts = [draws, real, *(int((m.fate == f).sum()) for f in (1, 2, 3))]
        self.post_message(Done(token, (last, counts)))

    def on_done(self, message: Done) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        if message.result is None:
            return
        (tokens, fates, inputs), counts = message.result
        self.counts = [a + b for a, b in zip(self.counts, counts)]
        from rich.cells import cell_len

        out = Text("最後に引いた結果\n", style="bold")
        widths = [max(cell_len(t), cell_len(seen)) for t, seen in zip(tokens, inputs)]
        out.append(fit("もとの文", 13))
        for t, w in zip(tokens, widths):
            out.append(fit(t, w) + " ")
        out.append("\n" + fit("モデルが読む", 13))
        for f, seen, w in zip(fates, inputs, widths):
            out.append(fit(seen, w), style=FATE_STYLE[f])
            out.append(" ")
        out.append("\n" + fit("当てる語", 13))
        for t, f, w in zip(tokens, fates, widths):
            out.append(fit(t if f else "", w) + " ", style="bold")
        out.append("\n\n")
        for f, name in ((1, "[MASK] に置換"), (2, "ランダムな語に置換"), (3, "そのまま (でも当てる)")):
            out.append(" " + name + " ", style=FATE_STYLE[f])
            out.append("  ")
        out.append(" 選ばれない (損失なし) ", style="dim")
        self.query_one("#mk-draw-view", Static).update(out)
        draws, real, masked, random_, same = self.counts
        chosen = masked + random_ + same
        table = Text(f"\nこれまでに引いた回数: {draws:,} 回 (語の数 {real:,})\n", style="bold")

        def row(name: str, n: int, of: int, target: str) -> None:
            share = n / of if of else 0.0
            table.append(f"  {fit(name, 26)} {n:>7,} {share:7.1%}  (目標 {target})  ")
            table.append(bar(share, 20) + "\n", style="cyan")

        row("選ばれた語 / すべての語", chosen, real, "15%")
        row("[MASK] / 選ばれた語", masked, chosen, "80%")
        row("ランダムな語 / 選ばれた語", random_, chosen, "10%")
        row("そのまま / 選ばれた語", same, chosen, "10%")
        table.append("\n回数を増やすほど、割合が目標に近づきます。", style="dim")
        self.query_one("#mk-counts", Static).update(table)


class BertHeadsPanel(HeadsPanel):
    """C36: every layer × head of the bundled BERT's self-attention on the learner's sentence."""

    HINT: ClassVar[str] = (
        "BERT の自己アテンション: 各語 (行) が、同じ文のどの語 (列) を見ているか。マスクがないので、右側の語も見られます。"
        "小さな表 1 つが 1 つのヘッドです (L = 層、H = ヘッド)。[CLS] や [SEP]、句読点に集まるヘッドもあります。"
    )

    @work(thread=True, exclusive=True, exit_on_error=False)
    def compute(self, token: int, sentence: str) -> None:
        from .transformer import Computed

        if not available(self.models_dir):
            self.post_message(Computed(token, None, MISSING))
            return
        if not tokens_of(sentence):
            self.post_message(Computed(token, None, "文が空です。日本語の文を入力してください。"))
            return
        try:
            lm = load_bert(self.models_dir, self.demo.torch_device)
        except checkpoint.ModelError as exc:
            self.post_message(Computed(token, None, str(exc)))
            return
        self.post_message(Computed(token, lm.attention(sentence), None))

    def view(self) -> tuple[list[str], list]:
        return self.result


class FinetuneProgressMsg(Message):
    def __init__(self, token: int, phase: str, progress) -> None:
        super().__init__()
        self.token, self.phase, self.progress = token, phase, progress


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 60, lo: float | None = None, hi: float | None = None) -> str:
    if not values:
        return ""
    step = max(1, len(values) // width + (1 if len(values) % width else 0))
    points = [sum(values[i : i + step]) / len(values[i : i + step]) for i in range(0, len(values), step)]
    lo = min(points) if lo is None else lo
    hi = max(points) if hi is None else hi
    span = (hi - lo) or 1.0
    return "".join(SPARK[max(0, min(7, int((v - lo) / span * 7.999)))] for v in points)


LIVE_TRAIN = 4500  # labelled sentences used by the live run (the VADER train split at LIVE_THRESHOLD has about 4,500)
LIVE_VALID = 560
# A stricter cut-off than the bundled classifier's (sentiment.THRESHOLD): a half-minute run on a few
# thousand sentences shows the features-only / fine-tuned gap best on the clearest cases. Measured with
# `python benchmarks/bert.py --live`: at 0.5 features only ~65 %, fine-tuned ~79 % (majority ~70 %);
# at 0.2 both runs stay within a few points of the majority class (~66 %).
LIVE_THRESHOLD = 0.5


def live_config():
    from ..core.train.bert import FinetuneConfig

    return FinetuneConfig(epochs=4, batch_size=32, lr=2e-4)


_labels: dict[str, dict] = {}


def live_labels(data_dir) -> dict:
    """The corpus labelled through its English side with VADER (about a second), once per process."""
    from ..core import sentiment

    key = str(data_dir)
    with _lock:
        if key not in _labels:
            _labels[key] = sentiment.make_labels(data_dir, threshold=LIVE_THRESHOLD)
        return _labels[key]


class FinetunePanel(DemoPanel):
    """C37: fine-tune the pretrained encoder for sentiment while watching; features only vs fine-tuned."""

    DEFAULT_CSS = """
    FinetunePanel ProgressBar { width: 1fr; padding: 0 1; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0
        self.curves: dict[str, dict[str, list[float]]] = {}
        self.results: dict[str, tuple] = {}
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Button("ファインチューニングを始める", id="ft-start", compact=True, variant="primary")
            yield Button("止める", id="ft-stop", compact=True, disabled=True)
        yield ProgressBar(total=100, show_eta=False, id="ft-progress")
        with VerticalScroll():
            yield Static(Text(
                f"事前学習した BERT から、感情 (ポジティブ / ネガティブ) の分類器を作ります。対訳の英語側を VADER で採点したラベル付きの文 (約 {LIVE_TRAIN:,} 文) で、"
                "まず「特徴量だけ」(エンコーダを固定し、[CLS] の上の線形層だけを学習)、次に「ファインチューニング」(全部の重みを学習) を"
                "同じ回数だけ学習し、取り分けた文の正解率を比べます。CPU で 1 分ほどかかります。"),
                classes="hint",
            )
            yield Static(id="ft-curves", classes="body")
            yield Static(id="ft-verdict", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.classify(self._token, sentence, dict(self.results))

    @on(Button.Pressed, "#ft-start")
    def _start(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            return
        self.running = True
        self.curves, self.results = {}, {}
        self.query_one("#ft-start", Button).disabled = True
        self.query_one("#ft-stop", Button).disabled = False
        self.query_one("#ft-progress", ProgressBar).update(total=100, progress=0)
        self._token += 1
        self.train(self._token, self.demo.sentence)

    @on(Button.Pressed, "#ft-stop")
    def _stop(self, event: Button.Pressed) -> None:
        event.stop()
        self.workers.cancel_group(self, "ft-train")
        self.finish("止めました。")

    def finish(self, note: str = "") -> None:
        self.running = False
        if gone(self):
            return
        self.query_one("#ft-start", Button).disabled = False
        self.query_one("#ft-stop", Button).disabled = True
        if note:
            self.query_one(".message", Static).update(note)

    @work(thread=True, exclusive=True, group="ft-train", exit_on_error=False)
    def train(self, token: int, sentence: str) -> None:
        from ..core import bert_lm, corpus, sentiment
        from ..core.bert import encode
        from ..core.text import tokenize
        from ..core.train import TrainingCancelled
        from ..core.train.bert import accuracy, finetune

        worker = get_current_worker()
        if not available(self.models_dir):
            self.post_message(Done(token, None, MISSING))
            return
        try:
            data_dir = corpus.find(self.app.paths.corpus_dir)  # type: ignore[attr-defined]
        except corpus.CorpusNotFound as exc:
            self.post_message(Done(token, None, f"ラベル付きの文を読むのにコーパスが要ります。{exc}"))
            return
        lm = load_bert(self.models_dir, self.demo.torch_device)
        labels = live_labels(data_dir)
        n = lm.model.cfg.max_positions

        def encoded(rows):
            data = sentiment.resolve(data_dir, rows)
            return [encode(lm.vocab, tokenize(s), n) for s in data.texts], data.labels

        train = encoded(labels["train"][:LIVE_TRAIN])
        valid = encoded(labels["valid"][:LIVE_VALID])
        cfg = live_config()
        phases = (("features", True), ("finetuned", False))
        results = {}
        for k, (phase, freeze) in enumerate(phases):
            def progress(p, phase=phase, k=k) -> None:
                done = (k + ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches)) / len(phases)
                self.post_message(FinetuneProgressMsg(token, phase, (p, done)))

            try:
                model, _ = finetune(lm.model, train, valid, cfg, freeze=freeze, on_progress=progress,
                                    should_stop=lambda: worker.is_cancelled, device=self.demo.torch_device)
            except TrainingCancelled:
                return
            model.to(self.demo.torch_device)
            clf = bert_lm.SentimentModel(model, lm.vocab)
            results[phase] = (accuracy(model, *valid), clf)
        self.post_message(Done(token, ("trained", results)))

    def on_finetune_progress_msg(self, message: FinetuneProgressMsg) -> None:
        message.stop()
        if message.token != self._token:
            return
        p, done = message.progress
        curve = self.curves.setdefault(message.phase, {"loss": [], "acc": []})
        curve["loss"].append(p.loss)
        curve["acc"].append(p.accuracy)
        self.query_one("#ft-progress", ProgressBar).update(total=100, progress=round(done * 100))
        self.draw_curves(p.elapsed)

    def draw_curves(self, elapsed: float | None = None) -> None:
        names = {"features": "特徴量だけ (エンコーダ固定)", "finetuned": "ファインチューニング (全部の重み)"}
        out = Text()
        if elapsed is not None:
            out.append(f"経過 {elapsed:.0f} 秒\n", style="dim")
        for phase, curve in self.curves.items():
            out.append(names[phase] + "\n", style="bold")
            out.append(f"  損失   {curve['loss'][-1]:.3f} ", style="")
            out.append(sparkline(curve["loss"], 50) + "\n", style="red")
            out.append(f"  正解率 {curve['acc'][-1]:.1%}  ", style="")
            out.append(sparkline(curve["acc"], 50, 0.0, 1.0) + "\n", style="green")
            if phase in self.results:
                out.append(f"  取り分けた {LIVE_VALID} 文での正解率: {self.results[phase][0]:.1%}\n", style="bold yellow")
        self.query_one("#ft-curves", Static).update(out)

    @work(thread=True, exclusive=True, group="ft-classify", exit_on_error=False)
    def classify(self, token: int, sentence: str, results: dict) -> None:
        from ..core import bert_lm

        if not available(self.models_dir):
            self.post_message(Done(token, ("verdicts", []), MISSING))
            return
        if not tokens_of(sentence):
            self.post_message(Done(token, ("verdicts", []), "文が空です。s キーであなたの文を入力してください。"))
            return
        rows = []
        if available(self.models_dir, bert_lm.CLASSIFIER_FOLDER):
            try:
                bundled = load_classifier(self.models_dir, self.demo.torch_device)
                top, low_rank = bundled.meta.get("top_layers"), bundled.meta.get("lora")
                how = (f"LoRA で学習済み、階数 {low_rank['rank']}" if low_rank else
                       "全部の重みをファインチューニング済み" if top is None else f"上の {top} 層をファインチューニング済み")
                rows.append((f"同梱の分類器 ({how})", bundled.classify(sentence)))
            except checkpoint.ModelError as exc:
                self.post_message(Done(token, ("verdicts", []), str(exc)))
                return
        for phase, name in (("features", "いま学習: 特徴量だけ"), ("finetuned", "いま学習: ファインチューニング")):
            if phase in results:
                rows.append((name, results[phase][1].classify(sentence)))
        self.post_message(Done(token, ("verdicts", rows), None))

    def on_done(self, message: Done) -> None:
        message.stop()
        if message.token != self._token:
            return
        if message.error:
            self.query_one(".message", Static).update(message.error)
        if message.result is None:
            self.finish()
            return
        kind, payload = message.result
        if kind == "trained":
            self.results = payload
            self.finish("学習が終わりました。")
            self.query_one("#ft-progress", ProgressBar).update(total=100, progress=100)
            self.draw_curves()
            self.classify(self._token, self.demo.sentence, dict(self.results))
            return
        from ..core.bert_lm import LABELS_JA

        out = Text(f"あなたの文: {self.demo.sentence}\n", style="bold")
        if not payload and not message.error:
            out.append("\nまだ分類器がありません。「ファインチューニングを始める」を押すと、学習した二つの分類器で"
                       "この文を判定します。", style="dim")
        for name, verdict in payload:
            out.append(f"\n{name}: ", style="bold")
            out.append(LABELS_JA[verdict.label] + "\n", style="bold green" if verdict.label == "positive" else "bold red")
            for label in ("positive", "negative"):
                p = verdict.probabilities[label]
                out.append(f"  {fit(LABELS_JA[label], 12)} {p:6.3f} ")
                out.append(bar(p, 30) + "\n", style="green" if label == "positive" else "red")
        self.query_one("#ft-verdict", Static).update(out)


class BertDemo(TabbedDemo):
    """The L7 demo."""

    TABS_ID = "bert-tabs"
    TABS: ClassVar[dict[str, str]] = {
        "bert-fill": "穴埋め",
        "bert-vs-gpt": "GPT と BERT",
        "bert-masking": "マスクのかけ方",
        "bert-heads": "ヘッド一覧",
        "bert-finetune": "ファインチューニング",
    }
    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {
        "bert-fill": FillPanel,
        "bert-vs-gpt": VersusPanel,
        "bert-masking": MaskingPanel,
        "bert-heads": BertHeadsPanel,
        "bert-finetune": FinetunePanel,
    }


__all__ = ["BertDemo", "gone"]
