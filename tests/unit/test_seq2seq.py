"""The RNN translator: vocabularies, shapes, masks, attention, decoding, a few training steps."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tutor.core.seq2seq import VARIANTS, Attention, Seq2Seq, Seq2SeqConfig
from tutor.core.seq2seq_decode import beam_search, greedy_batch, greedy_steps
from tutor.core.train.seq2seq import ParallelData, TrainConfig, bleu, collate, train
from tutor.core.vocab import BOS_ID, EOS_ID, PAD_ID, UNK, UNK_ID, Vocab

TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def test_vocab_specials_order_and_round_trip(tmp_path) -> None:
    v = Vocab.build([["犬", "が", "走る"], ["猫", "が", "寝る"]], min_count=1)
    assert v.tokens[:5] == ["<pad>", "<s>", "</s>", "<unk>", "が"]
    ids = v.encode(["猫", "が", "象"], bos=True, eos=True)
    assert ids[0] == BOS_ID and ids[-1] == EOS_ID and ids[3] == UNK_ID
    assert v.decode(ids + [v.index["犬"]]) == ["猫", "が", UNK]  # stops at </s>
    v.save(tmp_path / "v.json")
    assert Vocab.load(tmp_path / "v.json").tokens == v.tokens
    assert Vocab.build([["a", "a", "b"]], min_count=2).tokens[4:] == ["a"]
    with pytest.raises(ValueError):
        Vocab(["a", "b"])


def tiny_model(variant: str, seed: int = 0) -> Seq2Seq:
    torch.manual_seed(seed)
    return Seq2Seq(Seq2SeqConfig(variant=variant, src_vocab=30, tgt_vocab=25, emb=16, hidden=24, dropout=0.0,
                                 max_len=12)).eval()


def padded_batch():
    src = torch.tensor([[5, 6, 7, 8, 9], [10, 11, 12, PAD_ID, PAD_ID]])
    return src, torch.tensor([5, 3])


@pytest.mark.parametrize("variant", VARIANTS)
def test_shapes_and_attention_is_a_distribution_over_real_tokens(variant) -> None:
    model = tiny_model(variant)
    src, lengths = padded_batch()
    tgt_in = torch.tensor([[BOS_ID, 5, 6, 7], [BOS_ID, 8, 9, PAD_ID]])
    logits, attn = model(src, lengths, tgt_in)
    assert logits.shape == (2, 4, 25)
    if variant == "plain":
        assert attn is None
        return
    assert attn.shape == (2, 4, 5)
    torch.testing.assert_close(attn.sum(-1), torch.ones(2, 4))
    assert torch.all(attn[1, :, 3:] == 0)  # padding never receives weight


@pytest.mark.parametrize("score", ["dot", "general", "concat", "additive"])
def test_hard_attention_is_one_hot_at_the_soft_argmax(score) -> None:
    torch.manual_seed(1)
    att = Attention(score, 8)
    q, keys = torch.randn(3, 8), torch.randn(3, 6, 8)
    mask = torch.ones(3, 6, dtype=torch.bool)
    mask[2, 4:] = False
    _, soft = att(q, keys, mask)
    context, hard = att(q, keys, mask, hard=True)
    assert torch.all(hard.sum(-1) == 1) and torch.all((hard == 0) | (hard == 1))
    assert torch.equal(hard.argmax(-1), soft.argmax(-1))
    torch.testing.assert_close(context, keys[torch.arange(3), soft.argmax(-1)])


@pytest.mark.parametrize("variant", ["plain", "general", "additive"])
def test_beam_of_width_one_is_greedy(variant) -> None:
    model = tiny_model(variant, seed=3)
    src = [5, 6, 7, 8]
    greedy = [s.token for s in greedy_steps(model, src)]
    greedy = greedy[:-1] if greedy and greedy[-1] == EOS_ID else greedy
    (best, *_) = beam_search(model, src, width=1)
    assert best.tokens == greedy
    batched = greedy_batch(model, torch.tensor([src]), torch.tensor([4]))
    assert batched == [greedy]


def test_beam_reports_kept_and_pruned_candidates() -> None:
    model = tiny_model("general", seed=4)
    seen = []
    hyps = beam_search(model, [5, 6, 7], width=3,
                       on_step=lambda t, alive, pruned: seen.append((len(alive), len(pruned))))
    assert hyps and all(a <= 3 for a, _ in seen) and any(p > 0 for _, p in seen)
    scores = [h.score(True) for h in hyps]
    assert scores == sorted(scores, reverse=True)
    assert all(len(h.weights) >= len(h.tokens) for h in hyps)


def test_greedy_steps_carry_the_attention_of_each_step() -> None:
    model = tiny_model("dot")
    steps = list(greedy_steps(model, [5, 6, 7], hard=True))
    assert steps and all(len(s.weights) == 3 and sorted(s.weights) == [0.0, 0.0, 1.0] for s in steps)
    assert all(0 < s.prob <= 1 for s in steps)


def test_collate_pads_and_shifts() -> None:
    pairs = [([5, 6, 7], [8, 9]), ([5], [8, 9, 10])]
    src, lengths, tin, tout = collate(pairs, [0, 1])
    assert src.tolist() == [[5, 6, 7], [5, PAD_ID, PAD_ID]] and lengths.tolist() == [3, 1]
    assert tin.tolist() == [[BOS_ID, 8, 9, PAD_ID], [BOS_ID, 8, 9, 10]]
    assert tout.tolist() == [[8, 9, EOS_ID, PAD_ID], [8, 9, 10, EOS_ID]]


def test_bleu_is_100_for_identical_and_low_for_unrelated() -> None:
    refs = [["i", "like", "dogs", "very", "much", "."]]
    assert bleu(refs, refs) == pytest.approx(100.0)
    assert bleu([["cats", "sleep"]], refs) < 5


def test_a_few_epochs_on_team_sentences_lower_the_loss() -> None:
    from tutor.core.text import tokenize

    lines = TINY.read_text(encoding="utf-8").splitlines()
    # A toy target language: the Japanese tokens reversed, so there is something to learn.
    pairs = [(tokenize(line), list(reversed(tokenize(line)))) for line in lines]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:8])
    cfg = Seq2SeqConfig(variant="general", src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), emb=32,
                        hidden=48, dropout=0.0)
    losses = []
    model, figures = train(data, cfg, TrainConfig(epochs=6, batch_size=10, lr=3e-3, lr_final=1.0),
                           on_progress=lambda p: losses.append(p.loss))
    assert losses[-1] < losses[0] * 0.7
    history = figures["valid_bleu_per_epoch"]
    assert len(history) == 6 and history[:3] == [None] * 3  # measured from the second half on
    history = [-1 if b is None else b for b in history]
    assert figures["best_valid_bleu"] >= max(history)
    # kept: the average of the last 4 epochs only when it scores at least the best single epoch
    if figures["kept"].startswith("average"):
        assert figures["averaged_valid_bleu"] >= max(history)
    else:
        assert (figures["kept"] == f"epoch {history.index(max(history)) + 1}"
                and figures["best_valid_bleu"] == max(history))


def test_the_learning_rate_falls_along_half_a_cosine_to_its_floor() -> None:
    from tutor.core.train.seq2seq import cosine_lr

    cfg = TrainConfig(lr=1e-3, lr_final=0.05)
    rates = [cosine_lr(step, 100, cfg) for step in range(1, 101)]
    assert rates[0] == pytest.approx(1e-3, rel=1e-3) and rates[-1] == pytest.approx(5e-5)
    assert rates[49] == pytest.approx((1e-3 + 5e-5) / 2, rel=0.05)
    assert all(a >= b for a, b in zip(rates, rates[1:]))


def test_checkpoint_averaging_is_the_element_wise_mean() -> None:
    from tutor.core.train.seq2seq import average_of

    a, b = ({"w": torch.tensor([1.0, 3.0]), "n": torch.tensor([2])},
            {"w": torch.tensor([3.0, 5.0]), "n": torch.tensor([4])})
    mean = average_of([a, b])
    assert mean["w"].tolist() == [2.0, 4.0] and mean["n"].dtype == torch.long and mean["n"].item() == 3
