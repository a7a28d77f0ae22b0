"""mlm-mask (L7): the model solution passes, the starter does not, slips are named, and the project's masking passes
too."""

import numpy as np
import torch

from exercise_helpers import check_source, slips_fail_with_a_pointed_message
from tutor.exercises.checking import cases_of
from tutor.exercises.defs import mlm_mask
from tutor.exercises.defs.mlm_mask import EXERCISE


def test_the_projects_own_masking_passes_the_same_checks():
    """tutor.core.masking (a torch generator) satisfies every case that uses the project's ids."""
    from tutor.core.masking import mask_tokens

    def core(ids, rng, vocab_size, mask_id, special_ids):
        m = mask_tokens(torch.from_numpy(ids)[None], vocab_size, torch.Generator().manual_seed(rng.seed))
        return m.inputs[0].numpy(), m.labels[0].numpy()

    s = mlm_mask._setting()
    tried = 0
    for case in cases_of(EXERCISE):
        if all(c.args[3] == s.mask_id and list(c.args[4]) == list(s.specials) for c in case.calls):
            assert case.check([core(*c.args) for c in case.calls]) is None, case.name
            tried += 1
    assert tried >= 5


def _solution(*, chosen="(rng.random(n) < 0.15) & ~special", mask="chosen & (u < 0.8)",
              random="chosen & (u >= 0.8) & (u < 0.9)", words="np.setdiff1d(np.arange(vocab_size), special_ids)",
              labels="np.where(chosen, ids, -100)", u="rng.random(n)",
              draw="rng.choice(words, size=int(to_random.sum()))") -> str:
    return f"""
        import numpy as np
        def mask_tokens(ids, rng, vocab_size, mask_id, special_ids):
            ids = np.asarray(ids)
            n = len(ids)
            special = np.isin(ids, special_ids)
            chosen = {chosen}
            u = {u}
            to_mask = {mask}
            to_random = {random}
            words = {words}
            inputs = ids.copy()
            inputs[to_mask] = mask_id
            inputs[to_random] = {draw}
            labels = {labels}
            return inputs, labels
        """


WRONG = {
    "80/10/10 applied to every token, not to the 15 %": (_solution(mask="u < 0.8", random="(u >= 0.8) & (u < 0.9)"),
                                                         "選んだ 15% の位置の中だけ"),
    "specials chosen": (_solution(chosen="rng.random(n) < 0.15"),
                        "特殊トークン（special_ids にある id）の位置は選びません"),
    "labels everywhere (no -100)": (_solution(labels="ids.copy()"), "すべて -100"),
    "random words include specials": (_solution(words="np.arange(vocab_size)"), "special_ids に入っていない id"),
    "random words from range(len(special_ids), vocab_size)": (
        _solution(words="np.arange(len(special_ids), vocab_size)"), "special_ids に入っていない id"),
    "np.random globals instead of rng": (
        _solution(chosen="(np.random.rand(n) < 0.15) & ~special", u="np.random.rand(n)",
                  draw="np.random.choice(words, size=int(to_random.sum()))"), "np.random.*"),
    "always [MASK]": (_solution(mask="chosen", random="np.zeros(n, dtype=bool)"), "全部 [MASK]"),
    "labels only where [MASK]": (_solution(labels="np.where(to_mask, ids, -100)"), "選んだ位置すべて"),
}


test_common_slips_fail_with_a_pointed_message = slips_fail_with_a_pointed_message(EXERCISE, WRONG)


def test_a_python_loop_is_right_too(tmp_path):
    source = """
        import numpy as np
        def mask_tokens(ids, rng, vocab_size, mask_id, special_ids):
            words = [w for w in range(vocab_size) if w not in special_ids]
            inputs, labels = [], []
            for t in ids.tolist():
                if t in special_ids or rng.random() >= 0.15:
                    inputs.append(t)
                    labels.append(-100)
                    continue
                u = rng.random()
                inputs.append(mask_id if u < 0.8 else int(rng.choice(words)) if u < 0.9 else t)
                labels.append(t)
            return np.array(inputs, dtype=np.int64), np.array(labels, dtype=np.int64)
        """
    report = check_source(EXERCISE, source, tmp_path)
    assert report.passed, report.failures


def test_the_bounds_are_wide_enough():
    """Over 5 standard deviations for the one-call case (the pooled one has twice the tokens)."""
    big = next(c for c in cases_of(EXERCISE) if c.name.startswith("20,000"))
    ids = big.calls[0].args[0]
    real = int((~np.isin(ids, mlm_mask._setting().specials)).sum())
    chosen = 0.15 * real - 5 * np.sqrt(0.15 * 0.85 * real)
    assert mlm_mask.RATE_TOL >= 5 * np.sqrt(0.15 * 0.85 / real)
    assert mlm_mask.MASK_TOL >= 5 * np.sqrt(0.8 * 0.2 / chosen)
    assert mlm_mask.OTHER_TOL >= 5 * np.sqrt(0.1 * 0.9 / chosen)
