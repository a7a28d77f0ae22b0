"""Demo name (``demo`` in curriculum.toml) -> the LessonDemo class of its 実験 tab."""

from __future__ import annotations

from importlib import import_module

from .base import ComingSoon, LessonDemo

#: name -> "module:Class", imported when the lesson is first opened.
DEMOS: dict[str, str] = {
    "intro": "tutor.screens.intro:IntroDemo",
    "morphology": "tutor.screens.morphology:MorphologyDemo",
    "word2vec": "tutor.screens.word2vec:Word2VecDemo",
    "rnn": "tutor.screens.rnn:RnnDemo",
    "attention": "tutor.screens.attention:AttentionDemo",
    "transformer": "tutor.screens.transformer:TransformerDemo",
    "gpt": "tutor.screens.gpt:GptDemo",
    "bert": "tutor.screens.bert:BertDemo",
}


def demo_class(name: str | None) -> type[LessonDemo]:
    """The demo for ``name``; ComingSoon for a lesson whose demos are not built."""
    if not name or name not in DEMOS:
        return ComingSoon
    module, cls = DEMOS[name].split(":")
    return getattr(import_module(module), cls)
