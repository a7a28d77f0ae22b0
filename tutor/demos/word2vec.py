"""L2 単語の分散表現, 実験 tab: similar words, analogies, a PCA map and live training.

The demo loads the bundled CBOW and skip-gram vectors (and a model the learner
saved earlier) in a thread worker, then hands them to four panels. A model the
learner trains in the 学習 panel joins them as 「学習したモデル」, so every
panel can explore it at once.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TabbedContent, TabPane

from ..core import checkpoint
from ..core.text import analyze, normalize
from ..core.word2vec import BUNDLED, MODE_NAMES, Neighbor, UnknownWord, WordVectors, load
from ..widgets.bars import BarChart
from ..widgets.page_tabs import PageTabs
from .base import LessonDemo, gone

#: Parts of speech (UniDic's first level) whose words make good queries.
CONTENT_POS = ("名詞", "代名詞", "動詞", "形容詞", "形状詞", "副詞")
TOPN = 10
TRAINED = "trained"
#: A word seen fewer times than this in the corpus gets a warning: its vector is mostly noise.
RARE = 20
ANALOGY_EXAMPLES = [
    ("王", "男", "女"),
    ("兄", "弟", "妹"),
    ("父", "母", "娘"),
    ("東京", "日本", "イギリス"),
    ("夏", "暑い", "寒い"),
]


def model_label(key: str, wv: WordVectors | None = None) -> str:
    if key == TRAINED:
        return "学習したモデル" + (f" ({MODE_NAMES[wv.config.mode]})" if wv is not None and wv.config else "")
    return MODE_NAMES.get(key, key)


def content_words(sentence: str, limit: int = 8) -> list[str]:
    """The sentence's content words, in order, once each: the default queries."""
    out: list[str] = []
    for tok in analyze(sentence).tokens:
        # する/いる and the like (非自立可能) and lone kana carry little meaning of their own.
        helper = "非自立可能" in tok.pos or (len(tok.surface) == 1 and "\u3041" <= tok.surface <= "\u309f")
        if tok.pos_major in CONTENT_POS and not helper and tok.surface not in out:
            out.append(tok.surface)
    return out[:limit]


def neighbor_chart(title: str, neighbors: list[Neighbor], highlight: set[str] = frozenset()) -> BarChart:
    return BarChart(title, [(n.word, n.similarity) for n in neighbors], highlight=highlight, classes="column")


def rarity_notes(words: list[str], models: dict[str, WordVectors]) -> list[str]:
    """A warning naming the query words the corpus barely has (counts from any loaded model)."""
    rare = []
    for w in dict.fromkeys(words):
        counts = [c for wv in models.values() if (c := wv.count(w)) is not None]
        if counts and max(counts) < RARE:
            rare.append(f"{w} {max(counts)} 回")
    if not rare:
        return []
    return [f"コーパスでの出現が少ない語: {'、'.join(rare)}。ベクトルが十分に育っておらず、結果は当てになりません。"]


