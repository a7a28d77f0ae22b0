"""L6 GPT, 実験 tab: where a GPT's training examples come from, and a playground for its sampling knobs.

Tabs (each panel built when first shown):

- 学習データ: one sentence turned into next-token examples, the input shifted right behind <s>;
- プレイグラウンド: a prompt and sliders (temperature, top-k, top-p, beam, length, seed);
  the continuation regenerates as a slider moves, with the first step's
  distribution as bars: what top-k and top-p cut, and the renormalized probabilities;
- 一歩ずつ: the learner picks every next token from the candidates, or lets the sampler pick;
- 貪欲 vs サンプリング: several continuations each way, with distinct-n and the repetition rate;
- アテンション: where the newest token looks, per head.

The model loads in a thread worker (torch is imported there) and stays cached.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..core import checkpoint
from ..core.text import analyze
from ..widgets.bars import bar, fit
from ..widgets.slider import Slider
from .base import gone
from .legacy import DemoPanel, TabbedDemo
from .models import gpt_available, load_lm  # noqa: F401  (L6's pages use them)

MISSING = "GPT のモデルが見つかりません。`tutor train gpt --out models/gpt` で作れます。"
TEMPERATURES = [round(0.1 * i, 1) for i in range(21)]
TOP_KS = [None, 1, 2, 3, 5, 10, 20, 50, 100]
TOP_PS = [round(0.05 * i, 2) for i in range(1, 21)]
BEAMS = [1, 2, 3, 5, 10]
LENGTHS = [5, 10, 15, 20, 30, 40]
SEEDS = list(range(0, 100))
BARS = 20

def default_prompt(sentence: str) -> str:
    """The start of the learner's sentence: its first third of tokens (at least one)."""
    tokens = [t.surface for t in analyze(sentence).tokens]
    if not tokens:
        return ""
    return "".join(tokens[: max(1, len(tokens) // 3)])


class ExamplesPanel(DemoPanel):
    """C28/C29: a sentence is its own label: every prefix predicts the next token."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                "GPT は、文の各位置で「次の語」を当てる練習をします。正解はその文自身に書いてあるので、"
                "ラベル付けの要らない自己教師あり学習です。",
                classes="hint",
            )
            yield Static(id="ex-table", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        tokens = [t.surface for t in analyze(sentence).tokens]
        out = Text()
        if not tokens:
            self.query_one("#ex-table", Static).update("文が空です。s キーであなたの文を入力してください。")
            return
        out.append(f"あなたの文 ({len(tokens)} 語) から作られる学習例: {len(tokens) + 1} 個\n", style="bold")
        for i in range(len(tokens) + 1):
            prefix = " ".join(["<s>", *tokens[:i]])
            target = tokens[i] if i < len(tokens) else "</s>"
            out.append(f"  {i + 1:>2}. ", style="dim")
            out.append(prefix)
            out.append("  →  ", style="dim")
            out.append(target + "\n", style="bold yellow")
        out.append("\n学習では、この全部を 1 回の計算でまとめて予測します。\n", style="bold")
        width = max(len(t) for t in ["<s>", "</s>", *tokens]) * 2 + 1
        inp = ["<s>", *tokens]
        tgt = [*tokens, "</s>"]
        out.append(fit("入力", 6) + " " + "".join(fit(t, width) for t in inp) + "\n")
        out.append(fit("正解", 6) + " " + "".join(fit(t, width) for t in tgt) + "\n", style="yellow")
        out.append(
            "入力は正解を 1 つ右にずらし、先頭に <s> を置いたものです。因果マスクがあるので、"
            "各位置は自分より左しか見られず、答え (自分の右隣) を盗み見できません。",
            style="dim",
        )
        self.query_one("#ex-table", Static).update(out)


class Generated(Message):
    def __init__(self, token: int, result, first, vocab, error: str | None) -> None:
        super().__init__()
        self.token, self.result, self.first, self.vocab, self.error = token, result, first, vocab, error


class PlaygroundPanel(DemoPanel):
    """C30/C31: sliders for every knob; the text and the first step's bars follow at once."""

    DEFAULT_CSS = """
    PlaygroundPanel #pg-prompt { width: 1fr; background: $boost; }
    PlaygroundPanel Slider { margin-right: 2; }
    PlaygroundPanel #pg-output { margin-top: 1; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("書き出し")
            yield Input(placeholder="続きを書かせたい日本語", id="pg-prompt", compact=True)
        with Horizontal(classes="row"):
            yield Slider("温度", TEMPERATURES, 1.0, fmt=lambda v: f"{v:.1f}", id="pg-temperature")
            yield Slider("top-k", TOP_KS, None, fmt=lambda v: "オフ" if v is None else str(v), id="pg-top-k")
        with Horizontal(classes="row"):
            yield Slider("top-p", TOP_PS, 1.0, fmt=lambda v: "オフ" if v >= 1 else f"{v:.2f}", id="pg-top-p")
            yield Slider("ビーム幅", BEAMS, 1, id="pg-beam")
        with Horizontal(classes="row"):
            yield Slider("最大語数", LENGTHS, 20, id="pg-length")
            yield Slider("乱数の種", SEEDS, 0, id="pg-seed")
        with VerticalScroll():
            yield Static(id="pg-output", classes="body")
            yield Static(id="pg-bars", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        box = self.query_one("#pg-prompt", Input)
        with self.prevent(Input.Changed):
            box.value = default_prompt(sentence)
        self.regenerate()

    @on(Input.Changed, "#pg-prompt")
    @on(Slider.Changed)
    def _changed(self, event) -> None:
        event.stop()
        self.regenerate()

    def config(self):
        from ..core.sampling import SamplingConfig

        q = lambda i: self.query_one(i, Slider).value  # noqa: E731
        top_p = q("#pg-top-p")
        return SamplingConfig(temperature=q("#pg-temperature"), top_k=q("#pg-top-k"), top_p=None if top_p >= 1 else top_p,
                              max_tokens=q("#pg-length"), seed=q("#pg-seed"), beam=q("#pg-beam"))

    def regenerate(self) -> None:
        self._token += 1
        self.generate(self._token, self.query_one("#pg-prompt", Input).value, self.config())

    @work(thread=True, exclusive=True, group="pg-generate", exit_on_error=False)
    def generate(self, token: int, prompt: str, cfg) -> None:
        if not gpt_available(self.models_dir):
            self.post_message(Generated(token, None, None, None, MISSING))
            return
        worker = get_current_worker()
        try:
            lm = load_lm(self.models_dir, self.demo.torch_device)
        except checkpoint.ModelError as exc:
            self.post_message(Generated(token, None, None, None, str(exc)))
            return
        from ..core.sampling import filter_logits

        result = lm.continue_text(prompt, cfg, keep_distributions=True, should_stop=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return
        if result.generation.steps:  # the first step's distribution, as the sampler saw it
            first = result.generation.steps[0].filtered
        else:  # beam search keeps no steps: the prompt's next-token distribution, filters as set
            first = filter_logits(lm.next_logits(prompt), cfg.temperature, cfg.top_k, cfg.top_p)
        self.post_message(Generated(token, result, first, lm.vocab, None))

    def on_generated(self, message: Generated) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        if message.result is None:
            self.query_one("#pg-output", Static).update("")
            self.query_one("#pg-bars", Static).update("")
            return
        result, cfg = message.result, self.config()
        out = Text("続き: ", style="bold")
        out.append("".join(result.prompt), style="dim")
        out.append("".join(result.tokens) or "（何も出ませんでした）", style="bold yellow")
        out.append("\n" + ("ビーム探索 (幅 " + str(cfg.beam) + ")。フィルタは使いません。" if cfg.beam > 1 else
                           "貪欲法 (毎回いちばん確率の高い語)" if cfg.greedy else "サンプリング (くじ引き)"), style="dim")
        for notice in result.notices:
            out.append("\n" + notice, style="dim")
        self.query_one("#pg-output", Static).update(out)
        self.query_one("#pg-bars", Static).update(self.bars(message.first, message.vocab, cfg))

    @staticmethod
    def bars(f, vocab, cfg) -> Text:
        import torch

        out = Text(f"書き出しの次の 1 語の分布 (上位 {BARS} 語)\n", style="bold")
        out.append(f"{fit('語', 10)} {'モデル':>7}  {'フィルタ後':>9}\n", style="dim")
        top = torch.topk(f.model, min(BARS, f.model.numel()))
        by_k = set()
        if cfg.top_k is not None:
            by_k = {int(i) for i in torch.topk(f.tempered, min(cfg.top_k, f.model.numel())).indices}
        for p, i in zip(top.values.tolist(), top.indices.tolist()):
            kept = bool(f.kept[i])
            word = vocab.tokens[i]
            out.append(fit(word, 10) + " ", style="bold" if kept else "dim strike")
            out.append(f"{p:7.3f}  ", style="dim")
            if kept:
                final = float(f.final[i])
                out.append(f"{final:9.3f} ")
                out.append(bar(final, 20) + "\n", style="green")
            else:
                why = "top-k" if cfg.top_k is not None and i not in by_k else ("top-p" if cfg.top_p is not None else "温度")
                out.append(f"{'—':>9} ", style="dim")
                out.append(f"{why} で除外\n", style="red")
        kept = int(f.kept.sum())
        out.append(f"残った語: {kept:,} / {f.model.numel():,}（top-k で {f.removed_by_top_k:,} 語、top-p で {f.removed_by_top_p:,} 語を除外）。"
                   "残った語の確率を合計 1 になるように割り直して、くじを引きます。", style="dim")
        return out


class Stepped(Message):
    def __init__(self, token: int, text: str, candidates, error: str | None) -> None:
        super().__init__()
        self.token, self.text, self.candidates, self.error = token, text, candidates, error


class StepPanel(DemoPanel):
    """C30/C31 by hand: the learner chooses each next token from the candidates (↑↓ and Enter)."""

    DEFAULT_CSS = """
    StepPanel #st-candidates { height: 14; }
    """

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.words: list[str] = []
        self._token = 0
        self.seed = 0
        self._candidates: list = []

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        yield Static(
            "次の語を自分で選びます (↑↓ で選んで Enter)。「サンプラーに任せる」は温度 1 のくじで 1 語選びます。",
            classes="hint",
        )
        with Horizontal(classes="row"):
            yield Button("サンプラーに任せる", id="st-sample", compact=True, variant="primary")
            yield Button("1 語戻す", id="st-undo", compact=True)
            yield Button("最初から", id="st-reset", compact=True)
        yield Static(id="st-text", classes="body")
        yield OptionList(id="st-candidates")

    def sentence_changed(self, sentence: str) -> None:
        self.words = [t.surface for t in analyze(default_prompt(sentence)).tokens]
        self.refresh_candidates()

    def refresh_candidates(self) -> None:
        self._token += 1
        self.query_one("#st-text", Static).update(Text("".join(self.words) + "▌", style="bold yellow"))
        self.compute(self._token, "".join(self.words))

    @work(thread=True, exclusive=True, group="st-compute", exit_on_error=False)
    def compute(self, token: int, text: str) -> None:
        if not gpt_available(self.models_dir):
            self.post_message(Stepped(token, text, [], MISSING))
            return
        from ..core.sampling import filter_logits, top_candidates

        lm = load_lm(self.models_dir, self.demo.torch_device)
        f = filter_logits(lm.next_logits(text))
        cands = [(lm.vocab.tokens[c.token], c.p) for c in top_candidates(f, 12)]
        self.post_message(Stepped(token, text, (cands, f, lm.vocab), None))

    def on_stepped(self, message: Stepped) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        box = self.query_one("#st-candidates", OptionList)
        box.clear_options()
        if message.error:
            return
        cands, f, vocab = message.candidates
        self._candidates = cands
        self._dist = (f, vocab)
        for word, p in cands:
            label = Text(fit(word, 10) + f" {p:6.3f} ")
            label.append(bar(p, 25), style="green")
            box.add_option(Option(label))
        box.highlighted = 0

    def add(self, word: str) -> None:
        if word == "</s>":
            self.query_one("#st-text", Static).update(Text("".join(self.words) + "（文の終わり </s>）", style="bold yellow"))
            self.query_one("#st-candidates", OptionList).clear_options()
            return
        self.words.append(word)
        self.refresh_candidates()

    @on(OptionList.OptionSelected, "#st-candidates")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._candidates):
            self.add(self._candidates[event.option_index][0])

    @on(Button.Pressed, "#st-sample")
    def _sample(self, event: Button.Pressed) -> None:
        event.stop()
        if not self._candidates:
            return
        import torch

        f, vocab = self._dist
        self.seed += 1
        token = int(torch.multinomial(f.final, 1, generator=torch.Generator().manual_seed(self.seed)))
        self.add(vocab.tokens[token])

    @on(Button.Pressed, "#st-undo")
    def _undo(self, event: Button.Pressed) -> None:
        event.stop()
        if self.words:
            self.words.pop()
        self.refresh_candidates()

    @on(Button.Pressed, "#st-reset")
    def _reset(self, event: Button.Pressed) -> None:
        event.stop()
        self.sentence_changed(self.demo.sentence)


class Compared(Message):
    def __init__(self, token: int, rows, error: str | None) -> None:
        super().__init__()
        self.token, self.rows, self.error = token, rows, error


SETTINGS = [
    ("貪欲法", dict(temperature=0.0)),
    ("ビーム幅 5", dict(beam=5)),
    ("温度 0.7", dict(temperature=0.7)),
    ("温度 1.0、top-p 0.9", dict(temperature=1.0, top_p=0.9)),
    ("温度 1.5", dict(temperature=1.5)),
]
SAMPLES = 6


class DiversityPanel(DemoPanel):
    """C30/C31 measured: the same prompt continued several times each way, with distinct-n and repetition."""

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with VerticalScroll():
            yield Static(
                f"同じ書き出しを、やり方ごとに {SAMPLES} 回 (乱数の種 0〜{SAMPLES - 1}) 続けさせて比べます。"
                "distinct-n = 異なる n-gram の数 / n-gram の総数 (大きいほど多様)、繰り返し率 = 同じ続きの中で前に出た語をまた使った割合。",
                classes="hint",
            )
            yield Static(id="dv-table", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.query_one("#dv-table", Static).update(Text("生成中…", style="dim"))
        self.compare(self._token, default_prompt(sentence))

    @work(thread=True, exclusive=True, group="dv-compare", exit_on_error=False)
    def compare(self, token: int, prompt: str) -> None:
        if not gpt_available(self.models_dir):
            self.post_message(Compared(token, None, MISSING))
            return
        from ..core.gpt_explain import distinct_n, repetition_rate
        from ..core.sampling import SamplingConfig

        lm = load_lm(self.models_dir, self.demo.torch_device)
        rows = []
        for name, kw in SETTINGS:
            outs = [lm.continue_text(prompt, SamplingConfig(max_tokens=20, seed=s, **kw)).tokens for s in range(SAMPLES)]
            rows.append((name, outs, distinct_n(outs, 1), distinct_n(outs, 2), repetition_rate(outs)))
        self.post_message(Compared(token, (prompt, rows), None))

    def on_compared(self, message: Compared) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        if message.rows is None:
            self.query_one("#dv-table", Static).update("")
            return
        prompt, rows = message.rows
        out = Text(f"書き出し: {prompt}\n\n", style="bold")
        out.append(f"{fit('やり方', 22)} {'distinct-1':>10} {'distinct-2':>10} {'繰り返し率':>10}\n", style="dim")
        for name, _, d1, d2, rep in rows:
            out.append(f"{fit(name, 22)} {d1:10.2f} {d2:10.2f} {rep:10.2f}\n")
        for name, outs, *_ in rows:
            out.append(f"\n{name}\n", style="bold")
            for o in outs:
                out.append("  " + ("".join(o) or "（空）") + "\n")
        out.append("\n貪欲法とビーム探索は何回やっても同じ文になり、distinct-n が低くなります。温度を上げるほど多様になりますが、上げすぎると文が崩れます。", style="dim")
        self.query_one("#dv-table", Static).update(out)


class Attended(Message):
    def __init__(self, token: int, tokens, maps, error: str | None) -> None:
        super().__init__()
        self.token, self.tokens, self.maps, self.error = token, tokens, maps, error


class NewestPanel(DemoPanel):
    """Where the newest token looks: the last position's causal attention, per head."""

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self._token = 0
        self.data = None

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("層")
            yield Select([("1", 0)], value=0, allow_blank=False, id="nw-layer", compact=True)
        with VerticalScroll():
            yield Static("あなたの文のいちばん新しい (最後の) 語が、それより前のどの語を見ているか。ヘッドごとに重みの棒で示します。", classes="hint")
            yield Static(id="nw-bars", classes="body")

    def sentence_changed(self, sentence: str) -> None:
        self._token += 1
        self.compute(self._token, sentence)

    @work(thread=True, exclusive=True, group="nw-compute", exit_on_error=False)
    def compute(self, token: int, sentence: str) -> None:
        if not gpt_available(self.models_dir):
            self.post_message(Attended(token, None, None, MISSING))
            return
        from ..core.gpt_explain import newest_token_attention

        lm = load_lm(self.models_dir, self.demo.torch_device)
        tokens, ids, _ = lm.prompt_ids(sentence)
        if not tokens:
            self.post_message(Attended(token, None, None, "文が空です。"))
            return
        self.post_message(Attended(token, ["<s>", *tokens], newest_token_attention(lm.model, ids), None))

    def on_attended(self, message: Attended) -> None:
        message.stop()
        if message.token != self._token:
            return
        self.query_one(".message", Static).update(message.error or "")
        self.data = None if message.error else (message.tokens, message.maps)
        if self.data:
            layer = self.query_one("#nw-layer", Select)
            with self.prevent(Select.Changed):
                layer.set_options([(str(i + 1), i) for i in range(len(message.maps))])
                layer.value = len(message.maps) - 1
        self.draw()

    @on(Select.Changed, "#nw-layer")
    def _layer(self, event: Select.Changed) -> None:
        event.stop()
        self.draw()

    def draw(self) -> None:
        if not self.data:
            self.query_one("#nw-bars", Static).update("")
            return
        tokens, maps = self.data
        value = self.query_one("#nw-layer", Select).value
        layer = maps[value if isinstance(value, int) else -1]
        out = Text(f"最後の語「{tokens[-1]}」の見ている先\n", style="bold")
        for h, weights in enumerate(layer):
            out.append(f"\nヘッド {h + 1}\n", style="bold")
            for t, w in zip(tokens, weights):
                out.append(f"  {fit(t, 10)} {w:5.2f} ")
                out.append(bar(w, 25) + "\n", style="cyan")
        self.query_one("#nw-bars", Static).update(out)


class GptDemo(TabbedDemo):
    """The L6 demo."""

    TABS_ID = "gpt-tabs"
    TABS: ClassVar[dict[str, str]] = {
        "gpt-examples": "学習データ",
        "gpt-playground": "プレイグラウンド",
        "gpt-step": "一歩ずつ",
        "gpt-diversity": "貪欲 vs サンプリング",
        "gpt-attention": "アテンション",
    }
    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {
        "gpt-examples": ExamplesPanel,
        "gpt-playground": PlaygroundPanel,
        "gpt-step": StepPanel,
        "gpt-diversity": DiversityPanel,
        "gpt-attention": NewestPanel,
    }


__all__ = ["GptDemo", "gone"]
