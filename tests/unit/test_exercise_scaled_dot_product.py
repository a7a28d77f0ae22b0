"""scaled-dot-product (L5): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, messages, slips_fail_with_a_pointed_message
from tutor.exercises.defs.scaled_dot_product import EXERCISE


def test_a_large_negative_number_instead_of_minus_infinity_passes(tmp_path):
    source = """
        import numpy as np
        def attention(Q, K, V, mask=None):
            scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(K.shape[-1])
            if mask is not None:
                scores = scores + np.where(mask, 0.0, -1e9)
            scores = scores - scores.max(axis=-1, keepdims=True)
            w = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
            return np.matmul(w, V), w
        """
    report = check_source(EXERCISE, source, tmp_path)
    assert report.passed, report.failures


RIGHT = """
    import numpy as np
    def attention(Q, K, V, mask=None):
        scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        z = np.exp(scores - scores.max(axis=-1, keepdims=True))
        w = z / z.sum(axis=-1, keepdims=True)
        return w @ V, w
    """

WRONG = {
    "forgot sqrt(d_k)": (RIGHT.replace(" / np.sqrt(Q.shape[-1])", ""), "√d_k で割るのを忘れて"),
    "divided by d_k": (RIGHT.replace("np.sqrt(Q.shape[-1])", "Q.shape[-1]"), "d_k で割っていませんか"),
    "softmax over the queries": (RIGHT.replace("axis=-1", "axis=-2"), "キーの軸"),
    "mask after the softmax": (RIGHT.replace("""
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        z = np.exp(scores - scores.max(axis=-1, keepdims=True))
        w = z / z.sum(axis=-1, keepdims=True)""", """
        z = np.exp(scores - scores.max(axis=-1, keepdims=True))
        w = z / z.sum(axis=-1, keepdims=True)
        if mask is not None:
            w = w * mask"""), "softmax の後にかけて"),
    "mask inverted": (RIGHT.replace("np.where(mask, scores, -np.inf)", "np.where(mask, -1e9, scores)"),
                      "マスクの意味が逆"),
    "mask ignored": (RIGHT.replace("scores = np.where(mask, scores, -np.inf)", "pass"), "見てはいけない位置"),
    "naive softmax": (RIGHT.replace("scores - scores.max(axis=-1, keepdims=True)", "scores"), "最大値を引いて"),
    "K.T on a batch of heads": (RIGHT.replace("np.swapaxes(K, -1, -2)", "K.T"), "np.swapaxes(K, -1, -2)"),
}


def test_each_slip_changes_the_right_solution():
    assert all(source != RIGHT for source, _ in WRONG.values())


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_weights_and_out_swapped_is_named(tmp_path):
    report = check_source(EXERCISE, RIGHT.replace("return w @ V, w", "return w, w @ V"), tmp_path)
    assert not report.passed
    assert "返す順番が逆" in messages(report)
