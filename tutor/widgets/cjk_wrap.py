"""Line breaking for Japanese in Textual's text wrapping.

Textual wraps at whitespace only, so a Japanese paragraph (no spaces) is one
long "word": it jumps to a fresh line and leaves a ragged gap wherever a bold
span or a Latin word sits between spaces. Japanese may break between any two
characters, except that closing punctuation (、。」) and small kana do not
start a line and opening brackets do not end one (kinsoku shori).

:func:`install` gives Textual's wrapper that rule by replacing the chunking
pattern in ``textual._wrap``. That module is private, which is one reason
textual is pinned; the snapshot tests and ``tests/unit/test_cjk_wrap.py``
fail if a textual upgrade changes it.
"""

from __future__ import annotations

import re

# Kana, CJK ideographs, CJK symbols and punctuation, full- and half-width forms.
_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f"
# Never at the start of a line.
_CLOSE = "、。，．・：；？！ー」』）】〕〉》〟’”々ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
# Never at the end of a line.
_OPEN = "「『（【〔〈《〝‘“"

_UNIT = rf"[{_OPEN}]*[{_WIDE}][{_CLOSE}]*|[^\s{_WIDE}]+[{_CLOSE}]*"

#: One breakable unit: an opening bracket run, one wide character and the closers after it,
#: or a run of non-wide text (a Latin word); with the spaces around it as each wrapper expects.
RICH_WORD = re.compile(rf"\s*(?:{_UNIT})\s*")  # rich._wrap.re_word: leading and trailing spaces
TEXTUAL_CHUNK = re.compile(rf"(?:{_UNIT})\s*|\s+")  # textual._wrap.re_chunk: trailing spaces


#: What the learner is told when :func:`install` finds no hook (a Rich or Textual other than the pinned ones).
FAILED = ("日本語の折り返しを有効にできませんでした（rich か textual の版が pyproject.toml の指定と違います）。"
          "長い行が単語の途中で切れたり、右端が不ぞろいになったりします。pip install -e . で入れ直してください。")


def install() -> bool:
    """Teach Rich's and Textual's wrappers to break Japanese; False if either hook is missing.

    Textual's Content (Markdown, Static) wraps through ``rich._wrap``; its
    TextArea through ``textual._wrap``.
    """
    from rich import _wrap as rich_wrap
    from textual import _wrap as textual_wrap

    if not (hasattr(rich_wrap, "re_word") and hasattr(textual_wrap, "re_chunk")):
        return False
    rich_wrap.re_word = RICH_WORD
    textual_wrap.re_chunk = TEXTUAL_CHUNK
    return True
