"""trace_sentence: lesson L5's FFN と正規化 page asks the core for one token's trace by sentence, layer and position."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from tutor.core.text import tokenize  # noqa: E402
from tutor.core.transformer import Transformer, TransformerConfig  # noqa: E402
from tutor.core.transformer_explain import trace_sentence, trace_token  # noqa: E402
from tutor.core.transformer_translator import TransformerTranslator  # noqa: E402
from tutor.core.vocab import Vocab  # noqa: E402

SENTENCE = "犬が公園を走る。"


def translator() -> TransformerTranslator:
    torch.manual_seed(0)
    src = Vocab.build([tokenize(SENTENCE)], 1)
    tgt = Vocab.build([["the", "dog", "runs"]], 1)
    cfg = TransformerConfig(src_vocab=len(src), tgt_vocab=len(tgt), d_model=16, heads=2, d_ff=32, layers=2,
                            dropout=0.0, max_len=8)
    return TransformerTranslator(Transformer(cfg).eval(), src, tgt)


def test_the_trace_is_trace_token_on_the_sentence_the_translator_reads() -> None:
    t = translator()
    trace = trace_sentence(t, SENTENCE, 1, 2)
    source = tokenize(SENTENCE)
    assert trace.source == source and trace.layers == 2 and (trace.layer, trace.position) == (1, 2)
    expected = trace_token(t.model, t.src_vocab.encode(source), 1, 2)
    assert [s.vector for s in trace.stages] == [s.vector for s in expected]


def test_out_of_range_choices_are_clamped_and_an_empty_sentence_has_no_stages() -> None:
    t = translator()
    trace = trace_sentence(t, SENTENCE, 9, 99)  # a select left over from a longer sentence or a bigger model
    assert trace.layer == 1 and trace.position == len(tokenize(SENTENCE)) - 1 and len(trace.stages) == 7
    empty = trace_sentence(t, "", 0, 0)
    assert empty.source == [] and empty.stages == []
