"""The word vectors L2's pages explore: loaded once per lesson visit, through a Page request.

:class:`VectorsLine` is the status line above the tabs; its request loads the
bundled CBOW and skip-gram vectors (and a model the learner saved earlier), and
its draw hands them to the demo, which tells every page. :class:`VectorsPage` is
what the four pages share.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...core import checkpoint
from ...core.word2vec import BUNDLED, MODE_NAMES, Neighbor, WordVectors, load
from ...core.word2vec_explore import rare_words
from ...widgets.bars import BarChart
from ..base import Page, gone

TRAINED = "trained"
LOADING = "ベクトルを読み込み中…"


def model_label(key: str, wv: WordVectors | None = None) -> str:
    if key == TRAINED:
        return "学習したモデル" + (f" ({MODE_NAMES[wv.config.mode]})" if wv is not None and wv.config else "")
    return MODE_NAMES.get(key, key)


def neighbor_chart(title: str, neighbors: list[Neighbor], highlight: set[str] = frozenset()) -> BarChart:
    return BarChart(title, [(n.word, n.similarity) for n in neighbors], highlight=highlight, classes="column")


def rarity_notes(words: list[str], models: dict[str, WordVectors]) -> list[str]:
    """A warning naming the query words the corpus barely has (counts from any loaded model)."""
    rare = rare_words(words, models.values())
    if not rare:
        return []
    named = "、".join(f"{w} {n} 回" for w, n in rare)
    return [f"コーパスでの出現が少ない語: {named}。ベクトルが十分に育っておらず、結果は当てになりません。"]


@dataclass(frozen=True)
class Loaded:
    models: dict[str, WordVectors]
    errors: list[str]


def load_vectors(models_dir, user_models_dir) -> Loaded:
    """The bundled models, then the first model the learner saved (as 「学習したモデル」); errors as text."""
    models: dict[str, WordVectors] = {}
    errors: list[str] = []
    for key, folder in BUNDLED.items():
        try:
            models[key] = load(models_dir / folder)
        except checkpoint.ModelError as exc:
            errors.append(str(exc))
    for folder in BUNDLED.values():
        saved = user_models_dir / folder
        if saved.is_dir() and TRAINED not in models:
            try:
                models[TRAINED] = load(saved)
            except checkpoint.ModelError as exc:
                errors.append(f"保存したモデル: {exc}")
    return Loaded(models, errors)


class VectorsLine(Page):
    """The line above the tabs: loads the vectors (its request) and says what was loaded."""

    DEFAULT_CSS = """
    VectorsLine { height: auto; }
    VectorsLine #w2v-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(LOADING, id="w2v-status")

    def on_mount(self) -> None:
        if not gone(self):
            paths = self.app.paths  # type: ignore[attr-defined]
            self.request(paths.models_dir, paths.user_models_dir)

    def compute(self, models_dir, user_models_dir) -> Loaded:
        return load_vectors(models_dir, user_models_dir)

    def draw(self, result: Loaded) -> None:
        self.demo.models_loaded(result.models, result.errors)  # type: ignore[attr-defined]

    def show(self, status: str) -> None:
        self.query_one("#w2v-status", Static).update(Text(status))


class VectorsPage(Page):
    """A page that shows something for each loaded model; redraws when the set or the sentence changes."""

    DEFAULT_CSS = """
    VectorsPage Input { width: 12; background: $boost; }
    VectorsPage Input:focus { background: $primary 20%; }
    VectorsPage .columns { height: auto; }
    VectorsPage .verdict { height: auto; padding: 0 1; }
    """

    @property
    def models(self) -> dict[str, WordVectors]:
        return self.demo.models  # type: ignore[attr-defined]

    @property
    def status(self) -> str:
        """What the line above the tabs says (loading, or why nothing loaded)."""
        return self.demo.status  # type: ignore[attr-defined]

    @property
    def words(self) -> list[str]:
        """The content words of the learner's sentence."""
        return self.demo.words  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        """A page built after the models loaded catches up at once."""
        super().on_mount()
        if not gone(self) and self.models:
            self.models_changed()

    def sentence_changed(self, sentence: str) -> None:
        self.redraw()

    def models_changed(self) -> None:
        """The loaded models changed (loaded, or a model trained)."""
        self.redraw()

    def redraw(self) -> None:
        """refresh_view, unless the page is being removed: a model load, a sentence or a typed
        word can arrive while the lesson is left and the page's children are already gone
        (a NoMatches crash, seen in tests/functional/test_bad_sentences.py)."""
        if not gone(self):
            self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw for the current models, sentence and controls."""
