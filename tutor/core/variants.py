"""The RNN translator's variants, by name: importable without torch (the UI lists them)."""

VARIANTS = ("plain", "dot", "general", "concat", "additive")
VARIANT_NAMES = {
    "plain": "アテンションなし",
    "dot": "dot (sᵀh)",
    "general": "general (sᵀWh)",
    "concat": "concat (vᵀtanh(W[s;h]))",
    "additive": "additive (Bahdanau)",
}
#: Bundled variant -> folder under models/.
BUNDLED = {v: f"seq2seq-{v}" for v in VARIANTS}
#: The default translator: the best attention variant by dev BLEU (see each CARD.md).
BEST = "general"
