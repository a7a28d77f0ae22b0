"""Saving and loading the project's PyTorch models in their folders (safetensors, float16, no pickle).

One place for what every model folder shares: weights stored as float16 and
computed in float32, the config with its ``meta`` figures, the vocabulary, the
card, the manifest check, and clear errors for a missing or broken folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from torch import nn

from . import checkpoint


def save(folder: Path, model: nn.Module, meta: dict, vocab, card: str | None = None,
         only: set[str] | None = None, config: dict | None = None) -> None:
    """Write the folder atomically: float16 weights, ``model.cfg`` with ``meta``, the vocabulary, the card.

    ``only`` keeps just those weights (a partial fine-tune); ``config`` adds keys to config.json.
    """
    from safetensors.torch import save_file

    state = model.state_dict()
    weights = {k: v.detach().cpu().half().contiguous() for k, v in state.items() if only is None or k in only}
    checkpoint.write_folder(folder, lambda path: save_file(weights, str(path)),
                            {**model.cfg.to_json(), **(config or {}), "meta": meta}, vocab, card)


def as_shipped(model: nn.Module) -> None:
    """Round the weights through float16, as they will be stored, so measured figures are the shipped model's."""
    model.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in model.state_dict().items()})


def load(folder: Path, config: dict | None, build: Callable[[dict, object], tuple[nn.Module, object]],
         kinds: tuple[str, ...] = ()):
    """-> (model in eval mode, what ``build`` returned beside it, meta).

    ``build(config, vocab_json)`` makes the empty model and its vocabularies,
    raising ValueError when they do not fit together. ``config`` may be passed
    when the caller has read it already (after the manifest check). A folder whose config names
    another kind than ``kinds`` (when given) is refused before anything is built.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    folder = Path(folder)
    if config is None:
        checkpoint.verify(folder)
        config = checkpoint.read_json(folder / checkpoint.CONFIG)
    if kinds:
        checkpoint.expect_kind(folder, config, *kinds)
    vocab = checkpoint.read_json(folder / checkpoint.VOCAB)
    try:
        config = dict(config)
        meta = config.pop("meta", {})
        model, extra = build(config, vocab)
        model.load_state_dict({k: v.float() for k, v in load_file(str(folder / checkpoint.WEIGHTS)).items()})
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError, SafetensorError,
            json.JSONDecodeError) as exc:
        raise checkpoint.ModelCorrupt(f"{folder} を読めません: {exc}") from exc
    model.eval()
    return model, extra, meta
