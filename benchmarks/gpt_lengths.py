"""How long the GPT's continuations are (issue 18): a continuation under three words at temperature
>= 0.7 should be rare. 200 dev prompts (each sentence's first third, as L6 makes them), one draw each
at temperature 0.7, 1.0 and the README's 0.8 / top-p 0.9, seed 0..199; prints the length distribution.

    python benchmarks/gpt_lengths.py [--prompts 200]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.core import corpus, gpt_lm  # noqa: E402
from tutor.core.gpt_explain import default_prompt  # noqa: E402
from tutor.core.sampling import SamplingConfig  # noqa: E402
from tutor.settings import PROJECT_ROOT  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=int, default=200)
    args = ap.parse_args()
    data = Path(os.environ["TUTOR_DATA_DIR"]) if os.environ.get("TUTOR_DATA_DIR") else corpus.find(Path("."))
    prompts = [default_prompt(p.ja) for p in corpus.read_pairs(data, "dev")][: args.prompts]
    lm = gpt_lm.load(PROJECT_ROOT / "models" / gpt_lm.FOLDER)
    for name, knobs in (("温度 0.7", dict(temperature=0.7)), ("温度 0.8、top-p 0.9", dict(temperature=0.8, top_p=0.9)),
                        ("温度 1.0", dict(temperature=1.0))):
        lengths = [len(lm.continue_text(p, SamplingConfig(max_tokens=20, seed=i, **knobs)).tokens)
                   for i, p in enumerate(prompts)]
        counts = Counter(min(n, 10) for n in lengths)
        short = sum(n < 3 for n in lengths)
        spread = "  ".join(f"{k}{'+' if k == 10 else ''}:{counts[k]}" for k in range(11))
        print(f"{name:18} {len(lengths)} prompts: under 3 words {short} ({short / len(lengths):.1%}), "
              f"median {sorted(lengths)[len(lengths) // 2]} words\n    words: {spread}")


if __name__ == "__main__":
    main()
