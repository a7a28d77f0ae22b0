"""onehot (L1): the model solution passes, the starter does not, and common slips are named."""

import pytest

from tests.exercise_helpers import check_source, messages, solution, starter
from tutor.exercises.defs.onehot import EXERCISE


def test_model_solution_passes(tmp_path):
    report = check_source(EXERCISE, solution(EXERCISE), tmp_path)
    assert report.passed, report.failures
    assert len(report.cases) >= 5


def test_starter_is_not_done_yet(tmp_path):
    report = check_source(EXERCISE, starter(EXERCISE), tmp_path)
    assert not report.passed
    assert "NotImplementedError" in messages(report)


WRONG = {
    "sorted vocabulary": ("""
        import numpy as np
        def onehot(tokens):
            vocab = sorted(set(tokens))
            m = np.zeros((len(tokens), len(vocab)), dtype=int)
            for i, t in enumerate(tokens):
                m[i, vocab.index(t)] = 1
            return vocab, m
        """, "初めて出てきた順"),
    "one row per word, not per token": ("""
        import numpy as np
        def onehot(tokens):
            vocab = list(dict.fromkeys(tokens))
            return vocab, np.eye(len(vocab), dtype=int)
        """, "1 トークンごと"),
    "float matrix": ("""
        import numpy as np
        def onehot(tokens):
            vocab = list(dict.fromkeys(tokens))
            m = np.zeros((len(tokens), len(vocab)))
            for i, t in enumerate(tokens):
                m[i, vocab.index(t)] = 1
            return vocab, m
        """, "整数"),
    "rows and columns swapped": ("""
        import numpy as np
        def onehot(tokens):
            vocab = list(dict.fromkeys(tokens))
            m = np.zeros((len(vocab), len(tokens)), dtype=int)
            for i, t in enumerate(tokens):
                m[vocab.index(t), i] = 1
            return vocab, m
        """, "行と列が入れ替わって"),
}


@pytest.mark.parametrize("name", WRONG)
def test_common_slips_fail_with_a_pointed_message(tmp_path, name):
    source, expected_words = WRONG[name]
    report = check_source(EXERCISE, source, tmp_path)
    assert not report.passed
    assert expected_words in messages(report)
