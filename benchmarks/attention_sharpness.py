"""How sharp each bundled RNN translator's attention is: the largest weight of each row, on dev.

    python benchmarks/attention_sharpness.py [--sentences N]

A sharp row (one source word takes most of the weight) reads as an alignment in
the L4 grid; a diffuse one does not, whatever the BLEU. Prints, per variant, the
mean largest weight per row and the share of rows whose largest weight is over 0.5.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tutor.core import corpus, translator
from tutor.core.variants import BUNDLED, VARIANTS
from tutor.settings import PROJECT_ROOT


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=500)
    args = parser.parse_args()
    data = Path(os.environ.get("TUTOR_DATA_DIR", "")) if os.environ.get("TUTOR_DATA_DIR") else corpus.find(Path("."))
    pairs = list(corpus.read_pairs(data, "dev"))[: args.sentences]
    print(f"dev {len(pairs)} 文、貪欲法")
    for v in VARIANTS:
        folder = PROJECT_ROOT / "models" / BUNDLED[v]
        if v == "plain" or not folder.is_dir():
            continue
        model = translator.load(folder)
        tops = [max(row) for p in pairs for row in model.translate(p.ja).attention]
        mean = sum(tops) / len(tops)
        share = sum(t > 0.5 for t in tops) / len(tops)
        print(f"{v:9} 行ごとの最大の重みの平均 {mean:.3f}   最大の重みが 0.5 を超える行 {share:.0%}")


if __name__ == "__main__":
    main()
