"""The RNN translator's variants, by name: importable without torch (the UI lists them)."""

VARIANTS = ("plain", "dot", "general", "concat", "additive")
VARIANT_NAMES = {
    "plain": "アテンションなし",
    "dot": "dot (sᵀh)",
    "general": "general (sᵀWh)",
    "concat": "concat (vᵀtanh(W[s;h]))",
    "additive": "additive (Bahdanau)",
    "transformer": "Transformer",
}
#: Every translator the CLI offers: the RNN variants and the Transformer (lesson L5).
TRANSLATORS = (*VARIANTS, "transformer")
#: Bundled translator -> folder under models/.
BUNDLED = {**{v: f"seq2seq-{v}" for v in VARIANTS}, "transformer": "transformer"}
#: The default translator: the best attention variant by dev BLEU (see each CARD.md).
BEST = "concat"
#: The model the attention grids open with: general's weights are the sharpest of the four
#: (mean largest weight per row 0.76 on dev, concat 0.49; benchmarks/attention_sharpness.py),
#: at 0.18 BLEU below the best, so its grid reads most clearly as an alignment.
GRID_DEFAULT = "general"
