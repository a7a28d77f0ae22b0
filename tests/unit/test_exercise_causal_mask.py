"""causal-mask (L6): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, messages, slips_fail_with_a_pointed_message
from tutor.exercises.defs.causal_mask import EXERCISE


def test_a_comparison_of_positions_passes(tmp_path):
    source = """
        import numpy as np
        def causal_mask(n):
            t = np.arange(n)
            return t[None, :] <= t[:, None]
        """
    report = check_source(EXERCISE, source, tmp_path)
    assert report.passed, report.failures


WRONG = {
    "upper triangle": ("""
        import numpy as np
        def causal_mask(n):
            return np.triu(np.ones((n, n), dtype=bool))
        """, "上三角"),
    "strictly below the diagonal": ("""
        import numpy as np
        def causal_mask(n):
            return np.tril(np.ones((n, n), dtype=bool), k=-1)
        """, "対角線が False"),
    "0/1 integers": ("""
        import numpy as np
        def causal_mask(n):
            return np.tril(np.ones((n, n), dtype=int))
        """, "dtype=bool"),
    "float from np.tri": ("""
        import numpy as np
        def causal_mask(n):
            return np.tri(n)
        """, "bool の配列のはず"),
    "inverted": ("""
        import numpy as np
        def causal_mask(n):
            return ~np.tril(np.ones((n, n), dtype=bool))
        """, "True と False が逆"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_a_float_mask_of_one_cell_is_told_about_its_dtype_not_a_triangle(tmp_path):
    """For n = 1 the upper and the lower triangle are one and the same cell: only the dtype can be wrong."""
    report = check_source(EXERCISE, """
        import numpy as np
        def causal_mask(n):
            return np.tril(np.ones((n, n)))
        """, tmp_path)
    assert not report.passed
    assert "上三角" not in messages(report)
    assert all("bool" in f["message"] for f in report.failures)
