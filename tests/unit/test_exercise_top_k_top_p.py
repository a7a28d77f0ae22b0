"""top-k-top-p (L6): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, slips_fail_with_a_pointed_message
from tutor.exercises.defs.top_k_top_p import EXERCISE


def test_a_python_loop_is_slow_but_right(tmp_path):
    source = """
        def filter_probs(probs, top_k=None, top_p=None):
            order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
            if top_k is not None:
                order = order[:top_k]
            if top_p is not None and top_p < 1:
                total = sum(probs[i] for i in order)
                kept, cumulative = [], 0.0
                for i in order:
                    kept.append(i)
                    cumulative += probs[i] / total
                    if cumulative >= top_p:
                        break
                order = kept
            out = [0.0] * len(probs)
            total = sum(probs[i] for i in order)
            for i in order:
                out[i] = probs[i] / total
            return out
        """
    report = check_source(EXERCISE, source, tmp_path)
    assert report.passed, report.failures


def _solution(*, order="np.argsort(-probs, kind='stable')", keep="np.searchsorted(np.cumsum(mass), top_p) + 1",
              mass="probs[order] / probs[order].sum()", finish="out / out.sum()", p_first=False) -> str:
    top_k = """
            if top_k is not None:
                order = order[:top_k]"""
    top_p = f"""
            if top_p is not None and top_p < 1:
                mass = {mass}
                order = order[:max(int({keep}), 1)]"""
    steps = top_p + top_k if p_first else top_k + top_p
    return f"""
        import numpy as np
        def filter_probs(probs, top_k=None, top_p=None):
            probs = np.asarray(probs, dtype=float)
            order = {order}{steps}
            out = np.zeros_like(probs)
            out[order] = probs[order]
            return {finish}
        """


WRONG = {
    "the token that crosses p is left out (strict <)": (_solution(keep="(np.cumsum(mass) < top_p).sum()"),
                                                         "p を超えるきっかけ"),
    "not renormalized": (_solution(finish="out"), "再正規化"),
    "> instead of >= when the mass reaches p exactly": (
        _solution(keep="np.searchsorted(np.cumsum(mass), top_p, side='right') + 1"), ">= で比べます"),
    "top-p counted on the masses top-k left, not renormalized": (_solution(mass="probs[order]"),
                                                                 "割り直してから、top-p の累積"),
    "top-p before top-k": (_solution(p_first=True), "順番は top-k → top-p"),
    "top-p keeps p·V tokens": (_solution(keep="top_p * len(probs)"), "語彙の p の割合"),
    "ties broken toward the larger index": (_solution(order="np.argsort(probs)[::-1]"), "番号（添字）の小さいほう"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_the_strict_slip_is_named_where_p_is_crossed(tmp_path):
    """The slip the issue names first: every case where it differs says so."""
    source, words = WRONG["the token that crosses p is left out (strict <)"]
    report = check_source(EXERCISE, source, tmp_path)
    failures = report.failures
    assert failures and all(words in f["message"] for f in failures), failures