class ModelPanel(Widget):
    """A panel that shows something for each loaded model; told when the set changes."""

    DEFAULT_CSS = """
    ModelPanel { height: 1fr; }
    ModelPanel .row { height: auto; }
    ModelPanel .row Label { padding: 0 1 0 0; }
    ModelPanel .row Button { margin-right: 1; width: auto; min-width: 4; }
    ModelPanel Input { width: 12; background: $boost; }
    ModelPanel Input:focus { background: $primary 20%; }
    ModelPanel .columns { height: auto; }
    ModelPanel .message { height: auto; color: $warning; padding: 0 1; }
    ModelPanel .hint { height: auto; color: $text-muted; padding: 0 1; }
    ModelPanel .verdict { height: auto; padding: 0 1; }
    """

    def __init__(self, demo: Word2VecDemo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.demo = demo

    @property
    def models(self) -> dict[str, WordVectors]:
        return self.demo.models

    def on_mount(self) -> None:
        """A panel built after the models loaded catches up at once."""
        if gone(self) or not self.models:
            return
        self.sentence_changed(self.demo.words)
        self.models_changed()

    def models_changed(self) -> None:
        """The loaded models changed: redraw."""

    def sentence_changed(self, words: list[str]) -> None:
        """The learner's sentence changed; ``words`` are its content words."""


class SimilarPanel(ModelPanel):
    """A word -> its nearest neighbours, one column per model."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("単語")
            yield Input(placeholder="例: 犬", id="sim-word", compact=True)
        with Horizontal(classes="row"):
            yield Label("あなたの文の語:", classes="hint")
            yield Horizontal(id="sim-chips", classes="row")
        yield Static(classes="message", id="sim-message")
        with VerticalScroll():
            yield Horizontal(id="sim-columns", classes="columns")
            yield Static(classes="hint", id="sim-hint")

    def sentence_changed(self, words: list[str]) -> None:
        chips = self.query_one("#sim-chips")
        chips.remove_children()
        chips.mount_all(Button(w, compact=True, classes="chip", name=w) for w in words)
        box = self.query_one("#sim-word", Input)
        if words and (not box.value or box.value not in words):
            box.value = next((w for w in words if any(w in wv for wv in self.models.values())), words[0])

    def models_changed(self) -> None:
        self.show()

    @on(Button.Pressed, ".chip")
    def _chip(self, event: Button.Pressed) -> None:
        event.stop()
        self.query_one("#sim-word", Input).value = event.button.name or ""

    @on(Input.Changed, "#sim-word")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.show()

    def show(self) -> None:
        """Query every model for the word in the box and redraw the columns."""
        word = normalize(self.query_one("#sim-word", Input).value).strip()
        columns = self.query_one("#sim-columns")
        columns.remove_children()
        message = self.query_one("#sim-message", Static)
        hint = self.query_one("#sim-hint", Static)
        if not self.models:
            message.update(self.demo.status)
            return
        if not word:
            message.update("単語を入力するか、あなたの文の語を選んでください。")
            hint.update("")
            return
        charts, unknown = [], []
        for key, wv in self.models.items():
            title = f"{model_label(key, wv)}: 「{word}」に近い語"
            try:
                charts.append(neighbor_chart(title, wv.similar(word, TOPN)))
            except UnknownWord as exc:
                unknown.append((model_label(key, wv), exc))
        columns.mount_all(charts)
        if charts:
            notes = [f"{label}: {exc}" for label, exc in unknown]
        else:  # every model says the same: once, unlabelled
            notes = [str(unknown[0][1])] if unknown else []
        message.update(Text("\n".join(notes + rarity_notes([word], self.models))))
        if charts:
            hint.update(
                "数値はコサイン類似度 (1 に近いほど同じ向き)。同じ語でも CBOW と skip-gram で並びが違います。"
                "文脈で置き換えられる語 (同じ品詞・同じ話題) が上に来ることが多いはずです。"
            )
        else:
            hint.update("")


class AnalogyPanel(ModelPanel):
    """A - B + C, with an honest word when the corpus gets it wrong."""

    DEFAULT_CSS = """
    AnalogyPanel #ana-examples { width: 28; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("A")
            yield Input("王", id="ana-a", compact=True)
            yield Label(" - B")
            yield Input("男", id="ana-b", compact=True)
            yield Label(" + C")
            yield Input("女", id="ana-c", compact=True)
        with Horizontal(classes="row"):
            yield Label("例を選ぶ")
            yield Select(
                [(f"{a} - {b} + {c}", f"{a} {b} {c}") for a, b, c in ANALOGY_EXAMPLES],
                prompt="選ぶ", id="ana-examples", compact=True,
            )
        with VerticalScroll():
            yield Static(classes="verdict", id="ana-verdict")
            yield Horizontal(id="ana-columns", classes="columns")
            yield Static(classes="message", id="ana-message")

    def models_changed(self) -> None:
        self.show()

    @on(Select.Changed, "#ana-examples")
    def _example(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, str):
            return
        a, b, c = event.value.split(" ")
        with self.prevent(Input.Changed):
            for box, word in zip(("#ana-a", "#ana-b", "#ana-c"), (a, b, c)):
                self.query_one(box, Input).value = word
        self.show()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.show()

    def words(self) -> tuple[str, str, str]:
        a, b, c = (normalize(self.query_one(box, Input).value).strip() for box in ("#ana-a", "#ana-b", "#ana-c"))
        return a, b, c

    def show(self) -> None:
        a, b, c = self.words()
        columns = self.query_one("#ana-columns")
        columns.remove_children()
        message = self.query_one("#ana-message", Static)
        verdict = self.query_one("#ana-verdict", Static)
        verdict.update("")
        if not self.models:
            message.update(self.demo.status)
            return
        if not (a and b and c):
            message.update("3 つの枠すべてに単語を入れてください (A - B + C)。")
            return
        expected = self.demo.expected_answer(a, b, c)
        statics, problems, lines = [], [], []
        for key, wv in self.models.items():
            label = model_label(key, wv)
            try:
                results = wv.analogy([a, c], [b], TOPN)
            except UnknownWord as exc:
                problems.append(f"{label}: {exc}")
                continue
            title = f"{label}: {a} - {b} + {c} ="
            statics.append(neighbor_chart(title, results, {expected} if expected else set()))
            if expected:
                lines.append(self._judge(label, wv, expected, a, b, c))
        columns.mount_all(statics)
        message.update(Text("\n".join(problems + rarity_notes([a, b, c], self.models))))
        out = Text()
        if expected:
            out.append(f"期待される答え「{expected}」\n", style="bold")
            out.append("、".join(v for v, _ in lines))
            reasons = [r for _, r in lines if r]
            if reasons:
                out.append("\n" + reasons[0])
        elif statics:
            out.append("この組み合わせの答えは登録されていません。上位の語が関係を写しているか、自分で確かめてください。", style="dim")
        verdict.update(out)

    @staticmethod
    def _judge(label: str, wv: WordVectors, expected: str, a: str, b: str, c: str) -> tuple[str, str | None]:
        """One model's verdict, and a reason shared by every model (or None)."""
        if expected not in wv:
            floor = wv.config.min_count if wv.config else "?"
            return f"{label}: 語彙になし", f"「{expected}」は出現が {floor} 回未満で、語彙に入っていません。"
        ranked = wv.analogy([a, c], [b], len(wv))
        rank = next(i for i, n in enumerate(ranked, 1) if n.word == expected)
        count = wv.count(expected) or 0
        reason = (
            f"「{expected}」はコーパスに {count} 回しか出てこないので、関係を学ぶ材料が足りません。"
            if rank > 1 and count < RARE
            else None
        )
        return (f"{label}: 1 位で正解" if rank == 1 else f"{label}: {rank} 位で外れ"), reason


class Word2VecDemo(LessonDemo):
    """The L2 demo: loads the vectors, then hosts the four panels."""

    DEFAULT_CSS = """
    Word2VecDemo #w2v-status { height: auto; padding: 0 1; color: $text-muted; }
    Word2VecDemo #w2v-tabs { height: 1fr; }
    """

    class Loaded(Message):
        def __init__(self, models: dict[str, WordVectors], errors: list[str]) -> None:
            super().__init__()
            self.models = models
            self.errors = errors

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.models: dict[str, WordVectors] = {}
        self.words: list[str] = []  # content words of the learner's sentence
        self.status = "ベクトルを読み込み中…"
        self._expected: dict[tuple[str, str, str], str] = {}
        self._quality: dict[int, tuple] = {}

    def compose(self) -> ComposeResult:
        yield Static(self.status, id="w2v-status")
        with PageTabs(id="w2v-tabs"):
            with TabPane("類似語", id="w2v-similar"):
                yield SimilarPanel(self, id="similar-panel")
            # The other panels are built the first time their tab is shown: the lesson's
            # first frame does not wait for their widgets.
            yield TabPane("アナロジー", id="w2v-analogy")
            yield TabPane("地図 (PCA)", id="w2v-map")
            yield TabPane("学習", id="w2v-train")

    def _panel_class(self, pane_id: str) -> type[ModelPanel] | None:
        from .w2v_map import MapPanel
        from .w2v_train import TrainPanel

        return {"w2v-analogy": AnalogyPanel, "w2v-map": MapPanel, "w2v-train": TrainPanel}.get(pane_id)

    @on(TabbedContent.TabActivated, "#w2v-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        pane = event.pane
        cls = self._panel_class(pane.id or "")
        if cls is None or pane.query(ModelPanel):
            return
        pane.mount(cls(self, id=f"{pane.id}-panel"))

    def on_mount(self) -> None:
        if self.gone:
            return
        self._load_expected()
        self.load_models()

    def _load_expected(self) -> None:
        from ..core.word2vec_eval import EvalSet

        path = self.app.paths.assets_dir / "word2vec_eval.toml"  # type: ignore[attr-defined]
        if path.is_file():
            self._expected = {(a, b, c): d for a, b, c, d in EvalSet.load(path).analogies}

    def quality(self, wv: WordVectors):
        """The evaluation-set figures of a model, computed once per model."""
        from ..core.word2vec_eval import EvalSet, evaluate

        cached = self._quality.get(id(wv))
        if cached is None or cached[0] is not wv:  # ids are reused once a model is dropped
            path = self.app.paths.assets_dir / "word2vec_eval.toml"  # type: ignore[attr-defined]
            cached = self._quality[id(wv)] = (wv, evaluate(wv, EvalSet.load(path)) if path.is_file() else None)
        return cached[1]

    def expected_answer(self, a: str, b: str, c: str) -> str | None:
        return self._expected.get((a, b, c))

    @work(thread=True, exclusive=True, group="w2v-load", exit_on_error=False)
    def load_models(self) -> None:
        paths = self.app.paths  # type: ignore[attr-defined]
        models, errors = {}, []
        for key, folder in BUNDLED.items():
            try:
                models[key] = load(paths.models_dir / folder)
            except checkpoint.ModelError as exc:
                errors.append(str(exc))
        for folder in BUNDLED.values():  # a model the learner saved earlier
            saved = paths.user_models_dir / folder
            if saved.is_dir() and TRAINED not in models:
                try:
                    models[TRAINED] = load(saved)
                except checkpoint.ModelError as exc:
                    errors.append(f"保存したモデル: {exc}")
        self.post_message(self.Loaded(models, errors))

    def on_word2vec_demo_loaded(self, message: Loaded) -> None:
        self.models = message.models
        loaded = " / ".join(f"{model_label(k, wv)} {len(wv):,} 語×{wv.dim} 次元" for k, wv in self.models.items())
        self.status = loaded if self.models else "ベクトルを読み込めませんでした。"
        if message.errors:
            self.status += "\n" + "\n".join(message.errors)
        self.query_one("#w2v-status", Static).update(Text(self.status))
        self.sentence_changed(self.sentence)
        for panel in self.query(ModelPanel):
            panel.models_changed()

    def add_trained(self, wv: WordVectors) -> None:
        """The 学習 panel finished a run: every panel can now use it."""
        self.models[TRAINED] = wv
        for panel in self.query(ModelPanel):
            panel.models_changed()

    def sentence_changed(self, sentence: str) -> None:
        super().sentence_changed(sentence)
        self.words = content_words(sentence)
        for panel in self.query(ModelPanel):
            panel.sentence_changed(self.words)

