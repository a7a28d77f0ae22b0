"""attention-scores (L4): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, messages, slips_fail_with_a_pointed_message
from tutor.exercises.defs.attention_scores import EXERCISE

# a correct score and attend, with one line changed in each slip below
RIGHT_SCORE = """
    import numpy as np
    def score(kind, s, H, W=None, v=None):
        d = s.shape[0]
        if kind == "dot":
            return H @ s
        if kind == "general":
            return H @ W.T @ s
        return np.tanh(W[:, :d] @ s + H @ W[:, d:].T) @ v
    """
RIGHT_ATTEND = """
    def attend(s, H, kind, W=None, v=None):
        e = score(kind, s, H, W, v)
        z = np.exp(e - e.max())
        a = z / z.sum()
        return a, a @ H
    """

WRONG = {
    "general as h^T W s": (RIGHT_SCORE.replace("H @ W.T @ s", "H @ W @ s") + RIGHT_ATTEND, "h_i^T W s"),
    "concat as [h_i; s]": (RIGHT_SCORE.replace("W[:, :d] @ s + H @ W[:, d:].T", "W[:, d:] @ s + H @ W[:, :d].T")
                           + RIGHT_ATTEND, "[h_i; s]"),
    "no softmax": (RIGHT_SCORE + """
    def attend(s, H, kind, W=None, v=None):
        a = score(kind, s, H, W, v)
        return a, a @ H
    """, "softmax にかけて"),
    "context not summed": (RIGHT_SCORE + """
    def attend(s, H, kind, W=None, v=None):
        e = score(kind, s, H, W, v)
        a = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
        return a, a[:, None] * H
    """, "足し合わせた 1 本のベクトル"),
    "naive softmax overflows": (RIGHT_SCORE + """
    def attend(s, H, kind, W=None, v=None):
        e = score(kind, s, H, W, v)
        a = np.exp(e) / np.exp(e).sum()
        return a, a @ H
    """, "最大値を引いて"),
    "not divided by the sum": (RIGHT_SCORE + """
    def attend(s, H, kind, W=None, v=None):
        a = np.exp(score(kind, s, H, W, v))
        return a, a @ H
    """, "合計 sum_k exp(e_k) で割って"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_weights_and_context_swapped_is_named(tmp_path):
    report = check_source(EXERCISE, RIGHT_SCORE + RIGHT_ATTEND.replace("return a, a @ H", "return a @ H, a"), tmp_path)
    assert not report.passed
    assert "返す順番が逆" in messages(report)
