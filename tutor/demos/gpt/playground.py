"""プレイグラウンド: a prompt and sliders for every knob; the continuation and the first step's bars follow at once
(C30, C31)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from ...core.gpt_explain import FirstStep, default_prompt
from ...widgets.bars import bar, fit
from ...widgets.slider import Slider
from ..base import Page, hidden
from .common import language_model, right

TEMPERATURES = [round(0.1 * i, 1) for i in range(21)]
TOP_KS = [None, 1, 2, 3, 5, 10, 20, 50, 100]
TOP_PS = [round(0.05 * i, 2) for i in range(1, 21)]
BEAMS = [1, 2, 3, 5, 10]
LENGTHS = [5, 10, 15, 20, 30, 40]
SEEDS = list(range(0, 100))
#: Rows in the first step's bars.
BARS = 20
#: Cells of each column of the bars: word, the model's probability, after the filters, the bar.
WORD, MODEL, FINAL, BAR = 10, 7, 10, 20
#: What cut a token, in the learner's words.
REASONS = {"temperature": "温度", "top-k": "top-k", "top-p": "top-p"}


@dataclass(frozen=True)
class Knobs:
    """The sliders' values (plain data: the sampler's config is built in the worker, where torch may load)."""

    temperature: float
    top_k: int | None
    top_p: float | None
    beam: int
    max_tokens: int
    seed: int

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0 or self.top_k == 1


@dataclass(frozen=True)
class Played:
    prompt: list[str]
    tokens: list[str]
    notices: tuple[str, ...]
    first: FirstStep
    knobs: Knobs
    mine: Text | None = None  # how the learner's filter_probs did, when it cut the distribution


def mine_line(first: FirstStep, knobs: Knobs) -> Text:
    """The learner's filter_probs() beside the project's, on the first step."""
    if first.reference_kept is None:
        why = ("ビーム探索ではフィルタを使いません" if knobs.beam > 1
               else "貪欲法では切る分布がありません" if knobs.greedy
               else "top-k と top-p がオフです")
        return Text(f"あなたの filter_probs() を使う設定です（いまは、{why}。top-k か top-p を動かすと使います）。",
                    style="dim")
    same = first.reference_kept == first.kept
    out = Text("あなたの filter_probs() で分布を切っています。", style="bold green")
    out.append(f"1 語目: 残った語 {first.kept:,}（プロジェクトの実装: {first.reference_kept:,}）",
               style="" if same else "bold yellow")
    out.append(f"、確率の差は最大 {first.max_difference:.1e}。")
    return out


def bars(first: FirstStep, knobs: Knobs) -> Text:
    """The first step's distribution: each word's probability from the model, and after the filters (or what cut it)."""
    out = Text(f"書き出しの次の 1 語の分布 (上位 {len(first.rows)} 語)\n", style="bold")
    out.append(f"{fit('語', WORD)} {right('モデル', MODEL)}  {right('フィルタ後', FINAL)}\n", style="dim")
    for word, row in first.rows:
        kept = row.final_p is not None
        out.append(fit(word, WORD) + " ", style="bold" if kept else "dim strike")
        out.append(f"{row.model_p:{MODEL}.3f}  ", style="dim")
        if row.final_p is not None:
            out.append(f"{row.final_p:{FINAL}.3f} ")
            out.append(bar(row.final_p, BAR) + "\n", style="green")
        else:
            out.append(right("—", FINAL) + " ", style="dim")
            out.append(f"{REASONS.get(row.removed_by or '', row.removed_by)} で除外\n", style="red")
    out.append(f"残った語: {first.kept:,} / {first.vocab:,}（top-k で {first.removed_by_top_k:,} 語、"
               f"top-p で {first.removed_by_top_p:,} 語を除外）。"
               "残った語の確率を合計 1 になるように割り直して、くじを引きます。", style="dim")
    return out


class PlaygroundPage(Page):
    """C30/C31: sliders for every knob; the text and the first step's bars follow at once."""

    DEFAULT_CSS = """
    PlaygroundPage #pg-prompt { width: 1fr; background: $boost; }
    PlaygroundPage Slider { margin-right: 2; }
    PlaygroundPage #pg-output { margin-top: 1; }
    """

    MAIN = "#pg-temperature"
    INPUT = "#pg-prompt"

    #: What the page shows now, for the x key; None while it shows an error.
    _played: Played | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="message")
        with Horizontal(classes="row"):
            yield Label("書き出し")
            yield Input(placeholder="続きを書かせたい日本語 (Enter で入力)", id="pg-prompt", compact=True)
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
            yield hidden(Static(id="pg-mine", classes="body"))  # shown while the learner's code runs the page
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

    def knobs(self) -> Knobs:
        q = lambda i: self.query_one(i, Slider).value  # noqa: E731
        top_p = q("#pg-top-p")
        return Knobs(q("#pg-temperature"), q("#pg-top-k"), None if top_p >= 1 else top_p,
                     q("#pg-beam"), q("#pg-length"), q("#pg-seed"))

    def regenerate(self) -> None:
        self.request(self.query_one("#pg-prompt", Input).value, self.knobs())

    def compute(self, prompt: str, knobs: Knobs) -> Played | None:
        from ...core.gpt_explain import first_step
        from ...core.sampling import SamplingConfig

        lm = language_model(self.models_dir, self.device)
        cfg = SamplingConfig(temperature=knobs.temperature, top_k=knobs.top_k, top_p=knobs.top_p,
                             max_tokens=knobs.max_tokens, seed=knobs.seed, beam=knobs.beam)
        code = self.learner("top-k-top-p")
        if code is not None:  # 「自分の実装で動かす」: the learner's filter_probs cuts every step's distribution
            from ...core.sampling import OwnFilterError, with_own_filter
            from ...exercises.mine import Broken

            own = with_own_filter(lambda probs, **knobs_: code.call("filter_probs", probs, **knobs_))
            try:
                result = lm.continue_text(prompt, cfg, keep_distributions=True, should_stop=self.cancelled,
                                          filter_fn=own)
                first = first_step(lm, prompt, cfg, result, BARS, filter_fn=own)
            except (Broken, OwnFilterError) as exc:
                line = Text("あなたの filter_probs() が使えなかったので、プロジェクトの実装で動かしています: ",
                            style="bold yellow")
                line.append(str(exc))
            else:
                return None if self.cancelled() else Played(result.prompt, result.tokens, result.notices, first, knobs,
                                                            mine_line(first, knobs))
        else:
            line = None
        result = lm.continue_text(prompt, cfg, keep_distributions=True, should_stop=self.cancelled)
        if self.cancelled():
            return None
        return Played(result.prompt, result.tokens, result.notices, first_step(lm, prompt, cfg, result, BARS), knobs,
                      line)

    def draw(self, played: Played | None) -> None:
        if played is None:
            return
        self._played = played
        knobs = played.knobs
        out = Text("続き: ", style="bold")
        out.append("".join(played.prompt), style="dim")
        out.append("".join(played.tokens) or "（何も出ませんでした）", style="bold yellow")
        how = (f"ビーム探索 (幅 {knobs.beam})。フィルタは使いません。" if knobs.beam > 1 else
               "貪欲法 (毎回いちばん確率の高い語)" if knobs.greedy else "サンプリング (くじ引き)")
        out.append("\n" + how, style="dim")
        for notice in played.notices:
            out.append("\n" + notice, style="dim")
        self.query_one("#pg-output", Static).update(out)
        mine = self.query_one("#pg-mine", Static)
        mine.display = played.mine is not None
        mine.update(played.mine or "")
        self.query_one("#pg-bars", Static).update(bars(played.first, knobs))

    def export_numbers(self):
        """The bars' rows: each token's probability from the model and after the filters, with the knobs that cut
        them."""
        from ...export import bars_numbers

        played = self._played
        if played is None:
            return None
        first, knobs = played.first, played.knobs
        rows = [(word, row.model_p, row.final_p, row.removed_by) for word, row in first.rows]
        return bars_numbers(rows, prompt="".join(played.prompt), continuation="".join(played.tokens),
                            temperature=knobs.temperature, top_k=knobs.top_k, top_p=knobs.top_p, beam=knobs.beam,
                            max_tokens=knobs.max_tokens, seed=knobs.seed, kept=first.kept, vocab=first.vocab,
                            removed_by_top_k=first.removed_by_top_k, removed_by_top_p=first.removed_by_top_p)

    def show_error(self, text: str) -> None:
        self._played = None
        super().show_error(text)
        self.query_one("#pg-output", Static).update("")
        self.query_one("#pg-bars", Static).update("")
