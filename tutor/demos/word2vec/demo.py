"""L2 単語の分散表現, 実験 tab: the vectors' status line above four pages.

The line's request loads the bundled CBOW and skip-gram vectors (and a model the
learner saved earlier); every page then explores them. A model trained on the
学習 page joins them as 「学習したモデル」, so every page can explore it at once.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import TabPane

from ...core.word2vec import WordVectors
from ...core.word2vec_explore import content_words
from ...widgets.page_tabs import PageTabs
from ..base import Page, TabbedDemo
from .analogy import AnalogyPage
from .map import MapPage
from .similar import SimilarPage
from .train import TrainPage
from .vectors import LOADING, TRAINED, VectorsLine, VectorsPage, model_label


class Word2VecDemo(TabbedDemo):
    """Holds what the pages share: the loaded models, the sentence's content words, the evaluation set."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "w2v-similar": ("類似語", SimilarPage),
        "w2v-analogy": ("アナロジー", AnalogyPage),
        "w2v-map": ("地図 (PCA)", MapPage),
        "w2v-train": ("学習", TrainPage),
    }

    DEFAULT_CSS = """
    Word2VecDemo > PageTabs { height: 1fr; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.models: dict[str, WordVectors] = {}
        self.words: list[str] = content_words(self.sentence)
        self.status = LOADING
        self._expected: dict[tuple[str, str, str], str] | None = None
        self._quality: dict[int, tuple] = {}

    def compose(self) -> ComposeResult:
        yield VectorsLine(self, id="w2v-line")
        with PageTabs(id="w2v-tabs"):
            for pane_id, (title, _) in self.PAGES.items():
                yield TabPane(title, id=pane_id)


    def vector_pages(self) -> list[VectorsPage]:
        return list(self.query(VectorsPage))

    # -- what the pages share ------------------------------------------------------------------
    def models_loaded(self, models: dict[str, WordVectors], errors: list[str]) -> None:
        """The status line's request finished: say what loaded, and let every page draw."""
        self.models = dict(models)
        loaded = " / ".join(f"{model_label(k, wv)} {len(wv):,} 語×{wv.dim} 次元" for k, wv in self.models.items())
        self.status = loaded if self.models else "ベクトルを読み込めませんでした。"
        if errors:
            self.status += "\n" + "\n".join(errors)
        self.query_one(VectorsLine).show(self.status)
        for page in self.vector_pages():
            page.models_changed()

    def add_trained(self, wv: WordVectors) -> None:
        """The 学習 page finished a run: every page can now use it."""
        self.models = {**self.models, TRAINED: wv}  # a new dict: a running compute keeps its own
        for page in self.vector_pages():
            page.models_changed()

    def expected_answer(self, a: str, b: str, c: str) -> str | None:
        """The evaluation set's answer to a − b + c, if it lists this analogy."""
        if self._expected is None:
            from ...core.word2vec_eval import EvalSet

            path = self.app.paths.assets_dir / "word2vec_eval.toml"  # type: ignore[attr-defined]
            self._expected = {(x, y, z): d for x, y, z, d in EvalSet.load(path).analogies} if path.is_file() else {}
        return self._expected.get((a, b, c))

    def quality(self, wv: WordVectors):
        """The evaluation-set figures of a model, computed once per model."""
        from ...core.word2vec_eval import EvalSet, evaluate

        cached = self._quality.get(id(wv))
        if cached is None or cached[0] is not wv:  # ids are reused once a model is dropped
            path = self.app.paths.assets_dir / "word2vec_eval.toml"  # type: ignore[attr-defined]
            cached = self._quality[id(wv)] = (wv, evaluate(wv, EvalSet.load(path)) if path.is_file() else None)
        return cached[1]

    def sentence_changed(self, sentence: str) -> None:
        self.words = content_words(sentence)
        super().sentence_changed(sentence)
