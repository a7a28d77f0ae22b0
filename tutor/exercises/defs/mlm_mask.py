"""mlm-mask (L7): BERT's masking with a NumPy generator: 15 % of the real tokens, then 80 % [MASK] / 10 % random /
10 % kept.

The draws depend on how the learner uses the generator, so no value can be
compared one to one with :func:`tutor.core.masking.mask_tokens` (a torch
generator). The checks are structural on every draw, and statistical over many
draws, with the rate, the split and the ignored label read from that module.
The statistical bounds are more than 5 standard deviations wide (see
:data:`RATE_TOL`), and every case's seeds are fixed, so a right solution
passes, and passes every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..compare import describe
from ..sandbox import Call
from ..spec import Case, Exercise
from ..wire import Rng

# Bounds, stated in the starter. The one-call case has 16,456 real tokens: the share chosen has a standard
# deviation sqrt(0.15·0.85/16456) = 0.0028 (0.015 is 5.4 of them); ~2,470 are chosen, so the share of
# [MASK] among them has sqrt(0.8·0.2/2470) = 0.0081 (0.045 is 5.6) and the share of random words or of
# kept ones sqrt(0.1·0.9/2470) = 0.0060 (0.035 is 5.8). The pooled case has 32,710 real tokens: over 7.5.
RATE_TOL = 0.015
MASK_TOL = 0.045
OTHER_TOL = 0.035

ALL_TOKENS = ("80% / 10% / 10% の振り分けは、選んだ 15% の位置の中だけで行います。"
              "選ばなかった位置（特殊トークンも）の入力は ids のままです。")
SPECIALS = "特殊トークン（special_ids にある id）の位置は選びません。labels は -100、入力はそのままです。"
NO_IGNORE = "labels は、選んだ位置だけ元の id で、選ばなかった位置（特殊トークンも）はすべて -100 にします。"
LABEL_IS_ORIGINAL = "labels の選んだ位置には、置き換える前の元の id を入れます（置き換えたあとの入力ではありません）。"
RANDOM_SPECIAL = ("ランダムな語は、range(vocab_size) のうち special_ids に入っていない id から引きます"
                  "（特殊トークンを引いてはいけません）。")
RANDOM_RANGE = "ランダムな語は 0 以上 vocab_size 未満の id です。"
RANDOM_COVER = ("ランダムな語は、特殊でない語のすべてから同じ確率で引きます。"
                "special_ids が 0, 1, 2, … と連続しているとは限りません"
                "（np.setdiff1d などで、引いてよい id の一覧を作れます）。")
ALWAYS_MASK = "選んだ位置を全部 [MASK] にしていませんか。10% はランダムな語に置き換え、10% はそのまま残します。"
ONLY_MASKED = "labels は [MASK] にした位置だけでなく、選んだ位置すべて（ランダムな語・そのまま の位置も）に付けます。"
SAME_SEED = ("同じシードの rng を渡したのに、結果が違いました。乱数は引数の rng だけから引きます"
             "（np.random.rand や np.random.choice のような np.random.* の関数は使いません）。")
OTHER_SEED = ("シードの違う rng を渡したのに、結果がまったく同じでした。引数の rng を使っていますか"
              "（関数の中で np.random.default_rng(0) などを作っていませんか）。")


@dataclass(frozen=True)
class Setting:
    """The masking rule, read from tutor.core.masking, and the project's ids."""

    rate: float
    split: tuple[float, float, float]
    ignore: int
    mask_id: int
    specials: tuple[int, ...]


def _setting() -> Setting:
    from ...core import masking
    from ...core.bert import BERT_SPECIALS, MASK_ID

    return Setting(masking.RATE, tuple(masking.SPLIT), masking.IGNORE, MASK_ID, tuple(range(len(BERT_SPECIALS))))


