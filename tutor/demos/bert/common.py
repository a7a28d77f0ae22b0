"""What L7's pages share: the model behind them, the texts for a missing model or an empty sentence, candidate bars."""

from __future__ import annotations

from rich.text import Text

from ...widgets.bars import bar, fit
from ..models import MISSING_BERT, bert_available, load_bert, require

EMPTY = "文が空です。s キーであなたの文を入力してください。"


def masked_lm(models_dir, device: str):
    """The bundled BERT on ``device`` (in a worker); a PageError with the learner's text when it cannot load."""
    return require(bert_available, load_bert, MISSING_BERT, models_dir, device)


def candidate_lines(cands: list[tuple[str, float]], original: str | None, width: int = 20) -> Text:
    """One line per candidate: the word, its probability and a bar; the original word marked."""
    out = Text()
    for word, p in cands:
        hit = original is not None and word == original
        out.append(fit(word, 10) + " ", style="bold green" if hit else "")
        out.append(f"{p:6.3f} ")
        out.append(bar(p, width), style="green" if hit else "cyan")
        out.append(" ✓ もとの語\n" if hit else "\n", style="bold green")
    return out
