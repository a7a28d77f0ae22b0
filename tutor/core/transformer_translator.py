"""The trained Transformer translator on disk and in use (lesson L5).

Same folder layout and the same :class:`~tutor.core.translator.Translation` as
the RNN translators, so the CLI, the evaluation and the lessons treat both
alike; a translation also carries every attention map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import torch_io
from .checkpoint import card_command, card_model
from .text import analyze
from .transformer import Transformer, TransformerConfig
from .translator import Translation, depth_notices, quality_lines, training_lines
from .vocab import Vocab

VARIANT = "transformer"
FOLDER = "transformer"


@dataclass
class TransformerTranslator:
    model: Transformer
    src_vocab: Vocab
    tgt_vocab: Vocab
    meta: dict = field(default_factory=dict)

    variant = VARIANT

    def source(self, analysis) -> list[str]:
        """The words the encoder reads: the first ``max_positions`` (it has no position beyond)."""
        return [t.surface for t in analysis.tokens][: self.model.cfg.max_positions]

    def translate(self, text: str, beam: int = 1, hard: bool = False, length_norm: bool = True,
                  attention: bool = True) -> Translation:
        """``hard`` is accepted for a uniform interface and refused: the Transformer has only soft attention.

        ``attention=False`` skips the extra forward pass and the copying of every layer's and head's
        maps (most of the time of a plain-text translation); the translation then carries none.
        """
        from .transformer_decode import attention_maps, beam_search, greedy

        if hard:
            raise ValueError("ハードアテンションは RNN の翻訳モデルだけの機能です。")
        analysis = analyze(text)
        source = self.source(analysis)
        if not source:
            return Translation(VARIANT, [], [], [], analysis.notices)
        ids = self.src_vocab.encode(source)
        candidates: list[tuple[list[str], float]] = []
        if beam <= 1:
            tokens, _ = greedy(self.model, ids)
        else:
            hyps = beam_search(self.model, ids, width=beam, length_norm=length_norm)
            tokens = hyps[0].tokens
            candidates = [(self.tgt_vocab.decode(h.tokens), h.score(length_norm)) for h in hyps]
        target = [self.tgt_vocab.tokens[t] for t in tokens]
        notices = depth_notices(self, analysis, source, tokens)
        if not attention:
            return Translation(VARIANT, source, target, None, notices, candidates)
        maps = attention_maps(self.model, ids, tokens)
        n = len(tokens)  # rows for the produced tokens (the </s> step left out, as for the RNN)
        cross = [[head[:n] for head in layer] for layer in maps.cross]
        return Translation(
            VARIANT,
            source,
            target,
            maps.cross_mean_last()[:n],
            notices,
            candidates,
            cross_attention=cross,
            maps=maps,
        )

    def to(self, device: str):
        """Run on ``device`` ("cpu" or "cuda"); returns self."""
        self.model.to(device)
        return self

    def translate_ids(self, src_ids: list[list[int]]) -> list[list[int]]:
        from .train.transformer import translate_ids

        return translate_ids(self.model, src_ids)

    def save(self, folder: Path, card: str | None = None) -> None:
        torch_io.save(folder, self.model, self.meta, {"src": self.src_vocab.tokens, "tgt": self.tgt_vocab.tokens}, card)

    def card(self, command: str, evaluation: dict | None) -> str:
        return model_card(self, command, evaluation)


def load(folder: Path, config: dict | None = None) -> TransformerTranslator:
    from .translator import vocabularies

    def build(cfg_json: dict, vocab: dict):
        cfg = TransformerConfig.from_json(cfg_json)
        return Transformer(cfg), vocabularies(vocab, cfg.src_vocab, cfg.tgt_vocab)

    model, (src_vocab, tgt_vocab), meta = torch_io.load(folder, config, build)
    return TransformerTranslator(model, src_vocab, tgt_vocab, meta)


def model_card(t: TransformerTranslator, command: str, evaluation: dict | None) -> str:
    cfg, meta = t.model.cfg, t.meta
    n_params = sum(p.numel() for p in t.model.parameters())
    lines = [
        "# transformer",
        "",
        "An encoder-decoder Transformer (Vaswani et al. 2017) translating Japanese to English",
        "(lesson L5), written from the paper in tutor/core/transformer.py and trained by the",
        "project on small_parallel_enja: Japanese tokenized by our MeCab pipeline, English as",
        "the corpus gives it (tokenized, lower-cased). Layer normalization comes before each",
        "sublayer (pre-LN) rather than after the residual sum as in the paper.",
        "",
        *card_command(command),
        *card_model(cfg.to_json(), n_params),
        f"- vocabularies: Japanese {len(t.src_vocab):,}, English {len(t.tgt_vocab):,} tokens (min count 2)",
        "",
        "## Training",
        "",
        *[f"- {k}: {v}" for k, v in meta.get("train_config", {}).items()],
        *training_lines(meta),
    ]
    return "\n".join(lines + quality_lines("transformer", evaluation, meta)) + "\n"
