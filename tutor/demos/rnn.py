"""L3 RNN と seq2seq, 実験 tab: a bigram model, an RNN unrolled, a plain seq2seq, and the bottleneck in figures.

Four panels, each built the first time its tab is shown:

- バイグラム: the learner's sentence scored pair by pair from corpus counts, and
  text generated word by word with the counts behind every choice;
- RNN の展開: the encoder's hidden state after each word, drawn as a strip;
- 翻訳: the plain seq2seq (no attention) next to the attention model on the
  learner's sentence, with the probability of every word it chose;
- 長さと BLEU: dev BLEU by source length for every bundled translator, read
  from their config.json: the bottleneck shown with data.

Models load in thread workers (torch is imported there) and stay cached.
"""

from __future__ import annotations

import math
import threading
from itertools import pairwise
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from ..core import checkpoint
from ..core.text import analyze
from ..core.variants import BEST, BUNDLED, VARIANT_NAMES, VARIANTS
from ..widgets.bars import bar, fit
from ..widgets.state_strip import StateStrip
from .base import gone
from .legacy import DemoPanel, TabbedDemo

BUCKET_ORDER = ("≤ 8", "9–12", "≥ 13")
TOP_CANDIDATES = 4

_bigram: dict[str, object] = {}
_bigram_lock = threading.Lock()


def load_bigram(models_dir):
    """The bundled bigram counts, loaded once per process."""
    from ..core import ngram

    key = str(models_dir)
    with _bigram_lock:
        if key not in _bigram:
            _bigram[key] = ngram.load(models_dir / ngram.BUNDLED)[0]
        return _bigram[key]


def sentence_tokens(sentence: str) -> tuple[list[str], tuple[str, ...]]:
    analysis = analyze(sentence)
    return [t.surface for t in analysis.tokens], analysis.notices


Panel = DemoPanel


class BigramPanel(Panel):
    """p(word | previous word) from counts: the learner's sentence scored, and text generated."""

    class Ready(Message):
        def __init__(self, model, error: str | None) -> None:
            super().__init__()
            self.model, self.error = model, error

    def __init__(self, demo: RnnDemo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.model = None
        self.seed = 1

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="bg-message")
        with VerticalScroll():
            yield Static(
                "前の 1 語だけを見て次の語を当てるモデルです。確率は数えた回数の比 "
                "p(語 | 前の語) = 回数(前の語, 語) / 回数(前の語)。",
                classes="hint",
            )
            yield Static(id="bg-score", classes="body")
            with Horizontal(classes="row"):
                yield Button("文を生成", id="bg-generate", variant="primary", compact=True)
                yield Button("別の乱数で", id="bg-reseed", compact=True)
                yield Label("", id="bg-seed", classes="hint")
            yield Static(id="bg-generated", classes="body")

    def on_mount(self) -> None:
        if gone(self):
            return
        self.query_one("#bg-score", Static).update(Text("数え上げを読み込み中…", style="dim"))
        self.load()

    @work(thread=True, exclusive=True, group="bg-load", exit_on_error=False)
    def load(self) -> None:
        try:
            self.post_message(self.Ready(load_bigram(self.models_dir), None))
        except checkpoint.ModelError as exc:
            self.post_message(self.Ready(None, f"{exc}\n`tutor train bigram --out models/bigram-ja` で作り直せます。"))

    def on_bigram_panel_ready(self, message: Ready) -> None:
        self.model = message.model
        if message.error:
            self.query_one("#bg-message", Static).update(message.error)
            self.query_one("#bg-score", Static).update("")
            return
        self.sentence_changed(self.demo.sentence)
        self.generate()

    def sentence_changed(self, sentence: str) -> None:
        if self.model is None:
            return
        from ..core.ngram import BOS, EOS

        lm = self.model
        words, notices = sentence_tokens(sentence)
        self.query_one("#bg-message", Static).update(Text("\n".join(notices)))
        if not words:
            self.query_one("#bg-score", Static).update("文が空です。上の欄に日本語の文を入力してください。")
            return
        seq = [BOS, *words, EOS]
        out = Text("あなたの文を 2 語ずつ\n", style="bold")
        out.append(f"{fit('前の語', 10)} {fit('語', 10)} {fit('回数', 7)} {fit('/ 前の語の回数', 16)} 確率\n", style="dim")
        logp = 0.0
        for a, b in pairwise(seq):
            c, total, p = lm.count(a, b), lm.total(a), lm.prob(a, b)
            logp += math.log(p)
            out.append(f"{fit(a, 10)} {fit(b, 10)} {c:>7,} / {total:<14,} ")
            out.append(f"{p:.4f}", style="bold red" if c == 0 else "")
            out.append(" " + bar(p, 12), style="red" if c == 0 else "green")
            if c == 0:
                out.append(" 見たことのない組（平滑化でわずかに残す）", style="red")
            out.append("\n")
        ppl = math.exp(-logp / (len(seq) - 1))
        out.append(f"文の確率 = 積 = {math.exp(logp):.3g}（対数 {logp:.1f}）、1 語あたりのパープレキシティ {ppl:.1f}", style="bold")
        self.query_one("#bg-score", Static).update(out)

    @on(Button.Pressed, "#bg-generate")
    def _generate(self, event: Button.Pressed) -> None:
        event.stop()
        self.generate()

    @on(Button.Pressed, "#bg-reseed")
    def _reseed(self, event: Button.Pressed) -> None:
        event.stop()
        self.seed += 1
        self.generate()

    def generate(self) -> None:
        if self.model is None:
            return
        from ..core.ngram import BOS, EOS

        lm = self.model
        words = lm.generate(seed=self.seed, max_words=25)
        self.query_one("#bg-seed", Label).update(f"乱数の種 {self.seed}")
        out = Text("生成した文: ", style="bold")
        out.append("".join(words) or "（空）")
        out.append("\n\n1 語ずつ: 前の語のあとに来た回数に比例したくじで選ぶ\n", style="dim")
        seq = [BOS, *words, EOS] if len(words) < 25 else [BOS, *words]
        for a, b in pairwise(seq):
            out.append(f"{fit(a, 8)} → ")
            out.append(fit(b, 8), style="bold yellow")
            out.append(f" {lm.count(a, b):>6,} 回 / {lm.total(a):,}  候補: ", style="")
            tops = lm.next_words(a, TOP_CANDIDATES)
            out.append("  ".join(f"{w} {c:,}" for w, c, _ in tops), style="dim")
            out.append("\n")
        self.query_one("#bg-generated", Static).update(out)


