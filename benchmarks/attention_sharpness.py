"""How sharp each bundled RNN translator's attention is: the largest weight of each row, on dev or validation.

    python benchmarks/attention_sharpness.py [--sentences N] [--split dev|valid]

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
    parser.add_argument("--split", choices=("dev", "valid"), default="dev")
    args = parser.parse_args()
    data = Path(os.environ.get("TUTOR_DATA_DIR", "")) if os.environ.get("TUTOR_DATA_DIR") else corpus.find(Path("."))
    pairs = corpus.carve(data).valid if args.split == "valid" else list(corpus.read_pairs(data, "dev"))
    pairs = pairs[: args.sentences]
    print(f"{args.split} {len(pairs)} 文、貪欲法"
          f"（読めるアテンションの目安: 平均 {translator.READABLE_SHARPNESS} 以上）")
    for v in VARIANTS:
        folder = PROJECT_ROOT / "models" / BUNDLED[v]
        if v == "plain" or not folder.is_dir():
            continue
        sharp = translator.sharpness(translator.load(folder), [p.ja for p in pairs])
        print(f"{v:9} 行ごとの最大の重みの平均 {sharp['mean_max']:.3f}   "
              f"最大の重みが 0.5 を超える行 {sharp['over_half']:.0%}")


if __name__ == "__main__":
    main()
