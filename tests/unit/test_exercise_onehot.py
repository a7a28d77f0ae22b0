"""onehot (L1): the model solution passes, the starter does not, and common slips are named."""

from exercise_helpers import slips_fail_with_a_pointed_message
from tutor.exercises.defs.onehot import EXERCISE

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


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)
