"""The CUDA path, checked on a machine with a GPU (CI has none; run by hand there).

    python benchmarks/cuda_check.py

Needs torch with CUDA, numpy, safetensors and sacrebleu; not MeCab (the
sentences below are given as tokens). It moves every bundled translator to the
GPU and checks that greedy and beam search give the same tokens as on the CPU
and attention weights within 1e-3; the same for the GPT (greedy, a seeded top-p
sample, beam) and BERT's fill-mask top 5. Then it trains a tiny RNN,
Transformer, GPT, BERT and [CLS] classifier on the GPU from the team's
sentences (characters as tokens) and checks the loss falls and the model comes
back on the CPU. Prints timings.
Exits non-zero on any mismatch.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.core import translator  # noqa: E402
from tutor.core.variants import BUNDLED, TRANSLATORS  # noqa: E402

SENTENCES = [
    ["私", "は", "犬", "が", "好き", "です", "。"],
    ["彼", "は", "昨日", "駅", "で", "古い", "友達", "に", "会っ", "た", "。"],
    ["この", "坂", "の", "上", "の", "店", "は", "とても", "静か", "だ", "。"],
]


def decode(model, ids: list[int], beam: int):
    """-> (tokens, attention rows or None) with the model wherever it is."""
    if model.variant == "transformer":
        from tutor.core.transformer_decode import attention_maps, beam_search, greedy

        tokens = greedy(model.model, ids)[0] if beam == 1 else beam_search(model.model, ids, width=beam)[0].tokens
        return tokens, attention_maps(model.model, ids, tokens).cross_mean_last()
    from tutor.core.seq2seq_decode import beam_search, greedy_steps

    if beam == 1:
        steps = list(greedy_steps(model.model, ids))
        return [s.token for s in steps], None if steps[0].weights is None else [s.weights for s in steps]
    best = beam_search(model.model, ids, width=beam)[0]
    return best.tokens, best.weights or None


def main() -> int:
    print(f"torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}")
    if not torch.cuda.is_available():
        print("no GPU: nothing to check")
        return 1
    print(f"GPU: {torch.cuda.get_device_name(0)}")
    failures = 0
    for variant in TRANSLATORS:
        folder = ROOT / "models" / BUNDLED[variant]
        if not folder.is_dir():
            print(f"{variant}: not bundled, skipped")
            continue
        cpu = translator.load(folder)
        gpu = translator.load(folder).to("cuda")
        assert next(gpu.model.parameters()).is_cuda
        for tokens in SENTENCES:
            ids = cpu.src_vocab.encode(tokens)
            for beam in (1, 5):
                a, wa = decode(cpu, ids, beam)
                b, wb = decode(gpu, ids, beam)
                diff = 0.0 if wa is None else max(abs(x - y) for ra, rb in zip(wa, wb) for x, y in zip(ra, rb))
                ok = a == b and diff < 1e-3
                failures += not ok
                if not ok:
                    print(f"  MISMATCH {variant} beam {beam}: cpu {cpu.tgt_vocab.decode(a)} "
                          f"gpu {gpu.tgt_vocab.decode(b)} diff {diff:.2e}")
        ids = gpu.src_vocab.encode(SENTENCES[1])
        decode(gpu, ids, 1)
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(20):
            decode(gpu, ids, 1)
        torch.cuda.synchronize()
        print(f"{variant}: CPU and GPU agree on {len(SENTENCES)} sentences (greedy, beam 5); "
              f"GPU greedy {(time.perf_counter() - t) / 20 * 1000:.1f} ms per sentence")

    # The extra views run on a GPU model too.
    from tutor.core.attention_explain import explain_step
    from tutor.core.unroll import unroll

    general = translator.load(ROOT / "models" / BUNDLED["general"]).to("cuda")
    ids = general.src_vocab.encode(SENTENCES[0])
    print(f"unroll on GPU: {len(unroll(general.model, ids).forward)} states; "
          f"explain_step weights sum {sum(explain_step(general.model, ids, []).weights):.4f}")

    # Training on the GPU: tiny runs from the team's sentences, characters as tokens.
    from tutor.core.seq2seq import Seq2SeqConfig
    from tutor.core.train.seq2seq import ParallelData, TrainConfig, train
    from tutor.core.train.transformer import TransformerTrainConfig, train as train_tf
    from tutor.core.transformer import TransformerConfig
    from tutor.core.vocab import Vocab

    lines = (ROOT / "tests" / "data" / "tiny_ja.txt").read_text(encoding="utf-8").splitlines()
    pairs = [(list(line), list(reversed(line))) for line in lines]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:8])
    for name, run in (
        ("RNN general",
         lambda log: train(data, Seq2SeqConfig(variant="general", src_vocab=len(data.src_vocab),
                                               tgt_vocab=len(data.tgt_vocab), emb=32, hidden=64),
                           TrainConfig(epochs=8, batch_size=8, lr=3e-3), on_progress=log, device="cuda")),
        ("Transformer",
         lambda log: train_tf(data, TransformerConfig(src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab),
                                                      d_model=64, heads=4, d_ff=128, layers=2),
                              TransformerTrainConfig(epochs=8, batch_size=8, lr=3e-3, warmup=10, average=2),
                              on_progress=log, device="cuda")),
    ):
        losses: list[float] = []
        t = time.perf_counter()
        model, figures = run(lambda p: losses.append(p.loss))
        ok = losses[-1] < losses[0] and not next(model.parameters()).is_cuda and figures["device"] == "cuda"
        failures += not ok
        print(f"train {name} on GPU: loss {losses[0]:.3f} -> {losses[-1]:.3f}, {time.perf_counter() - t:.1f} s, "
              f"back on CPU: {not next(model.parameters()).is_cuda} {'ok' if ok else 'FAILED'}")
    failures += check_gpt_bert(data, lines)
    print("all checks passed" if not failures else f"{failures} checks FAILED")
    return 1 if failures else 0


GPT_PROMPTS = [["私", "は"], ["彼", "は", "昨日"], ["この", "店", "は"]]
BERT_SENTENCES = [
    ["私", "は", "[MASK]", "が", "好き", "です", "。"],
    ["彼", "は", "昨日", "駅", "で", "[MASK]", "に", "会っ", "た", "。"],
]


def check_gpt_bert(data, lines: list[str]) -> int:
    """L6 and L7: the bundled GPT and BERT give the same answers on the GPU as on the CPU, and train there."""
    from tutor.core import bert_lm, gpt_lm
    from tutor.core.bert import BertConfig, build_vocab, encode
    from tutor.core.gpt import GPTConfig
    from tutor.core.sampling import SamplingConfig, generate
    from tutor.core.train.bert import BertTrainConfig, FinetuneConfig, finetune, pretrain
    from tutor.core.train.gpt import GPTTrainConfig, MonolingualData, train as train_gpt
    from tutor.core.vocab import BOS_ID

    failures = 0
    cpu, gpu = gpt_lm.load(ROOT / "models" / "gpt"), gpt_lm.load(ROOT / "models" / "gpt").to("cuda")
    for words in GPT_PROMPTS:
        ids = [BOS_ID, *cpu.vocab.encode(words)]
        for cfg in (SamplingConfig(temperature=0, max_tokens=15), SamplingConfig(top_p=0.9, seed=3, max_tokens=15),
                    SamplingConfig(beam=4, max_tokens=15)):
            a = generate(cpu.model, ids, cfg).tokens
            b = generate(gpu.model, ids, cfg).tokens
            ok = a == b
            failures += not ok
            if not ok:
                print(f"  MISMATCH gpt {words} {cfg}: cpu {cpu.vocab.decode(a)} gpu {gpu.vocab.decode(b)}")
    ids = [BOS_ID, *gpu.vocab.encode(GPT_PROMPTS[0])]
    generate(gpu.model, ids, SamplingConfig(temperature=0, max_tokens=20))
    torch.cuda.synchronize()
    t, n = time.perf_counter(), 0
    for seed in range(20):
        n += len(generate(gpu.model, ids, SamplingConfig(top_p=0.9, seed=seed, max_tokens=20)).tokens)
    print(f"gpt: CPU and GPU agree on {len(GPT_PROMPTS)} prompts (greedy, seeded top-p, beam 4); "
          f"GPU sampling {n / (time.perf_counter() - t):.0f} tokens/s")

    cpu_b, gpu_b = bert_lm.load(ROOT / "models" / "bert"), bert_lm.load(ROOT / "models" / "bert").to("cuda")
    for words in BERT_SENTENCES:
        ids = torch.tensor([encode(cpu_b.vocab, words, 64)])
        blanks = [i for i, w in enumerate(words, 1) if w == "[MASK]"]
        with torch.no_grad():
            pa = torch.softmax(cpu_b.model.mlm_logits(cpu_b.model(ids)[0][0, blanks]), -1)
            pb = torch.softmax(gpu_b.model.mlm_logits(gpu_b.model(ids.cuda())[0][0, blanks]), -1).cpu()
        ok = torch.equal(pa.topk(5).indices, pb.topk(5).indices) and float((pa - pb).abs().max()) < 1e-3
        failures += not ok
        print(f"bert fill-mask {''.join(words)}: top 5 {[cpu_b.vocab.tokens[i] for i in pa[0].topk(5).indices]} "
              f"{'same on GPU' if ok else 'MISMATCH on GPU'} (max diff {float((pa - pb).abs().max()):.1e})")

    chars = [list(line) for line in lines]
    mono = MonolingualData(data.src_vocab, chars, chars[:8])
    bvocab = build_vocab(chars, 1)
    bmono = MonolingualData(bvocab, chars, chars[:8])
    labels = [len(s) % 2 for s in chars]
    seqs = [encode(bvocab, s, 64) for s in chars]
    holder: dict = {}
    for name, run in (
        ("GPT (bf16, word dropout)",
         lambda log: train_gpt(mono, GPTConfig(vocab=len(mono.vocab), d_model=64, heads=4, d_ff=128, layers=2),
                               GPTTrainConfig(epochs=8, batch_size=8, lr=3e-3, warmup=10, bf16=True, average=2,
                                              word_dropout=0.1),
                               on_progress=log, device="cuda")),
        ("BERT (bf16)",
         lambda log: holder.setdefault("bert", pretrain(bmono, BertConfig(vocab=len(bvocab), d_model=64, heads=4,
                                                                          d_ff=128, layers=2),
                                                        BertTrainConfig(epochs=8, batch_size=8, lr=3e-3, warmup=10,
                                                                        bf16=True),
                                                        on_progress=log, device="cuda"))),
        ("BERT classifier",
         lambda log: finetune(holder["bert"][0], (seqs, labels), (seqs[:16], labels[:16]),
                              FinetuneConfig(epochs=6, batch_size=8, lr=1e-3, warmup=5),
                              on_progress=log, device="cuda")),
    ):
        losses: list[float] = []
        t = time.perf_counter()
        model, figures = run(lambda p: losses.append(p.loss))
        ok = losses[-1] < losses[0] and not next(model.parameters()).is_cuda and figures["device"] == "cuda"
        failures += not ok
        print(f"train {name} on GPU: loss {losses[0]:.3f} -> {losses[-1]:.3f}, {time.perf_counter() - t:.1f} s, "
              f"back on CPU: {not next(model.parameters()).is_cuda} {'ok' if ok else 'FAILED'}")
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
