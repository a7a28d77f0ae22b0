"""Text normalization and MeCab tokenization (fugashi + unidic-lite).

Every path that turns raw Japanese into tokens goes through :func:`tokenize`:
the app, the CLI, and the corpus readers that build training data. The result
is plain data (:class:`Token`), never fugashi nodes, which are views into
MeCab's buffer and change under you on the next parse.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field

#: Longest text handed to MeCab. Far beyond any sentence, far below what makes
#: MeCab hold the GIL for seconds (a 120 k katakana run) or crash (~1 M chars).
MAX_CHARS = 2000


@dataclass(frozen=True)
class Token:
    """One morpheme, as MeCab/UniDic analysed it.

    ``pos`` holds the part-of-speech levels that UniDic fills in
    (e.g. ``("名詞", "普通名詞", "一般")``); ``lemma`` is UniDic's written base
    form (書字形基本形: 食べ -> 食べる); ``reading`` is the katakana reading, empty
    when MeCab does not know the word. ``space_before`` is the whitespace MeCab
    skipped before the token, so surfaces plus spaces rebuild the input.
    """

    surface: str
    pos: tuple[str, ...]
    lemma: str
    reading: str
    unknown: bool = False
    space_before: str = ""

    @property
    def pos_major(self) -> str:
        """The top part-of-speech level (名詞, 動詞, 助詞, ...)."""
        return self.pos[0] if self.pos else ""

    def to_json(self) -> dict:
        """The CLI's JSON shape for one token."""
        return {"surface": self.surface, "pos": list(self.pos), "lemma": self.lemma, "reading": self.reading}


@dataclass(frozen=True)
class Analysis:
    """The tokens of one text, and what was done to the text first."""

    text: str  # the text MeCab saw: sanitized, normalized, capped
    tokens: tuple[Token, ...]
    truncated: bool = False  # the input was longer than MAX_CHARS and was cut
    original_length: int = 0  # characters in the raw input
    removed_controls: int = 0  # control characters dropped by sanitize()
    notices: tuple[str, ...] = field(default=())

    @property
    def surfaces(self) -> list[str]:
        return [t.surface for t in self.tokens]

    def to_json(self) -> dict:
        return {"tokens": [t.to_json() for t in self.tokens], "truncated": self.truncated}


@dataclass(frozen=True)
class Cleaned:
    text: str
    truncated: bool
    original_length: int
    removed_controls: int

    @property
    def notices(self) -> tuple[str, ...]:
        """Messages for the learner about what cleaning changed."""
        out = []
        if self.truncated:
            out.append(f"入力が長すぎるため、先頭の {MAX_CHARS:,} 文字だけを解析しました"
                       f"（元は {self.original_length:,} 文字）。")
        if self.removed_controls:
            out.append(f"制御文字 {self.removed_controls} 個を取り除きました。")
        return tuple(out)


def _clean_chars(text: str) -> tuple[str, int]:
    """Whitespace runs become one space; control characters go; lone surrogates become U+FFFD."""
    out: list[str] = []
    removed = 0
    pending_space = False
    for ch in text:
        if ch.isspace():
            pending_space = True
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc":  # NUL cuts MeCab's input; ESC and friends garble terminals
            removed += 1
            continue
        if cat == "Cs":  # a lone surrogate makes MeCab's UTF-8 encoding raise
            ch = "\ufffd"
        if pending_space and out:
            out.append(" ")
        pending_space = False
        out.append(ch)
    return "".join(out), removed


def clean(text: str, max_chars: int = MAX_CHARS) -> Cleaned:
    """Sanitize, NFKC-normalize and cap ``text`` for MeCab.

    NFKC folds half-width kana into full width and full-width Latin into ASCII,
    so ``ﾃｽﾄ`` and ``テスト`` become the same token. Sanitizing runs again after
    NFKC, which can itself produce spaces (U+3000) and, rarely, longer text.
    """
    original_length = len(text)
    # Bound the work for a huge paste: no more than this much of it can survive the cap
    # unless most of it is control characters or spaces, and then cutting it is right too.
    window = 4 * max_chars + 16
    cut_early = original_length > window
    if cut_early:
        text = text[:window]
    text, removed = _clean_chars(text)
    text = unicodedata.normalize("NFKC", text)
    text, removed_after = _clean_chars(text)
    truncated = cut_early or len(text) > max_chars
    if len(text) > max_chars:
        text = text[:max_chars].rstrip(" ")
    return Cleaned(text, truncated, original_length, removed + removed_after)


def normalize(text: str) -> str:
    """The text exactly as the tokenizer sees it."""
    return clean(text).text


_local = threading.local()


def _tagger():
    """One MeCab tagger per thread: a shared one gives wrong parses under threads."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import fugashi  # deferred: the app's first frame should not wait on MeCab

        tagger = fugashi.Tagger()
        _local.tagger = tagger
    return tagger


def _field(feature, name: str) -> str:
    value = getattr(feature, name, None)
    return value if value and value != "*" else ""


def _to_token(node) -> Token:
    f = node.feature
    pos = tuple(p for p in (_field(f, "pos1"), _field(f, "pos2"), _field(f, "pos3"), _field(f, "pos4")) if p)
    lemma = _field(f, "orthBase") or _field(f, "lemma") or node.surface
    return Token(
        surface=node.surface,
        pos=pos,
        lemma=lemma,
        reading=_field(f, "kana"),
        unknown=bool(node.is_unk),
        space_before=node.white_space,
    )


def tokenize_clean(text: str) -> list[Token]:
    """Tokenize text that has already been through :func:`clean`."""
    if not text:
        return []
    # Copy everything out of the nodes before the next parse reuses the buffer.
    return [_to_token(node) for node in _tagger()(text)]


def analyze(text: str) -> Analysis:
    """Clean ``text`` and split it into morphemes."""
    cleaned = clean(text)
    tokens = tokenize_clean(cleaned.text)
    return Analysis(
        text=cleaned.text,
        tokens=tuple(tokens),
        truncated=cleaned.truncated,
        original_length=cleaned.original_length,
        removed_controls=cleaned.removed_controls,
        notices=cleaned.notices,
    )


def tokenize(text: str) -> list[str]:
    """Surfaces only: the form the models are trained on."""
    return [t.surface for t in analyze(text).tokens]
