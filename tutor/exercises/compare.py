"""Readable differences between what a function should return and what the learner's returned.

Every message is Japanese and short: the shape or type when those differ,
otherwise the first differing numbers with their index, and the tolerance used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .wire import Opaque


def describe(value: Any) -> str:
    """A short description of a value's kind: ``ndarray (3, 4) float64``, ``list (5 個)``, ``float 0.25``."""
    if isinstance(value, np.ndarray):
        return f"ndarray {tuple(value.shape)} {value.dtype}"
    if isinstance(value, Opaque):
        return f"{value.type} ({value.repr[:60]})"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} ({len(value)} 個)"
    if isinstance(value, (bool, np.bool_)):
        return f"bool {value}"
    if isinstance(value, (int, float, np.number)):
        return f"{type(value).__name__} {fmt(value)}"
    if value is None:
        return "None（return を忘れていませんか）"
    return f"{type(value).__name__} {str(value)[:60]!r}"


def fmt(x: Any) -> str:
    """A number as a learner reads it: up to 6 significant digits."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    try:
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return repr(x)


def _n(what: str) -> str:
    """``what`` ready for a Japanese particle: a space after a name in ASCII (``matrix の値``)."""
    return what + " " if what and what[-1].isascii() else what


def numeric(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def close(expected: Any, got: Any, atol: float = 1e-6, rtol: float = 1e-5, what: str = "返り値",
          exact_dtype: bool = False, names: tuple[str, ...] = ()) -> str | None:
    """None when ``got`` matches ``expected`` (numbers within ``atol + rtol·|expected|``), else what differs.

    ``names``: what to call the parts of a tuple (``("vocab", "matrix")``), instead of "the 1st value".
    """
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"{_n(what)}は {len(expected)} 個の値の組 (tuple) のはずですが、{describe(got)} でした。"
        for i, (e, g) in enumerate(zip(expected, got)):
            part = names[i] if i < len(names) else f"{what}[{i}]"
            problem = close(e, g, atol, rtol, part, exact_dtype)
            if problem:
                return problem
        return None
    if isinstance(expected, np.ndarray):
        return _arrays(expected, got, atol, rtol, what, exact_dtype)
    if isinstance(expected, list):
        if isinstance(got, np.ndarray):
            got = got.tolist()
        if not isinstance(got, (list, tuple)):
            return f"{_n(what)}はリストのはずですが、{describe(got)} でした。"
        if len(got) != len(expected):
            return f"{_n(what)}の長さが違います: 期待 {len(expected)} 個、実際 {len(got)} 個。"
        for i, (e, g) in enumerate(zip(expected, got)):
            problem = close(e, g, atol, rtol, f"{what}[{i}]", exact_dtype)
            if problem:
                return problem
        return None
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"{_n(what)}は True / False のはずですが、{describe(got)} でした。"
        return (None if bool(got) == bool(expected)
                else f"{_n(what)}が違います: 期待 {bool(expected)}、実際 {bool(got)}。")
    if numeric(expected):
        if not numeric(got):
            if isinstance(got, np.ndarray) and got.size == 1:
                got = got.item()
            else:
                return f"{_n(what)}は数 (スカラー) のはずですが、{describe(got)} でした。"
        if not np.isfinite(float(got)) and np.isfinite(float(expected)):
            return (f"{_n(what)}が {fmt(got)} になりました（期待 {fmt(expected)}）。"
                    "0 で割ったり、log(0) を取ったりしていませんか。")
        if abs(float(got) - float(expected)) <= atol + rtol * abs(float(expected)):
            return None
        return f"{_n(what)}が違います: 期待 {fmt(expected)}、実際 {fmt(got)}（許容誤差 {atol:g} + {rtol:g}×|期待値|）。"
    if isinstance(expected, str):
        if isinstance(got, np.str_):
            got = str(got)
        shown = repr(got) if isinstance(got, str) else describe(got)
        return None if got == expected else f"{_n(what)}が違います: 期待 {expected!r}、実際 {shown}。"
    return None if got == expected else f"{_n(what)}が違います: 期待 {expected!r}、実際 {describe(got)}。"


def _arrays(expected: np.ndarray, got: Any, atol: float, rtol: float, what: str, exact_dtype: bool) -> str | None:
    if isinstance(got, (list, tuple)) and not isinstance(got, Opaque):
        try:
            got = np.asarray(got)
        except (ValueError, TypeError):
            return f"{_n(what)}は配列 {tuple(expected.shape)} のはずですが、形のそろわない {describe(got)} でした。"
    if not isinstance(got, np.ndarray):
        return f"{_n(what)}は配列 {tuple(expected.shape)} のはずですが、{describe(got)} でした。"
    if got.shape != expected.shape:
        hint = "（行と列が入れ替わっていませんか）" if got.shape == expected.shape[::-1] and got.ndim == 2 else ""
        return f"{_n(what)}の形が違います: 期待 {tuple(expected.shape)}、実際 {tuple(got.shape)}{hint}。"
    if expected.dtype == bool:
        if got.dtype != bool:
            if exact_dtype:
                return (f"{_n(what)}は bool の配列のはずですが、dtype が {got.dtype} でした"
                        "（比較の結果や astype(bool) を使います）。")
            if not np.isin(got, (0, 1)).all():
                return f"{_n(what)}は True / False の配列のはずですが、0 と 1 以外の値があります。"
        bad = np.argwhere(got.astype(bool) != expected)
        if len(bad):
            i = tuple(int(x) for x in bad[0])
            return (f"{_n(what)}が {len(bad)} か所で違います。"
                    f"最初は {list(i)}: 期待 {bool(expected[i])}、実際 {bool(got[i])}。")
        return None
    if got.dtype.kind not in "biuf":
        return f"{_n(what)}は数の配列のはずですが、dtype が {got.dtype} でした。"
    if exact_dtype and expected.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return f"{_n(what)}は整数の配列のはずですが、dtype が {got.dtype} でした。"
    g = got.astype(float)
    e = expected.astype(float)
    finite = np.isfinite(g) | ~np.isfinite(e)
    if not finite.all():
        i = tuple(int(x) for x in np.argwhere(~finite)[0])
        return (f"{_n(what)}の {list(i)} が {fmt(g[i])} になりました（期待 {fmt(e[i])}）。"
                "0 で割ったり、exp があふれたりしていませんか。")
    with np.errstate(invalid="ignore"):
        wrong = ~(np.isclose(g, e, atol=atol, rtol=rtol, equal_nan=True) | ((g == e) & ~np.isfinite(e)))
    if not wrong.any():
        return None
    idx = np.argwhere(wrong)
    i = tuple(int(x) for x in idx[0])
    if expected.dtype.kind in "iub" and got.dtype.kind in "iub":  # integers: equal or not, no tolerance to state
        return (f"{_n(what)}の値が {len(idx)} か所で違います（全 {e.size} 個）。"
                f"最初は {list(i)}: 期待 {fmt(e[i])}、実際 {fmt(g[i])}。")
    return (f"{_n(what)}の値が {len(idx)} か所で違います（全 {e.size} 個）。"
            f"最初は {list(i)}: 期待 {fmt(e[i])}、実際 {fmt(g[i])}"
            f"（許容誤差 {atol:g} + {rtol:g}×|期待値|）。")


def matches(expected: Any, got: Any, atol: float = 1e-6, rtol: float = 1e-5) -> bool:
    return close(expected, got, atol, rtol) is None


def with_mistakes(problem: str | None, got: Any, mistakes: Sequence[tuple[Any, str]], atol: float = 1e-6,
                  rtol: float = 1e-5) -> str | None:
    """``problem``, plus the hint of the first known wrong answer that ``got`` equals (a common slip, named)."""
    if problem is None:
        return None
    for wrong, hint in mistakes:
        try:
            if matches(wrong, got, atol, rtol):
                return f"{problem}\n  → {hint}"
        except Exception:  # a mistake that does not apply to this shape
            continue
    return problem
