"""L3/L4 figures moved out of the screens: bigram scoring and draws, BLEU by length, translator steps."""

from __future__ import annotations

import math

import pytest

from tutor.core import bigram_explain, bleu_buckets, checkpoint
from tutor.core.ngram import BOS, EOS, Bigram

SENTENCES = [["犬", "が", "走る"], ["猫", "が", "寝る"], ["犬", "が", "寝る"]]


@pytest.fixture
def lm() -> Bigram:
    return Bigram.fit(SENTENCES, k=0.01)


def test_score_multiplies_the_pairs_between_bos_and_eos(lm) -> None:
    s = bigram_explain.score(lm, ["犬", "が", "寝る"])
    assert [(p.prev, p.word) for p in s.pairs] == [(BOS, "犬"), ("犬", "が"), ("が", "寝る"), ("寝る", EOS)]
    assert s.pairs[1].count == 2 and s.pairs[1].total == 2 and s.pairs[1].prob == pytest.approx(lm.prob("犬", "が"))
    assert s.logprob == pytest.approx(sum(math.log(p.prob) for p in s.pairs))
    assert s.prob == pytest.approx(math.exp(s.logprob))
    assert s.perplexity == pytest.approx(math.exp(-s.logprob / 4))
    assert not any(p.unseen for p in s.pairs)
    assert bigram_explain.score(lm, ["猫", "が", "走る", "犬"]).pairs[-2].unseen  # 走る 犬 never seen


def test_generate_explains_every_draw(lm) -> None:
    g = bigram_explain.generate(lm, seed=3, max_words=25, top=2)
    assert g.seed == 3 and g.words == lm.generate(seed=3, max_words=25)
    assert [d.word for d in g.draws] == [*g.words, EOS]  # ended before the cap: the end is a draw too
    assert g.draws[0].prev == BOS
    for d in g.draws:
        assert d.count == lm.count(d.prev, d.word) > 0 and d.total == lm.total(d.prev)
        assert len(d.candidates) <= 2 and all(c > 0 for _, c in d.candidates)
    capped = bigram_explain.generate(lm, seed=3, max_words=1)
    assert len(capped.words) == 1 and [d.word for d in capped.draws] == capped.words


def table_for(plain: float, general: float, concat: float) -> dict:
    def ev(bleu):
        return {"greedy": {"bleu": bleu, "buckets": {
            "≤ 8": {"bleu": bleu + 5, "sentences": 3},
            "9–12": {"bleu": bleu, "sentences": 2},
            "≥ 13": {"bleu": bleu - 5, "sentences": 1}}}}

    return {"plain": ev(plain), "general": ev(general), "concat": ev(concat)}


def test_bleu_table_comparisons() -> None:
    table = table_for(10, 20, 15)
    assert bleu_buckets.top_bleu(table) == 25
    assert bleu_buckets.best_attention(table) == "general"
    assert bleu_buckets.bucket_size(table, "≤ 8") == 3 and bleu_buckets.bucket_size(table, "nope") == 0
    gaps = bleu_buckets.gaps(table, "general")
    assert [g.bucket for g in gaps] == list(bleu_buckets.BUCKET_ORDER)
    assert gaps[2].difference == pytest.approx(10) and gaps[2].ratio == pytest.approx(15 / 5)
    assert bleu_buckets.best_attention({"plain": table["plain"]}) is None
    assert bleu_buckets.top_bleu({}) == 0.0


def test_read_table_keeps_only_models_with_figures(tmp_path) -> None:
    (tmp_path / "seq2seq-plain").mkdir()
    checkpoint.write_json(tmp_path / "seq2seq-plain" / checkpoint.CONFIG,
                          {"meta": {"evaluation": table_for(1, 2, 3)["plain"]}})
    (tmp_path / "seq2seq-dot").mkdir()
    checkpoint.write_json(tmp_path / "seq2seq-dot" / checkpoint.CONFIG, {"meta": {}})
    assert list(bleu_buckets.read_table(tmp_path)) == ["plain"]


# -- translator steps (torch) ------------------------------------------------------------------
torch = pytest.importorskip("torch")


def tiny_translator(variant: str):
    from tutor.core.seq2seq import Seq2Seq, Seq2SeqConfig
    from tutor.core.translator import Translator
    from tutor.core.vocab import Vocab

    src = Vocab.build([["犬", "が", "走る"], ["猫", "が", "寝る"]], 1)
    tgt = Vocab.build([["the", "dog", "runs"], ["a", "cat", "sleeps"]], 1)
    torch.manual_seed(0)
    model = Seq2Seq(Seq2SeqConfig(variant=variant, src_vocab=len(src), tgt_vocab=len(tgt), emb=8, hidden=12,
                                  dropout=0.0, max_len=5))
    return Translator(model.eval(), src, tgt)


@pytest.mark.parametrize("variant", ["plain", "general"])
def test_greedy_rows_match_greedy_steps(variant) -> None:
    from tutor.core import seq2seq_steps
    from tutor.core.seq2seq_decode import greedy_steps
    from tutor.core.vocab import EOS_ID

    t = tiny_translator(variant)
    ids = seq2seq_steps.encode(t, ["犬", "が", "走る"])
    rows = seq2seq_steps.greedy_rows(t, ids)
    steps = [s for s in greedy_steps(t.model, ids) if s.token != EOS_ID]
    assert [r.token_id for r in rows] == [s.token for s in steps]
    assert [r.word for r in rows] == [t.tgt_vocab.tokens[s.token] for s in steps]
    assert all((r.weights is None) == (variant == "plain") for r in rows)
    assert seq2seq_steps.greedy_words(t, ["犬", "が", "走る"]) == [(r.word, r.prob) for r in rows]


def test_beam_replay_records_every_step_and_the_best_rows() -> None:
    from tutor.core import seq2seq_steps

    t = tiny_translator("general")
    ids = seq2seq_steps.encode(t, ["猫", "が", "寝る"])
    r = seq2seq_steps.beam_replay(t, ids, width=3, norm=True)
    assert [s.step for s in r.steps] == list(range(len(r.steps))) and len(r.pruned) == len(r.steps)
    assert all(len(s.alive) <= 3 for s in r.steps)
    assert r.candidates == sorted(r.candidates, key=lambda c: c[1], reverse=True)
    assert all(abs(sum(row.weights) - 1) < 1e-4 and row.prob == 1.0 for row in r.rows)
    # a candidate that reached </s> at step t has t words, and stays listed as finished afterwards
    assert all(len(w.split()) <= s.step for s in r.steps for w, _ in s.finished)
    assert all(set(a.finished) <= set(b.finished) for a, b in zip(r.steps, r.steps[1:]))


def test_explain_row_and_unroll_words() -> None:
    from tutor.core import seq2seq_steps

    t = tiny_translator("general")
    ids = seq2seq_steps.encode(t, ["犬", "が"])
    ex = seq2seq_steps.explain_row(t, ids, [], hard=False)
    assert ex is not None and sum(ex.softmax) == pytest.approx(1.0) and len(ex.scores) == 2
    assert seq2seq_steps.explain_row(tiny_translator("plain"), ids, []) is None
    u = seq2seq_steps.unroll_words(t, ["犬", "が"])
    assert len(u.forward) == 2 and u.hidden == 12
