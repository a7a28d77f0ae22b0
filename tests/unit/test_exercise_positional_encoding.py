"""positional_encoding (L5): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import check_source, slips_fail_with_a_pointed_message
from tutor.exercises.defs.positional_encoding import EXERCISE


def _source(angles: str = "pos / 10000 ** (2 * (j // 2) / d_model)", pos: str = "np.arange(length)[:, None]",
            even: str = "np.sin", odd: str = "np.cos", result: str = "pe") -> str:
    return f"""
        import numpy as np
        def positional_encoding(length, d_model):
            pos = {pos}
            j = np.arange(d_model)[None, :]
            angles = {angles}
            pe = np.where(j % 2 == 0, {even}(angles), {odd}(angles))
            return {result}
        """


WRONG = {
    "sin and cos swapped": (_source(even="np.cos", odd="np.sin"), "sin と cos が逆"),
    "exponent j/d_model": (_source(angles="pos / 10000 ** (j / d_model)"), "列の番号 j をそのまま"),
    "base 1000": (_source(angles="pos / 1000 ** (2 * (j // 2) / d_model)"), "10000 ではない"),
    "positions from 1": (_source(pos="np.arange(1, length + 1)[:, None]"), "1 から数えて"),
    "transposed": (_source(result="pe.T"), "行と列が"),
    "integer array": ("""
        import numpy as np
        def positional_encoding(length, d_model):
            pe = np.zeros((length, d_model), dtype=int)
            for pos in range(length):
                for j in range(d_model):
                    angle = pos / 10000 ** (2 * (j // 2) / d_model)
                    pe[pos, j] = np.sin(angle) if j % 2 == 0 else np.cos(angle)
            return pe
        """, "切り捨てられて"),
    "odd d_model not handled (slices of different lengths)": ("""
        import numpy as np
        def positional_encoding(length, d_model):
            pe = np.zeros((length, d_model))
            pos = np.arange(length)[:, None]
            div = 10000 ** (np.arange(0, d_model, 2) / d_model)
            pe[:, 0::2] = np.sin(pos / div)
            pe[:, 1::2] = np.cos(pos / div)
            return pe
        """, "ValueError"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_the_usual_slicing_solution_fails_only_on_odd_d_model(tmp_path):
    """pe[:, 1::2] = cos(...) with cos of ceil(d_model/2) columns breaks on an odd d_model > 1 (d_model = 1
    broadcasts)."""
    source, _ = WRONG["odd d_model not handled (slices of different lengths)"]
    report = check_source(EXERCISE, source, tmp_path)
    assert {f["case"] for f in report.failures} == {"d_model が奇数 (5)", "d_model が奇数 (7)、長さ 12"}
