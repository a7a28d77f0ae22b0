"""How every bundled model is trained: one `tutor train` command per folder under models/.

`tutor train all` runs them in this order (cheap ones first, the BERT classifier
after the BERT it is fine-tuned from). Each recipe is the command written in the
folder's CARD.md; ``minutes`` is the time it took on the 2-core CPU (for the RNN
translators: concat measured with the current defaults, the others scaled from
their earlier runs), used for the estimate shown before and during the run. Importable without torch.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipe:
    folder: str  # under models/
    args: tuple[str, ...]  # after `tutor train`, without --out
    minutes: float  # measured on the 2-core CPU (see the folder's CARD.md)
    needs: tuple[str, ...] = ()  # folders it is built on: retrained first, passed as --encoder
    limit: bool = False  # takes --limit (a short run over the first N pairs, for trying the pipeline)


RECIPES: tuple[Recipe, ...] = (
    Recipe("bigram-ja", ("bigram",), 1.0),
    Recipe("word2vec-cbow", ("word2vec",), 0.5),
    Recipe("word2vec-skipgram", ("word2vec", "--sg"), 1.0),
    Recipe("seq2seq-plain", ("seq2seq", "--variant", "plain"), 9.0, limit=True),
    Recipe("seq2seq-dot", ("seq2seq", "--variant", "dot"), 12.0, limit=True),
    Recipe("seq2seq-general", ("seq2seq", "--variant", "general"), 12.0, limit=True),
    Recipe("seq2seq-concat", ("seq2seq", "--variant", "concat"), 13.5, limit=True),
    Recipe("seq2seq-additive", ("seq2seq", "--variant", "additive"), 13.5, limit=True),
    Recipe("transformer", ("transformer",), 25.0, limit=True),
    Recipe("gpt", ("gpt", "--layers", "6", "--d-model", "192", "--d-ff", "768", "--dropout", "0.15",
                   "--word-dropout", "0.1", "--weight-decay", "0.1", "--epochs", "28", "--average", "5", "--bf16"),
           24.5, limit=True),
    Recipe("bert", ("bert", "--epochs", "14", "--bf16"), 11.0, limit=True),
    Recipe("bert-sentiment", ("bert-classifier", "--lora", "8", "--lr", "1e-3", "--epochs", "6"), 2.0,
           needs=("bert",)),
)

BY_FOLDER = {r.folder: r for r in RECIPES}


def plan(only: list[str] | None = None) -> list[Recipe]:
    """The recipes to run, in order: all of them, or those named and what is built on them (a classifier
    stores only its own weights and checks its base's hash, so it must follow its base). Unknown names
    raise KeyError."""
    if not only:
        return list(RECIPES)
    wanted = set(only)
    unknown = wanted - set(BY_FOLDER)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    for r in RECIPES:
        if wanted & set(r.needs):
            wanted.add(r.folder)
    return [r for r in RECIPES if r.folder in wanted]
