"""The trained tiny GPT on disk and in use (lesson L6): load, save, continue a prompt.

A folder holds ``model.safetensors`` (float16), ``config.json`` (GPTConfig and
figures), ``vocab.json`` (the token list) and ``CARD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import torch_io
from .checkpoint import card_command, card_model
from .gpt import GPT, GPTConfig
from .sampling import Generation, SamplingConfig, generate
from .text import analyze
from .vocab import BOS_ID, UNK, Vocab

FOLDER = "gpt"


def join(tokens: list[str]) -> str:
    """Japanese tokens back to text (no spaces), keeping spaces the tokenizer saw between Latin words."""
    out = ""
    for t in tokens:
        if out and out[-1].isascii() and out[-1].isalnum() and t[:1].isascii() and t[:1].isalnum():
            out += " "
        out += t
    return out


@dataclass(frozen=True)
class Continuation:
    prompt: list[str]
    tokens: list[str]
    generation: Generation
    notices: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return join(self.prompt + self.tokens)

    def to_json(self, vocab: Vocab, prompt_text: str) -> dict:
        return {
            "prompt": prompt_text,
            "tokens": self.tokens,
            "text": self.text,
            "steps": [
                {"candidates": [{"token": vocab.tokens[c.token], "p": round(c.p, 6)} for c in s.candidates],
                 "chosen": vocab.tokens[s.chosen]}
                for s in self.generation.steps
            ],
        }


@dataclass
class LanguageModel:
    model: GPT
    vocab: Vocab
    meta: dict = field(default_factory=dict)

    def prompt_ids(self, text: str, reserve: int = 1) -> tuple[list[str], list[int], tuple[str, ...]]:
        """<s> and the prompt's ids; a long prompt keeps its last words, leaving ``reserve`` positions to write in."""
        analysis = analyze(text)
        tokens = [t.surface for t in analysis.tokens]
        notices = list(analysis.notices)
        room = self.model.cfg.max_positions - 1 - max(1, reserve)
        if len(tokens) > room:
            tokens = tokens[-room:]
            notices.append(f"プロンプトが長いので、最後の {room} 語だけを使います。")
        unknown = [t for t in tokens if t not in self.vocab]
        if unknown:
            notices.append(f"語彙にない語は {UNK} として読みます: {'、'.join(dict.fromkeys(unknown))}")
        return tokens, [BOS_ID, *self.vocab.encode(tokens)], tuple(notices)

    def continue_text(self, text: str, cfg: SamplingConfig = SamplingConfig(), **kwargs) -> Continuation:
        # a prompt that fills the window would leave nothing to write: keep room for the continuation
        tokens, ids, notices = self.prompt_ids(text, reserve=min(cfg.max_tokens, self.model.cfg.max_positions // 2))
        gen = generate(self.model, ids, cfg, **kwargs)
        return Continuation(tokens, [self.vocab.tokens[t] for t in gen.tokens], gen, notices)

    def next_logits(self, text: str):
        """The model's logits for the token after ``text`` (its prompt ids, <s> first)."""
        import torch

        _, ids, _ = self.prompt_ids(text)
        with torch.no_grad():
            return self.model(torch.tensor([ids], device=next(self.model.parameters()).device))[0][0, -1]

    def to(self, device: str) -> LanguageModel:
        self.model.to(device)
        return self

    def save(self, folder: Path, card: str | None = None) -> None:
        torch_io.save(folder, self.model, self.meta, self.vocab.tokens, card)


def load(folder: Path) -> LanguageModel:
    def build(config: dict, tokens):
        if config.get("kind") != "gpt":
            raise ValueError("not a GPT model")
        cfg = GPTConfig.from_json(config)
        vocab = Vocab(tokens)
        if cfg.vocab != len(vocab):
            raise ValueError("the vocabulary does not match the config")
        return GPT(cfg), vocab

    model, vocab, meta = torch_io.load(folder, None, build, kinds=("gpt",))
    return LanguageModel(model, vocab, meta)


def model_card(lm: LanguageModel, command: str) -> str:
    cfg, meta = lm.model.cfg, lm.meta
    n_params = sum(p.numel() for p in lm.model.parameters())
    ev = meta.get("evaluation", {})
    lines = [
        "# gpt",
        "",
        "A tiny GPT (decoder-only Transformer, pre-LN, learned positions, tied output layer)",
        "for lesson L6, trained by the project with next-token prediction on the Japanese side",
        "of small_parallel_enja (train split), tokenized by our MeCab pipeline.",
        "",
        *card_command(command),
        *card_model(cfg.to_json(), n_params),
        f"- vocabulary: {len(lm.vocab):,} tokens (min count 2; rarer words read as <unk>)",
        "",
        "## Training",
        "",
        *[f"- {k}: {v}" for k, v in meta.get("train_config", {}).items()],
        *(["- word_dropout is the share of input words (never the targets) read as <unk> during training:",
           "  data noising (Xie et al., 2017), against overfitting 50 k short sentences"]
          if meta.get("train_config", {}).get("word_dropout") else []),
        f"- {meta['carved']}" if meta.get("carved") else f"- sentences: {meta.get('train_sentences', '?'):,}",
        f"- steps: {meta.get('steps', '?')}",
        f"- time: {meta.get('train_seconds', '?')} s ({meta.get('device', 'cpu')})",
        f"- validation perplexity after each epoch: {', '.join(str(p) for p in meta.get('valid_ppl_per_epoch', []))}",
        f"- kept: {meta.get('kept', 'epoch ' + str(meta.get('best_epoch', '?')))}"
        + (f" (the average scored {meta['averaged_valid_ppl']})" if meta.get("averaged_valid_ppl") else "")
        + f", validation perplexity {meta.get('best_valid_ppl', '?')}; dev was not looked at until the kept model"
        " was measured below, once",
    ]
    if ev:
        lines += [
            "",
            "## Quality (`tutor eval gpt`: dev split as held-out data, perplexity per token, </s> included, same "
            "vocabulary for all; the n-gram baselines are fitted on the same training sentences as the GPT)",
            "",
            f"- GPT: {ev['perplexity']:.2f} over {ev['tokens']:,} tokens",
            *[f"- {name} (interpolated Kneser-Ney, d = 0.75): {ppl:.2f}"
              for name, ppl in ev.get("baselines", {}).items()],
        ]
        if ev.get("baselines"):
            best = min(ev["baselines"].values())
            lines.append(f"- GPT vs the best n-gram: {100 * (1 - ev['perplexity'] / best):.1f} % lower")
    return "\n".join(lines) + "\n"
