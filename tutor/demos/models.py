"""Every trained model the demos use: loaded once per process and device, availability, and what to say when missing.

The loaders import torch, so call them from a worker (a Page's ``compute``);
``*_available`` only look at files and are cheap. No lesson loads a model any
other way, so no lesson imports another lesson's demo.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..core import checkpoint
from ..core.variants import BUNDLED, VARIANTS

#: Loaded models: "models_dir/folder@device" -> model.
MODELS: dict[str, object] = {}
_lock = threading.Lock()

MISSING_TRANSLATOR = "翻訳モデルが見つかりません。`tutor train seq2seq` で作れます。"
MISSING_TRANSFORMER = ("Transformer の翻訳モデルが見つかりません。"
                       "`tutor train transformer --out models/transformer` で作れます。")
MISSING_GPT = "GPT のモデルが見つかりません。`tutor train gpt --out models/gpt` で作れます。"
MISSING_BERT = "BERT のモデルが見つかりません。`tutor train bert --out models/bert` で作れます。"


def settle_heap() -> None:
    """Move everything alive now (torch, the model) out of the garbage collector's sight.

    With torch loaded the heap holds millions of objects, and each full collection
    walks them all: a redraw that happens to trigger one stalls for ~90 ms
    (benchmarks/transformer.py). Frozen objects are never scanned again.
    """
    import gc

    gc.collect()
    gc.freeze()


def load_once(models_dir, folder: str, device: str, load: Callable[[object], object]):
    """``load(models_dir / folder)`` moved to ``device``, once per process (thread-safe; imports torch)."""
    key = f"{models_dir}/{folder}@{device}"
    with _lock:
        if key not in MODELS:
            MODELS[key] = load(models_dir / folder).to(device)
            settle_heap()
        return MODELS[key]


def has_weights(models_dir, folder: str) -> bool:
    return (models_dir / folder / checkpoint.WEIGHTS).is_file()


# -- translators (L3, L4, L5) ----------------------------------------------------------------
def load_translator(models_dir, variant: str, device: str = "cpu"):
    """The bundled translator for ``variant`` (an RNN or the Transformer) on ``device``."""
    from ..core import translator

    return load_once(models_dir, BUNDLED[variant], device, translator.load)


def available_variants(models_dir) -> list[str]:
    return [v for v in VARIANTS if has_weights(models_dir, BUNDLED[v])]


def transformer_available(models_dir) -> bool:
    return has_weights(models_dir, BUNDLED["transformer"])


# -- the bigram counts (L3) --------------------------------------------------------------------
_bigram: dict[str, object] = {}


def load_bigram(models_dir):
    """The bundled bigram counts, loaded once per process."""
    from ..core import ngram

    key = str(models_dir)
    with _lock:
        if key not in _bigram:
            _bigram[key] = ngram.load(models_dir / ngram.BUNDLED)[0]
        return _bigram[key]


# -- GPT (L6, L7) ------------------------------------------------------------------------------
def load_lm(models_dir, device: str = "cpu"):
    """The bundled GPT on ``device``."""
    from ..core import gpt_lm

    return load_once(models_dir, gpt_lm.FOLDER, device, gpt_lm.load)


def gpt_available(models_dir) -> bool:
    from ..core import gpt_lm

    return has_weights(models_dir, gpt_lm.FOLDER)


# -- BERT (L7) ---------------------------------------------------------------------------------
def load_bert(models_dir, device: str = "cpu"):
    from ..core import bert_lm

    return load_once(models_dir, bert_lm.FOLDER, device, bert_lm.load)


def load_classifier(models_dir, device: str = "cpu"):
    from ..core import bert_lm

    return load_once(models_dir, bert_lm.CLASSIFIER_FOLDER, device, bert_lm.load_classifier)


def bert_available(models_dir, folder: str = "bert") -> bool:
    return has_weights(models_dir, folder)


def require(available: Callable[[object], bool], load: Callable[[object, str], object], missing: str,
            models_dir, device: str):
    """``load(models_dir, device)`` (from a worker), or a PageError the page shows: ``missing`` when the
    model is not there, the checkpoint's own message when it cannot be read."""
    from .base import PageError

    if not available(models_dir):
        raise PageError(missing)
    try:
        return load(models_dir, device)
    except checkpoint.ModelError as exc:
        raise PageError(str(exc)) from exc
