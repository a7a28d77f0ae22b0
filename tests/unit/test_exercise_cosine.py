"""cosine (L2): the model solution passes, the starter does not, and common slips are named."""

import textwrap

from exercise_helpers import slips_fail_with_a_pointed_message
from tutor.exercises.defs.cosine import EXERCISE

#: A right cosine, for the slips that are only in most_similar.
COSINE = """
import numpy as np
def cosine(a, b):
    return float(a @ b) / (max(np.linalg.norm(a), 1e-12) * max(np.linalg.norm(b), 1e-12))
"""

#: A right most_similar, for the slips that are only in cosine.
SIMILAR = """
def most_similar(vectors, vocab, word, topn):
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    w = vocab.index(word)
    sims = unit @ unit[w]
    order = np.argsort(-sims, kind="stable")
    return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
"""


def _src(*parts: str) -> str:
    return "\n".join(textwrap.dedent(p) for p in parts)


WRONG = {
    "plain dot product": ("""
        import numpy as np
        def cosine(a, b):
            return float(a @ b)
        def most_similar(vectors, vocab, word, topn):
            w = vocab.index(word)
            sims = vectors @ vectors[w]
            order = np.argsort(-sims, kind="stable")
            return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
        """, "内積をそのまま"),
    "cosine divides by one length only": (_src("""
        import numpy as np
        def cosine(a, b):
            return float(a @ b) / max(np.linalg.norm(a), 1e-12)
        """, SIMILAR), "片方のベクトルの長さでしか"),
    "most_similar normalizes only the query": (_src(COSINE, """
        def most_similar(vectors, vocab, word, topn):
            w = vocab.index(word)
            q = vectors[w] / np.linalg.norm(vectors[w])
            sims = vectors @ q
            order = np.argsort(-sims, kind="stable")
            return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
        """), "word のベクトルだけを長さ 1"),
    "the word itself included": (_src(COSINE, """
        def most_similar(vectors, vocab, word, topn):
            unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            sims = unit @ unit[vocab.index(word)]
            order = np.argsort(-sims, kind="stable")
            return [(vocab[i], float(sims[i])) for i in order][:topn]
        """), "word 自身が入っています"),
    "ascending order": (_src(COSINE, """
        def most_similar(vectors, vocab, word, topn):
            unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            w = vocab.index(word)
            sims = unit @ unit[w]
            order = np.argsort(sims, kind="stable")
            return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
        """), "小さい順"),
    "indices instead of words": (_src(COSINE, """
        def most_similar(vectors, vocab, word, topn):
            unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            w = vocab.index(word)
            sims = unit @ unit[w]
            order = np.argsort(-sims, kind="stable")
            return [(int(i), float(sims[i])) for i in order if i != w][:topn]
        """), "語の番号を返して"),
    "ties reversed by [::-1]": (_src(COSINE, """
        def most_similar(vectors, vocab, word, topn):
            unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            w = vocab.index(word)
            sims = unit @ unit[w]
            order = np.argsort(sims, kind="stable")[::-1]
            return [(vocab[i], float(sims[i])) for i in order if i != w][:topn]
        """), "vocab で前にある語を先に"),
    "zero length not clamped": (_src("""
        import numpy as np
        def cosine(a, b):
            return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        """, SIMILAR), "1e-12"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)
