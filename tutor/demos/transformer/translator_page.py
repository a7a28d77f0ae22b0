"""The base of L5's model pages: the trained Transformer translates the learner's sentence in a worker.

A page says what else its ``run_model`` needs from the loaded translator and draws
``self.result`` (the last good result, None after an error) in ``show()``; its
layer / head selects redraw that result without running the model again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core import checkpoint
from ..base import Page, PageError
from ..heads import ALL, numbered, refill
from ..models import MISSING_TRANSFORMER, load_translator, transformer_available

MODEL = "transformer"
#: A head select's value for "the average over heads".
MEAN = ALL
EMPTY = "文が空です。日本語の文を入力してください。"


def run_translator(models_dir, device: str, sentence: str,
                   run_model: Callable[[Any, str], tuple] | None = None) -> tuple:
    """In a worker: ``run_model(translator, sentence)`` (default: its translation, None), or a PageError to show.

    The result's first item is the Translation; an empty one (no source tokens) is an error.
    """
    if not transformer_available(models_dir):
        raise PageError(MISSING_TRANSFORMER)
    try:
        model = load_translator(models_dir, MODEL, device)
        result = run_model(model, sentence) if run_model else (model.translate(sentence), None)
    except checkpoint.ModelError as exc:
        raise PageError(str(exc)) from exc
    if result is None or not result[0].source:
        raise PageError(EMPTY)
    return result


class TranslatorPage(Page):
    """A page drawing the trained Transformer's work on the learner's sentence."""

    def __init__(self, demo, **kwargs) -> None:
        super().__init__(demo, **kwargs)
        self.result: Any = None
        self._shape: tuple = ()  # what the layer/head selects were last filled for

    def sentence_changed(self, sentence: str) -> None:
        self.request(sentence)

    def compute(self, sentence: str) -> Any:
        return run_translator(self.models_dir, self.device, sentence, self.run_model)

    def run_model(self, model, sentence: str) -> tuple:
        """In the worker: -> (Translation, anything else the page draws)."""
        return model.translate(sentence), None

    def draw(self, result: Any) -> None:
        self.result = result
        self.show()

    def show_error(self, text: str) -> None:
        self.result = None
        self.show()
        super().show_error(text)

    def show(self) -> None:
        """Redraw from ``self.result`` (None after an error) and the knobs."""

    def fill_selects(self, layers: int, heads: int | None, *, all_layers: str | None = None,
                     all_heads: str = "平均", layer: int = 0) -> None:
        """Fill the page's 層 (and ヘッド) selects for a model of this shape; once per shape, so a choice survives."""
        if (layers, heads) == self._shape:
            return
        self._shape = (layers, heads)
        refill(self, ".layer-select", numbered(layers, all_layers), layer)
        if heads is not None:
            refill(self, ".head-select", numbered(heads, all_heads), MEAN)

