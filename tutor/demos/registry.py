"""Demo name (``demo`` in curriculum.toml) -> the LessonDemo class of its 実験 tab."""

from __future__ import annotations

from importlib import import_module

from .base import ComingSoon, LessonDemo

#: name -> "module:Class", imported when the lesson is first opened.
DEMOS: dict[str, str] = {
    "intro": "tutor.demos.intro:IntroDemo",
    "morphology": "tutor.demos.morphology:MorphologyDemo",
    "word2vec": "tutor.demos.word2vec:Word2VecDemo",
    "rnn": "tutor.demos.rnn:RnnDemo",
    "attention": "tutor.demos.attention:AttentionDemo",
    "transformer": "tutor.demos.transformer:TransformerDemo",
    "gpt": "tutor.demos.gpt:GptDemo",
    "bert": "tutor.demos.bert:BertDemo",
}


def demo_class(name: str | None) -> type[LessonDemo]:
    """The demo for ``name``; ComingSoon for a lesson whose demos are not built."""
    if not name or name not in DEMOS:
        return ComingSoon
    module, cls = DEMOS[name].split(":")
    return getattr(import_module(module), cls)
