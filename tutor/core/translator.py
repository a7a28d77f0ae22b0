"""A trained RNN translator on disk and in use: load, save, translate text.

A model folder holds ``model.safetensors`` (float16; computed in float32),
``config.json`` (the :class:`~tutor.core.seq2seq.Seq2SeqConfig` plus training
figures), ``vocab.json`` (``{"src": [...], "tgt": [...]}``) and ``CARD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import checkpoint, torch_io
from .checkpoint import card_command, card_model
from .seq2seq import Seq2Seq, Seq2SeqConfig
from .text import analyze
from .variants import BUNDLED  # noqa: F401  (re-exported)
from .vocab import EOS_ID, Vocab


@dataclass(frozen=True)
class Translation:
    variant: str
    source: list[str]
    target: list[str]
    attention: list[list[float]] | None  # one row per target token, one column per source token
    notices: tuple[str, ...] = ()
    candidates: list[tuple[list[str], float]] = field(default_factory=list)  # beam: (tokens, score)
    cross_attention: list | None = None  # Transformer: [layer][head][target][source]
    maps: object = None  # Transformer: every attention map (transformer_decode.Maps)

    def to_json(self) -> dict:
        attention = None if self.attention is None else [[round(w, 6) for w in row] for row in self.attention]
        out = {"variant": self.variant, "source": self.source, "target": self.target, "attention": attention}
        if self.cross_attention is not None:
            out["cross_attention"] = [[[[round(w, 6) for w in row] for row in head] for head in layer]
                                      for layer in self.cross_attention]
        return out


@dataclass
class Translator:
    model: Seq2Seq
    src_vocab: Vocab
    tgt_vocab: Vocab
    meta: dict = field(default_factory=dict)

    @property
    def variant(self) -> str:
        return self.model.cfg.variant

    def source(self, analysis) -> list[str]:
        """The words the encoder reads: all of them (the RNN has no length limit)."""
        return [t.surface for t in analysis.tokens]

    def translate(self, text: str, beam: int = 1, hard: bool = False, length_norm: bool = True,
                  attention: bool = True) -> Translation:
        """``attention`` is for a uniform interface: the RNN's weights come with its decoding at no cost."""
        from .seq2seq_decode import beam_search, greedy_steps

        analysis = analyze(text)
        source = self.source(analysis)
        if not source:
            return Translation(self.variant, [], [], None if self.variant == "plain" else [], analysis.notices)
        ids = self.src_vocab.encode(source)
        candidates: list[tuple[list[str], float]] = []
        if beam <= 1:
            steps = list(greedy_steps(self.model, ids, hard=hard))
            if steps and steps[-1].token == EOS_ID:
                steps = steps[:-1]
            tokens = [s.token for s in steps]
            weights = [s.weights for s in steps]
        else:
            hyps = beam_search(self.model, ids, width=beam, length_norm=length_norm, hard=hard)
            tokens, weights = hyps[0].tokens, hyps[0].weights[: len(hyps[0].tokens)]
            candidates = [(self.tgt_vocab.decode(h.tokens), h.score(length_norm)) for h in hyps]
        target = [self.tgt_vocab.tokens[t] for t in tokens]
        attention = None if self.variant == "plain" else [list(w) for w in weights]
        return Translation(self.variant, source, target, attention, depth_notices(self, analysis, source, tokens),
                           candidates)

    def to(self, device: str):
        """Run on ``device`` ("cpu" or "cuda"); returns self."""
        self.model.to(device)
        return self

    def translate_ids(self, src_ids: list[list[int]]) -> list[list[int]]:
        """Greedy translations of many sentences at once (evaluation)."""
        from .train.seq2seq import translate_ids

        return translate_ids(self.model, src_ids)

    def card(self, command: str, evaluation: dict | None) -> str:
        return model_card(self, command, evaluation)

    def save(self, folder: Path, card: str | None = None) -> None:
        """Write the folder atomically: float16 weights, config with the figures, both vocabularies, card."""
        torch_io.save(folder, self.model, self.meta, {"src": self.src_vocab.tokens, "tgt": self.tgt_vocab.tokens}, card)


def load(folder: Path):
    """Rebuild a translator (RNN or Transformer) from its folder (checked against the manifest when it has one)."""
    folder = Path(folder)
    checkpoint.verify(folder)
    config = checkpoint.read_json(folder / checkpoint.CONFIG)
    checkpoint.expect_kind(folder, config, "seq2seq", "transformer")
    if config.get("kind") == "transformer":
        from . import transformer_translator

        return transformer_translator.load(folder, config)
    model, (src_vocab, tgt_vocab), meta = torch_io.load(folder, config, build)
    return Translator(model, src_vocab, tgt_vocab, meta)


def translate_many(model, texts: list[str]) -> list[Translation]:
    """Greedy translations of many texts in batches, without attention: what `tutor translate` prints
    for a file. The words are those of ``model.translate(text)`` one by one (tests/unit/test_cli_stream.py
    checks it), at a fraction of the time for the Transformer, which re-reads its whole prefix
    at each step."""
    analyses = [analyze(text) for text in texts]
    sources = [model.source(a) for a in analyses]
    filled = [i for i, source in enumerate(sources) if source]
    hyps = (dict(zip(filled, model.translate_ids([model.src_vocab.encode(sources[i]) for i in filled])))
            if filled else {})
    out = []
    for i, (source, a) in enumerate(zip(sources, analyses)):
        target = model.tgt_vocab.decode(hyps[i]) if i in hyps else []
        out.append(Translation(model.variant, source, target, None,
                               depth_notices(model, a, source, target) if source else a.notices))
    return out