class UnrollPanel(Panel):
    """The encoder GRU over the learner's sentence: h_t after each word, as a strip."""

    class Unrolled(Message):
        def __init__(self, token: int, words: list[str], result, error: str | None) -> None:
            super().__init__()
            self.token, self.words, self.result, self.error = token, words, result, error

    def __init__(self, demo: RnnDemo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="ur-message")
        with VerticalScroll():
            yield Static(
                "RNN は 1 語読むたびに隠れ状態 h を更新します: h_t = GRU(x_t, h_(t−1))。"
                "どの語でも同じ重みを使い回します。下の帯は翻訳モデル（アテンションなし）の"
                "エンコーダが、各語を読んだ直後に持っている h_t です。",
                classes="hint",
            )
            yield Static(id="ur-legend", classes="hint")
            yield StateStrip(id="ur-strip")
            yield Static(id="ur-summary", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.query_one("#ur-summary", Static).update(Text("計算中…", style="dim"))
        self.compute(self._token, sentence)

    @work(thread=True, exclusive=True, group="ur-compute", exit_on_error=False)
    def compute(self, token: int, sentence: str) -> None:
        from .models import available_variants, load_translator

        words, _ = sentence_tokens(sentence)
        variants = available_variants(self.models_dir)
        if not variants:
            self.post_message(self.Unrolled(token, words, None, "翻訳モデルが見つかりません。"))
            return
        if not words:
            self.post_message(self.Unrolled(token, words, None, "文が空です。日本語の文を入力してください。"))
            return
        from ..core.unroll import unroll

        try:
            model = load_translator(self.models_dir, "plain" if "plain" in variants else variants[0], self.demo.torch_device)
        except checkpoint.ModelError as exc:
            self.post_message(self.Unrolled(token, words, None, str(exc)))
            return
        self.post_message(self.Unrolled(token, words, unroll(model.model, model.src_vocab.encode(words)), None))

    def on_unroll_panel_unrolled(self, message: Unrolled) -> None:
        if message.token != self._token:
            return
        strip = self.query_one("#ur-strip", StateStrip)
        if message.error:
            self.query_one("#ur-message", Static).update(message.error)
            self.query_one("#ur-summary", Static).update("")
            strip.set_rows([])
            return
        self.query_one("#ur-message", Static).update("")
        u = message.result
        rows = [(f"{t + 1} {w}", h, f"{d:.1f}") for t, (w, h, d) in enumerate(zip(message.words, u.forward, u.change))]
        rows.append(("→ デコーダ", u.first, ""))
        strip.set_rows(rows)
        self.call_after_refresh(self._legend, u.hidden)
        moved = max(range(len(u.change)), key=u.change.__getitem__)
        summary = Text()
        summary.append(f"右端の数 = その語で h がどれだけ動いたか（‖h_t − h_(t−1)‖）。いちばん動かしたのは「{message.words[moved]}」。\n")
        summary.append(
            f"アテンションなしのデコーダが受け取るのは最後の行の {u.hidden} 個の数だけです。"
            f"{len(message.words)} 語の文でも 30 語の文でも同じ大きさ: これがボトルネックです。",
            style="bold",
        )
        self.query_one("#ur-summary", Static).update(summary)

    def _legend(self, hidden: int) -> None:
        shown = self.query_one("#ur-strip", StateStrip).shown_dims()
        legend = Text("1 行 = 1 語読んだあとの h_t、1 マス = 1 次元。赤 = 正、青 = 負、濃いほど絶対値が大きい。")
        legend.append(f"\n{hidden} 次元のうち先頭 {shown} 次元を表示（右端の数は下の説明を参照）。", style="dim")
        self.query_one("#ur-legend", Static).update(legend)


class TranslatePanel(Panel):
    """The plain seq2seq and the best attention model on the learner's sentence, word by word."""

    class Translated(Message):
        def __init__(self, token: int, results: list[tuple[str, list[tuple[str, float]]]], source: list[str], error: str | None) -> None:
            super().__init__()
            self.token, self.results, self.source, self.error = token, results, source, error

    def __init__(self, demo: RnnDemo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="message", id="tr-message")
        with VerticalScroll():
            yield Static(
                "エンコーダが文を読み終えた状態から、デコーダが英語を 1 語ずつ出します。"
                "各語の右の数は、デコーダがその語に付けた確率です（貪欲法: 毎回いちばん高い語）。",
                classes="hint",
            )
            yield Static(id="tr-output", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.query_one("#tr-output", Static).update(Text("翻訳中…", style="dim"))
        self.translate(self._token, sentence)

    @work(thread=True, exclusive=True, group="tr-translate", exit_on_error=False)
    def translate(self, token: int, sentence: str) -> None:
        from .models import available_variants, load_translator

        words, _ = sentence_tokens(sentence)
        present = available_variants(self.models_dir)
        attention = [v for v in present if v != "plain"]
        best = BEST if BEST in attention else (attention[0] if attention else None)
        variants = [v for v in ("plain", best) if v in present]
        if not words or not variants:
            error = "文が空です。日本語の文を入力してください。" if variants else "翻訳モデルが見つかりません。"
            self.post_message(self.Translated(token, [], words, error))
            return
        from ..core.seq2seq_decode import greedy_steps
        from ..core.vocab import EOS_ID

        results = []
        for variant in variants:
            try:
                model = load_translator(self.models_dir, variant, self.demo.torch_device)
            except checkpoint.ModelError as exc:
                self.post_message(self.Translated(token, [], words, str(exc)))
                return
            steps = greedy_steps(model.model, model.src_vocab.encode(words))
            results.append((variant, [(model.tgt_vocab.tokens[s.token], s.prob) for s in steps if s.token != EOS_ID]))
        self.post_message(self.Translated(token, results, words, None))

    def on_translate_panel_translated(self, message: Translated) -> None:
        if message.token != self._token:
            return
        self.query_one("#tr-message", Static).update(message.error or "")
        out = Text()
        for variant, words in message.results:
            out.append(f"{VARIANT_NAMES[variant]}\n", style="bold")
            out.append("  " + " ".join(w for w, _ in words) + "\n", style="bold yellow" if variant == "plain" else "bold cyan")
            for w, p in words:
                out.append(f"    {fit(w, 12)} {p:.2f} ", style="")
                out.append(bar(p, 15) + "\n", style="yellow" if variant == "plain" else "cyan")
            out.append("\n")
        if message.results:
            out.append(
                f"原文 {len(message.source)} 語。アテンションなしのモデルは、その全部を 1 本のベクトルに詰めてから訳し始めます。"
                "長い文ほど途中の語を落としやすくなります（「長さと BLEU」のタブ）。",
                style="dim",
            )
        self.query_one("#tr-output", Static).update(out)


def bleu_table(models_dir) -> dict[str, dict[str, dict]]:
    """variant -> its measured dev figures ("greedy", "beam 5", ...) from config.json."""
    table = {}
    for v in VARIANTS:
        path = models_dir / BUNDLED[v] / checkpoint.CONFIG
        try:
            evaluation = checkpoint.read_json(path).get("meta", {}).get("evaluation", {})
        except (checkpoint.ModelError, AttributeError):
            continue
        if evaluation:
            table[v] = evaluation
    return table


class BleuPanel(Panel):
    """Dev BLEU per source-length bucket, plain vs the attention models (measured at training time)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="bl-chart", classes="body")

    def on_mount(self) -> None:
        if not gone(self):
            self.draw()

    def draw(self) -> None:
        table = bleu_table(self.models_dir)
        chart = self.query_one("#bl-chart", Static)
        if not table:
            chart.update("評価の数字がある翻訳モデルが見つかりません。`tutor eval seq2seq --update-card` で測れます。")
            return
        top = max(b["bleu"] for ev in table.values() for b in ev["greedy"]["buckets"].values())
        # The attention model compared with plain: the best one by measured dev BLEU.
        scored = [v for v in table if v != "plain"]
        best = max(scored, key=lambda v: table[v]["greedy"]["bleu"]) if scored else None
        out = Text("dev 500 文の BLEU（貪欲法）を原文の長さ（MeCab の語数）で分けたもの\n\n", style="bold")
        for bucket in BUCKET_ORDER:
            n = next(iter(table.values()))["greedy"]["buckets"].get(bucket, {}).get("sentences", 0)
            out.append(f"{bucket} 語（{n} 文）\n", style="bold")
            for v, ev in table.items():
                b = ev["greedy"]["buckets"].get(bucket)
                if b is None:
                    continue
                style = "yellow" if v == "plain" else ("bold cyan" if v == best else "cyan")
                out.append(f"  {fit(VARIANT_NAMES[v], 24)} {b['bleu']:5.1f} ")
                out.append(bar(b["bleu"] / top, 30) + "\n", style=style)
            out.append("\n")
        if "plain" in table and best is not None:
            gaps = []
            for bucket in BUCKET_ORDER:
                p = table["plain"]["greedy"]["buckets"].get(bucket)
                a = table[best]["greedy"]["buckets"].get(bucket)
                if p and a:
                    gaps.append((bucket, a["bleu"] - p["bleu"], a["bleu"] / max(p["bleu"], 0.01)))
            out.append(f"アテンションあり（dev BLEU 最高の {VARIANT_NAMES[best]}）となしの差: ", style="bold")
            out.append("、".join(f"{b} 語で +{d:.1f}（{r:.2f} 倍）" for b, d, r in gaps))
            out.append(
                "\n長い文ほど、最後の状態 1 本に詰め込むアテンションなしのモデルは苦しくなります。"
                "数字は各モデルの学習時に測ったもので、CARD.md と同じです。",
                style="dim",
            )
        chart.update(out)


class RnnDemo(TabbedDemo):
    """The L3 demo: four tabs, each panel built when first shown."""

    TABS_ID = "rnn-tabs"
    TABS: ClassVar[dict[str, str]] = {"rnn-bigram": "バイグラム", "rnn-unroll": "RNN の展開", "rnn-translate": "翻訳 (アテンションなし)", "rnn-bleu": "長さと BLEU"}
    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {"rnn-bigram": BigramPanel, "rnn-unroll": UnrollPanel, "rnn-translate": TranslatePanel, "rnn-bleu": BleuPanel}
