"""What L6's pages share: the model (or the message that says how to get it) and cell-width layout."""

from __future__ import annotations

from rich.cells import cell_len

from ..models import MISSING_GPT, gpt_available, load_lm, require


def language_model(models_dir, device: str):
    """The bundled GPT on ``device`` (from a worker: imports torch); a PageError that says what to do when missing."""
    return require(gpt_available, load_lm, MISSING_GPT, models_dir, device)


def right(label: str, width: int) -> str:
    """``label`` right-aligned in ``width`` terminal cells (a Japanese character takes two; ``str.rjust`` counts
    one)."""
    return " " * max(0, width - cell_len(label)) + label