def depth_notices(model, analysis, source: list[str], target: list) -> tuple[str, ...]:
    """The analyser's notices, then what tutor.core.depth says about this input and its translation."""
    from .depth import translation_notices
    from .vocab import UNK_ID

    unknown = [w for w, i in zip(source, model.src_vocab.encode(source)) if i == UNK_ID]
    max_len = model.model.cfg.max_len
    return tuple(analysis.notices) + tuple(translation_notices(source, unknown, len(target), len(target) < max_len,
                                                               max_len))


#: An attention grid reads as an alignment when the largest weight of a row is, on average, at least this
#: (benchmarks/attention_sharpness.py; lesson L4 explains the choice of default with it).
READABLE_SHARPNESS = 0.6


def sharpness(t: "Translator", sentences: list[str]) -> dict:
    """How sharp the attention is over greedy translations: the mean largest weight per row, and the share of
    rows whose largest weight is over 0.5. Empty for the plain model."""
    tops = [max(row) for text in sentences for row in (t.translate(text).attention or []) if row]
    if not tops:
        return {}
    return {"mean_max": round(sum(tops) / len(tops), 3), "over_half": round(sum(x > 0.5 for x in tops) / len(tops), 3),
            "rows": len(tops)}


def vocabularies(vocab: dict, src_size: int, tgt_size: int) -> tuple[Vocab, Vocab]:
    """The source and target vocabularies of a translator's vocab.json, checked against its config."""
    src_vocab, tgt_vocab = Vocab(vocab["src"]), Vocab(vocab["tgt"])
    if (src_size, tgt_size) != (len(src_vocab), len(tgt_vocab)):
        raise ValueError("the vocabularies do not match the config")
    return src_vocab, tgt_vocab


def build(config: dict, vocab: dict):
    cfg = Seq2SeqConfig.from_json(config)
    return Seq2Seq(cfg), vocabularies(vocab, cfg.src_vocab, cfg.tgt_vocab)


def model_card(t: Translator, command: str, evaluation: dict | None) -> str:
    """CARD.md: data, command, configuration, training curve and measured BLEU."""
    cfg, meta = t.model.cfg, t.meta
    n_params = sum(p.numel() for p in t.model.parameters())
    lines = [
        f"# seq2seq-{cfg.variant}",
        "",
        "An RNN encoder-decoder translating Japanese to English (lessons L3/L4), trained by the",
        "project on small_parallel_enja: Japanese tokenized by our MeCab pipeline (the corpus's",
        "own word splits joined first), English as the corpus gives it (tokenized, lower-cased).",
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
    return "\n".join(lines + quality_lines("seq2seq", evaluation, meta)) + "\n"


def validation_lines(meta: dict) -> list[str]:
    """The kept model measured on the validation split: what the translators' defaults are chosen on."""
    v = meta.get("validation")
    if not v:
        return []
    lines = ["", "## Validation (the split carved from train; defaults are chosen on these figures)", ""]
    lines += [f"- {name}: BLEU {r['bleu']:.2f}" for name, r in v.items() if isinstance(r, dict) and "bleu" in r]
    sharp = v.get("sharpness")
    if sharp:
        lines.append(f"- attention sharpness (greedy): mean largest weight per row {sharp['mean_max']:.3f}, "
                     f"rows whose largest weight is over 0.5: {sharp['over_half']:.0%} ({sharp['rows']:,} rows)")
    return lines


def training_lines(meta: dict) -> list[str]:
    """A translator card's data split, training time and choice of checkpoint, all on the validation split."""
    lines = [
        f"- {meta.get('carved', 'training pairs: ' + format(meta.get('train_pairs', 0), ','))}",
        f"- time: {meta.get('train_seconds', '?')} s on the 2-core CPU",
        f"- steps: {meta['steps']}" if "steps" in meta else "",
        "- validation BLEU (greedy) after each epoch (– : not measured): "
        + ", ".join("–" if b is None else str(b) for b in meta.get("valid_bleu_per_epoch", [])),
    ]
    if meta.get("averaged_valid_bleu") is not None:
        lines.append(f"- average of the last epochs' weights: validation BLEU {meta['averaged_valid_bleu']}")
    lines.append(f"- kept: {meta.get('kept', '?')} (validation BLEU {meta.get('best_valid_bleu', '?')}, float32; "
                 "dev was not looked at until the kept model was measured below, once)")
    return [line for line in lines if line]


def quality_lines(command: str, evaluation: dict | None, meta: dict | None = None) -> list[str]:
    """A translator card's "## Validation" and "## Quality" sections: BLEU overall and by source length."""
    lines = validation_lines(meta or {})
    if not evaluation:
        return lines
    lines += ["", f"## Quality (`tutor eval {command}`, dev split as held-out data, float16 weights as shipped, "
             "sacrebleu tokenize=none)", ""]
    for name, result in evaluation.items():
        buckets = ", ".join(f"{k} words: {v['bleu']:.2f} ({v['sentences']})" for k, v in result["buckets"].items())
        lines.append(f"- {name}: BLEU {result['bleu']:.2f}; by source length: {buckets}")
    return lines
