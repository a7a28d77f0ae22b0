"""The same sentence through more than one morphological analyzer (concept C3).

MeCab/UniDic (our pipeline) and Janome (pure Python, IPADIC) always; Sudachi's
split modes A/B/C when sudachipy and a dictionary are installed. Each result
carries its time, and :func:`boundary_diff` marks the tokens whose edges the
analyzers do not all agree on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from . import text as _text


@dataclass(frozen=True)
class Segmentation:
    analyzer: str  # a display name, e.g. "MeCab (UniDic)"
    tokens: tuple[str, ...]
    seconds: float  # time to segment this sentence, after loading
    load_seconds: float = 0.0  # time the first use spent loading the dictionary
    error: str = ""  # why this analyzer could not run (not installed, ...)


def _spans(tokens: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """Character spans of ``tokens`` in ``text`` (spaces skipped)."""
    spans, pos = [], 0
    for tok in tokens:
        found = text.find(tok, pos)
        start = found if found >= 0 else pos
        spans.append((start, start + len(tok)))
        pos = start + len(tok)
    return spans


def boundary_diff(text: str, results: list[Segmentation]) -> list[list[bool]]:
    """For each result, which tokens differ: a token whose span is not a token in every other result."""
    ok = [r for r in results if not r.error]
    spans = {id(r): _spans(r.tokens, text) for r in ok}
    out = []
    for r in results:
        if r.error:
            out.append([])
            continue
        others = [set(spans[id(o)]) for o in ok if o is not r]
        out.append([any(s not in o for o in others) for s in spans[id(r)]])
    return out


class _Shared:
    """One analyzer for the whole process, built on first use, used under a lock.

    Not one per thread: the app's thread workers are new threads each time,
    and a per-thread instance reloaded Janome's dictionary on every comparison.
    The lock also covers analyzers that do not promise thread safety.
    """

    def __init__(self, factory):
        self._factory = factory
        self._inst = None
        self.lock = threading.Lock()

    def get(self):
        """(analyzer, seconds spent loading it now); call with ``lock`` held."""
        if self._inst is not None:
            return self._inst, 0.0
        t0 = time.perf_counter()
        self._inst = self._factory()
        return self._inst, time.perf_counter() - t0


def _janome_factory():
    from janome.tokenizer import Tokenizer

    return Tokenizer(wakati=True)


def _sudachi_factory():
    from sudachipy import dictionary

    return dictionary.Dictionary().create()


_janome = _Shared(_janome_factory)
_sudachi = _Shared(_sudachi_factory)


def _timed(name: str, fn) -> Segmentation:
    try:
        t0 = time.perf_counter()
        tokens, load = fn()
        return Segmentation(name, tuple(tokens), time.perf_counter() - t0 - load, load)
    except ImportError as exc:
        return Segmentation(name, (), 0.0, error=f"未インストール ({exc.name})")
    except Exception as exc:  # an analyzer's own failure must not take the lesson down
        return Segmentation(name, (), 0.0, error=f"{type(exc).__name__}: {exc}")


def _mecab(text: str):
    t0 = time.perf_counter()
    _text._tagger()
    load = time.perf_counter() - t0
    return [t.surface for t in _text.tokenize_clean(text)], load


def _janome_run(text: str):
    with _janome.lock:
        tok, load = _janome.get()
        return [t for t in tok.tokenize(text) if not t.isspace()], load


def _sudachi_run(mode: str):
    def run(text: str):
        from sudachipy import tokenizer

        with _sudachi.lock:
            tok, load = _sudachi.get()
            m = getattr(tokenizer.Tokenizer.SplitMode, mode)
            return [t.surface() for t in tok.tokenize(text, m) if not t.surface().isspace()], load

    return run


def sudachi_available() -> bool:
    try:
        import sudachidict_core  # noqa: F401
        import sudachipy  # noqa: F401
    except ImportError:
        return False
    return True


def compare(text: str, *, sudachi: bool | None = None) -> tuple[str, list[Segmentation]]:
    """Segment the cleaned ``text`` with every analyzer; returns the cleaned text and the results."""
    cleaned = _text.clean(text).text
    results = [
        _timed("MeCab (UniDic)", lambda: _mecab(cleaned)),
        _timed("Janome (IPADIC)", lambda: _janome_run(cleaned)),
    ]
    if sudachi is None:
        sudachi = sudachi_available()
    if sudachi:
        for mode in "ABC":
            results.append(_timed(f"Sudachi {mode}", lambda m=mode: _sudachi_run(m)(cleaned)))
    return cleaned, results
