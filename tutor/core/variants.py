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
#: The translator `tutor translate` and the L4 grid start with: among the attention variants whose grid
#: reads as an alignment (mean largest weight per row at least 0.6, translator.READABLE_SHARPNESS; on the
#: validation split dot 0.702 and general 0.724, concat 0.503 and additive below), the variant and decoding
#: with the best validation BLEU: dot with a beam of 5 (32.03; general's beam 31.12, their greedy 29.74 and
#: 29.17). concat's beam scores 0.23 higher, but its weights spread over several words, so its grid does not
#: show which word each English word came from. Chosen on validation, not dev (where general's beam is the
#: higher). tests/models/test_seq2seq_bundled.py recomputes this choice from the models' config.json.
BEST = "dot"
BEST_BEAM = 5
#: The model the attention grids open with: the default translator, so the grid shows what `tutor translate` does.
GRID_DEFAULT = BEST