@dataclass
class Counts:
    real: int = 0  # positions whose id is not special
    chosen: int = 0
    masked: int = 0
    same: int = 0
    random: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("real", "chosen", "masked", "same", "random"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _arrays(value, n: int) -> tuple[np.ndarray, np.ndarray] | str:
    """The learner's (inputs, labels) as two integer arrays of length n, or what is wrong with them."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return f"返り値は (inputs, labels) の 2 つの組 (tuple) のはずですが、{describe(value)} でした。"
    out = []
    for name, part in zip(("inputs", "labels"), value):
        if isinstance(part, (list, tuple)):
            try:
                part = np.asarray(part)
            except (TypeError, ValueError):
                return f"{name} は配列のはずですが、{describe(part)} でした。"
        if not isinstance(part, np.ndarray):
            return f"{name} は配列のはずですが、{describe(part)} でした。"
        if part.shape != (n,):
            return f"{name} の形が違います: 期待 ({n},)、実際 {tuple(part.shape)}。ids と同じ形にします。"
        if n and part.dtype.kind != "i":
            return f"{name} は整数 (int64) の配列のはずですが、dtype が {part.dtype} でした。"
        out.append(part.astype(np.int64))
    return out[0], out[1]


def _structure(ids: np.ndarray, value, vocab_size: int, mask_id: int, special_ids: Sequence[int], s: Setting,
               where: str = "") -> Counts | str:
    """What one draw must satisfy whatever the dice said -> its counts, or a message naming the slip."""
    parts = _arrays(value, len(ids))
    if isinstance(parts, str):
        return where + parts
    inputs, labels = parts
    special = np.isin(ids, special_ids)
    chosen = labels != s.ignore
    if (chosen & special).any():
        i = int(np.argmax(chosen & special))
        hint = NO_IGNORE if (labels == ids).all() else SPECIALS
        return f"{where}特殊トークン ids[{i}] = {ids[i]} の labels が {labels[i]} です（-100 のはず）。\n  → {hint}"
    if (~special).sum() >= 100 and chosen.sum() == (~special).sum():
        return f"{where}特殊でない位置の labels がすべて -100 以外です（選ぶのは 15% ほどのはず）。\n  → {NO_IGNORE}"
    wrong_label = chosen & (labels != ids)
    if wrong_label.any():
        i = int(np.argmax(wrong_label))
        hint = LABEL_IS_ORIGINAL if (labels[wrong_label] == inputs[wrong_label]).all() else NO_IGNORE
        return f"{where}labels[{i}] が {labels[i]} です。-100 か、元の id {ids[i]} のはずです。\n  → {hint}"
    changed = ~chosen & (inputs != ids)
    if changed.any():
        i = int(np.argmax(changed))
        # Labels only where [MASK] went: the random words sit where the labels say "not chosen".
        only_masked = chosen.any() and (inputs[chosen] == mask_id).all() and not (inputs[changed] == mask_id).any()
        return (f"{where}labels が -100 の（選ばなかった）位置 {i} で、"
                f"入力が {ids[i]} から {inputs[i]} に変わっています。"
                f"\n  → {ONLY_MASKED if only_masked else ALL_TOKENS}")
    masked = chosen & (inputs == mask_id)
    same = chosen & (inputs == ids)
    random = chosen & ~masked & ~same
    bad = random & np.isin(inputs, special_ids)
    if bad.any():
        i = int(np.argmax(bad))
        return f"{where}位置 {i} のランダムな語が特殊トークン {inputs[i]} です。\n  → {RANDOM_SPECIAL}"
    bad = random & ((inputs < 0) | (inputs >= vocab_size))
    if bad.any():
        i = int(np.argmax(bad))
        return (f"{where}位置 {i} のランダムな語 {inputs[i]} が語彙の範囲 0〜{vocab_size - 1} の外です。"
                f"\n  → {RANDOM_RANGE}")
    return Counts(int((~special).sum()), int(chosen.sum()), int(masked.sum()), int(same.sum()), int(random.sum()))


def _statistics(c: Counts, s: Setting) -> str | None:
    """The shares over many draws, within the stated bounds."""
    rate = c.chosen / c.real
    if abs(rate - s.rate) > RATE_TOL:
        text = (f"選んだ位置の割合が {rate:.4f} でした"
                f"（特殊でない {c.real:,} 個のうち {c.chosen:,} 個。期待 {s.rate} ± {RATE_TOL}）。")
        if rate > 0.5:
            return f"{text}\n  → 15% を選んでから、その中で 80% / 10% / 10% に分けます。{ALL_TOKENS}"
        if c.masked == c.chosen and abs(rate - s.rate * s.split[0]) <= RATE_TOL:
            return f"{text}\n  → {ONLY_MASKED}"
        return text
    shares = (c.masked / c.chosen, c.random / c.chosen, c.same / c.chosen)
    if c.masked == c.chosen:
        return f"選んだ {c.chosen:,} 個がすべて [MASK] でした。\n  → {ALWAYS_MASK}"
    names = ("[MASK]", "ランダムな語", "そのまま")
    for name, got, want, tol in zip(names, shares, s.split, (MASK_TOL, OTHER_TOL, OTHER_TOL)):
        if abs(got - want) > tol:
            counts = "、".join(f"{n} {k:,} 個" for n, k in zip(names, (c.masked, c.random, c.same)))
            return f"選んだ {c.chosen:,} 個のうち、{name}の割合が {got:.4f} でした（期待 {want} ± {tol}。{counts}）。"
    return None


def _case(name: str, draws: list[tuple[np.ndarray, int]], vocab_size: int, s: Setting, *, special_ids=None,
          mask_id=None, statistics: bool = False, cover: bool = False) -> Case:
    """Calls on (ids, seed) pairs; every draw is checked for structure, the pooled counts for the shares."""
    special_ids = list(s.specials if special_ids is None else special_ids)
    mask_id = s.mask_id if mask_id is None else mask_id
    calls = tuple(Call("mask_tokens", (ids, Rng(seed), vocab_size, mask_id, special_ids)) for ids, seed in draws)

    def check(values: list) -> str | None:
        total = Counts()
        drawn: set[int] = set()
        for k, ((ids, seed), value) in enumerate(zip(draws, values)):
            where = f"{k + 1} 回目 (シード {seed}): " if len(draws) > 1 else ""
            counts = _structure(ids, value, vocab_size, mask_id, special_ids, s, where)
            if isinstance(counts, str):
                return counts
            total.add(counts)
            inputs, labels = value
            random = (np.asarray(labels) != s.ignore) & (np.asarray(inputs) != mask_id) & (np.asarray(inputs) != ids)
            drawn |= {int(w) for w in np.asarray(inputs)[random]}
        if cover:
            missing = sorted(set(range(vocab_size)) - set(special_ids) - drawn)
            if missing:
                return (f"ランダムな語に、id {', '.join(map(str, missing))} が一度も出てきませんでした。"
                        f"\n  → {RANDOM_COVER}")
        return _statistics(total, s) if statistics else None

    return Case(name, calls, check)


def _determinism(name: str, ids: np.ndarray, vocab_size: int, s: Setting) -> Case:
    seeds = (7, 7, 8)
    calls = tuple(Call("mask_tokens", (ids, Rng(seed), vocab_size, s.mask_id, list(s.specials))) for seed in seeds)

    def check(values: list) -> str | None:
        for value in values:
            counts = _structure(ids, value, vocab_size, s.mask_id, s.specials, s)
            if isinstance(counts, str):
                return counts
        first, again, other = ([np.asarray(part) for part in value] for value in values)
        if not all(np.array_equal(a, b) for a, b in zip(first, again)):
            return SAME_SEED
        if all(np.array_equal(a, b) for a, b in zip(first, other)):
            return OTHER_SEED
        return None

    return Case(name, calls, check)


def _corpus(rng: np.random.Generator, n: int, vocab_size: int, s: Setting) -> np.ndarray:
    """n ids: sentences of ordinary words between [CLS] and [SEP], with a little padding and [UNK]."""
    from ...core.bert import CLS_ID, SEP_ID
    from ...core.vocab import PAD_ID, UNK_ID

    out: list[int] = []
    pool = np.arange(len(s.specials), vocab_size)
    while len(out) < n:
        sentence = rng.choice(pool, size=int(rng.integers(6, 30))).tolist()
        if rng.random() < 0.3:
            sentence[int(rng.integers(len(sentence)))] = UNK_ID
        out += [CLS_ID, *sentence, SEP_ID] + [PAD_ID] * int(rng.integers(0, 4))
    return np.array(out[:n], dtype=np.int64)


def _cases() -> list[Case]:
    s = _setting()
    rng = np.random.default_rng(7)
    vocab = 8000
    from ...core.bert import CLS_ID, SEP_ID
    from ...core.vocab import PAD_ID

    # [CLS] 私 は 犬 が 好き です 。 [SEP]
    example = np.array([CLS_ID, 31, 9, 57, 12, 40, 15, 8, SEP_ID], dtype=np.int64)
    only_specials = np.array([CLS_ID, SEP_ID, PAD_ID, PAD_ID, CLS_ID, SEP_ID] * 20, dtype=np.int64)
    big = _corpus(rng, 20_000, vocab, s)
    pooled = [(_corpus(rng, 2_000, vocab, s), 100 + k) for k in range(20)]
    # A small vocabulary whose specials are not 0..6 in a row: [MASK] is 3, 7 another special, 4, 5, 6, 8, 9 the words.
    small_specials = [0, 1, 2, 3, 7]
    small_words = [4, 5, 6, 8, 9]
    small = np.array([w if rng.random() > 0.1 else 0 for w in rng.choice(small_words, 20_000)], dtype=np.int64)
    return [
        _case("例: [CLS] 私 は 犬 が 好き です 。 [SEP]", [(example, 0)], 100, s),
        _case("特殊トークンだけ (何も選ばれない)", [(only_specials, 1)], vocab, s),
        _case("空の配列", [(np.zeros(0, dtype=np.int64), 2)], vocab, s),
        _case("20,000 トークンを 1 回: 15% と 80/10/10", [(big, 3)], vocab, s, statistics=True),
        _case("2,000 トークンを 20 回 (シードを変えて)", pooled, vocab, s, statistics=True),
        _case("語彙 10・特殊な id が飛び飛び: ランダムな語", [(small, 4)], 10, s, special_ids=small_specials, mask_id=3,
              cover=True),
        _determinism("同じシードなら同じ結果", pooled[0][0], vocab, s),
    ]


EXERCISE = Exercise(
    id="mlm-mask",
    lesson="L7",
    title="MLM の穴埋め問題を作る (15% と 80/10/10)",
    functions=("mask_tokens",),
    tolerance=(f"形と決まりは毎回そのとおり。割合は、選ぶ割合 0.15 ± {RATE_TOL}、選んだ中の [MASK] 0.8 ± {MASK_TOL}、"
               f"ランダムな語 0.1 ± {OTHER_TOL}、そのまま 0.1 ± {OTHER_TOL}"),
    make_cases=_cases,
    drives="実験タブのマスクのかけ方",
)
