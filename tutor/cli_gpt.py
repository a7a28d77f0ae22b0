"""CLI for lesson L6: `tutor generate`, `tutor train gpt`, `tutor eval gpt`."""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from .cli_common import EXIT_FAIL, device as _device, err as _err, find_corpus, guarded, read_eval_files, seed
from .settings import Paths

#: `tutor train gpt` defaults (GPTConfig and GPTTrainConfig's; a test keeps them equal).
GPT_DEFAULTS = {"epochs": 28, "batch_size": 64, "lr": 1e-3, "warmup": 500, "d_model": 192, "heads": 4, "d_ff": 768,
                "layers": 6, "dropout": 0.15, "average": 5, "word_dropout": 0.1, "weight_decay": 0.1}


def add_generate_parser(sub) -> None:
    p = sub.add_parser("generate", help="日本語の文の続きを GPT で生成する")
    p.add_argument("prompt", help="書き出し（空なら文の最初から）")
    p.add_argument("--temperature", type=float, default=1.0, help="温度（0.01 未満は 0 と同じ貪欲法）")
    p.add_argument("--top-k", type=int, default=None, help="確率の高い k 語だけから選ぶ")
    p.add_argument("--top-p", type=float, default=None, help="確率の合計が p に届くまでの語だけから選ぶ")
    p.add_argument("--beam", type=int, default=1, help="ビーム幅（2 以上でビーム探索）")
    p.add_argument("--max-tokens", type=int, default=20)
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--json", action="store_true")


def add_pretrain_args(p, defaults: dict, folder: str) -> None:
    """The options `tutor train gpt` and `tutor train bert` share: sizes, schedule, bf16, data and where to save."""
    for key in ("epochs", "batch_size", "warmup", "d_model", "heads", "d_ff", "layers"):
        p.add_argument("--" + key.replace("_", "-"), type=int, default=defaults[key])
    p.add_argument("--lr", type=float, default=defaults["lr"])
    p.add_argument("--dropout", type=float, default=defaults["dropout"])
    p.add_argument("--seed", type=seed, default=1)
    p.add_argument("--bf16", action="store_true",
                   help="bfloat16 の自動混合精度で学習する（AVX-512 BF16 のある CPU や GPU で約 2 倍速）")
    p.add_argument("--limit", type=int, help="学習に使う文の数（既定: すべて）")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--out", type=Path, help=f"保存先（既定: ユーザーデータの models/{folder}）")


def add_train_parser(tsub) -> None:
    p = tsub.add_parser("gpt", help="小さな GPT を学習する（次の語の予測）")
    add_pretrain_args(p, GPT_DEFAULTS, "gpt")
    p.add_argument("--average", type=int, default=GPT_DEFAULTS["average"],
                   help="最後の N エポックの重みの平均も試す（1 で平均しない）")
    p.add_argument("--word-dropout", type=float, default=GPT_DEFAULTS["word_dropout"],
                   help="学習中、入力の語をこの割合で <unk> に置き換える（過学習を抑える）")
    p.add_argument("--weight-decay", type=float, default=GPT_DEFAULTS["weight_decay"])


def add_eval_parser(esub) -> None:
    p = esub.add_parser("gpt", help="dev（または --ja）での 1 語あたりのパープレキシティを n-gram と比べる")
    p.add_argument("--ja", type=Path, help="日本語のファイル（1 行 1 文）")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--json", action="store_true")
    p.add_argument("--update-card", action="store_true", help="測った数字をモデルの CARD.md と config.json に書く")


def _load(args, paths: Paths):
    from .core import gpt_lm

    return gpt_lm.load(args.dir or paths.models_dir / gpt_lm.FOLDER).to(_device(args))


def cmd_generate(args, paths: Paths) -> int:
    from .core.sampling import SamplingConfig

    if args.top_k is not None and args.top_k < 1:
        _err("--top-k は 1 以上にしてください。")
        return 2
    if args.top_p is not None and not 0 < args.top_p <= 1:
        _err("--top-p は 0 より大きく 1 以下にしてください。")
        return 2
    if (not (math.isfinite(args.temperature) and args.temperature >= 0) or not 1 <= args.beam <= 10
            or not 1 <= args.max_tokens <= 60):
        _err("--temperature は 0 以上の有限の数、--beam は 1〜10、--max-tokens は 1〜60 にしてください。")
        return 2
    lm = _load(args, paths)
    cfg = SamplingConfig(args.temperature, args.top_k, args.top_p, args.max_tokens, args.seed, args.beam)
    result = lm.continue_text(args.prompt, cfg)
    for notice in result.notices:
        _err(notice)
    if args.json:
        print(json.dumps(result.to_json(lm.vocab, args.prompt), ensure_ascii=False))
    else:  # the prompt and its continuation, as --json's "text" (issue 18: the prompt alone was left out)
        if not result.tokens:
            _err("モデルはすぐに文を終えました（続きは空です）。")
        print(result.text)
    return 0


def evaluate(lm, sentences: list[list[str]], train: list[list[str]]) -> dict:
    """GPT perplexity per token on ``sentences`` and the n-gram baselines fitted on ``train`` (same vocabulary)."""
    from .core.ngram import KneserNey
    from .core.train.gpt import held_out_perplexity
    from .core.vocab import UNK

    seqs = [lm.vocab.encode(s) for s in sentences if s]
    ppl = held_out_perplexity(lm.model, seqs)
    tokens = sum(min(len(s), lm.model.cfg.max_positions - 1) + 1 for s in seqs)
    vocab = set(lm.vocab.tokens[4:])
    baselines = {}
    for name, order in (("bigram", 2), ("trigram", 3)):
        ngram = KneserNey.fit(train, order, vocab, unk=UNK)
        baselines[name] = round(ngram.perplexity([s for s in sentences if s]), 2)
    return {"perplexity": round(ppl, 2), "tokens": tokens, "baselines": baselines}


def cmd_eval(args, paths: Paths) -> int:
    from .core import corpus
    from .core.text import tokenize

    try:
        data_dir = corpus.find(paths.corpus_dir)
    except corpus.CorpusNotFound as exc:
        _err(f"{exc}（n-gram の基準モデルを学習文から作るために必要です）")
        return EXIT_FAIL
    lines = read_eval_files(args.ja)[0]
    if lines is None:
        lines = [p.ja for p in corpus.read_pairs(data_dir, "dev")]
    lm = _load(args, paths)
    sentences = [tokenize(line) for line in lines]
    if not any(sentences):
        _err("評価する文がありません。")
        return EXIT_FAIL
    # The baselines are fitted on what the GPT was trained on: train without the validation split.
    train = [tokenize(p.ja) for p in corpus.carve(data_dir).train]
    result = evaluate(lm, sentences, train)
    if args.update_card:
        from .core import checkpoint, gpt_lm

        folder = args.dir or paths.models_dir / gpt_lm.FOLDER
        lm.meta["evaluation"] = result
        lm.save(folder, gpt_lm.model_card(lm, lm.meta.get("command", "tutor train gpt")))
        if folder.resolve().parent == paths.models_dir.resolve():
            checkpoint.write_manifest(paths.models_dir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"GPT: パープレキシティ {result['perplexity']:.2f}（{result['tokens']:,} 語）")
        for name, ppl in result["baselines"].items():
            print(f"  {name}（Kneser-Ney）: {ppl:.2f}")
    return 0


def cmd_train(args, paths: Paths) -> int:
    from .core import checkpoint, corpus, gpt_lm, torch_io
    from .core.gpt import GPTConfig
    from .core.text import tokenize
    from .core.train.gpt import GPTTrainConfig, prepare, train

    data_dir = find_corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    t = time.perf_counter()
    data = prepare(data_dir, limit=args.limit)
    print(f"コーパス: 学習 {len(data.train):,} 文、検証 {len(data.valid):,} 文"
          f"（語彙 {len(data.vocab):,}、準備 {time.perf_counter() - t:.1f} 秒）", file=sys.stderr)
    model_cfg = GPTConfig(vocab=len(data.vocab), d_model=args.d_model, heads=args.heads, d_ff=args.d_ff,
                          layers=args.layers, dropout=args.dropout)
    cfg = GPTTrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, warmup=args.warmup, seed=args.seed,
                         bf16=args.bf16, average=args.average, word_dropout=args.word_dropout,
                         weight_decay=args.weight_decay)
    from .cli_progress import Reporter

    def progress(p) -> None:
        ppl = f" 検証パープレキシティ {p.valid_ppl[-1]:.2f}" if p.valid_ppl else ""
        bar.update_epoch(p, len(data.train),
                         f"エポック {p.epoch}/{p.epochs} バッチ {p.batch}/{p.batches} 損失 {p.loss:.3f}{ppl}",
                         milestone=p.batch == p.batches and len(p.valid_ppl) == p.epoch)

    with Reporter(None, "文") as bar:
        model, figures = train(data, model_cfg, cfg, on_progress=progress, device=_device(args))
    lm = gpt_lm.LanguageModel(model, data.vocab, {**figures, "train_config": cfg.__dict__})
    # Measure the weights as they will be shipped: stored as float16. Dev is read here, once, after every
    # choice was made on the validation split; the n-gram baselines are fitted on the same training sentences.
    torch_io.as_shipped(model)
    dev = [s for s in (tokenize(p.ja) for p in corpus.read_pairs(data_dir, "dev")) if s]
    lm.meta["evaluation"] = evaluate(lm, dev, data.train)
    command = "tutor " + " ".join(sys.argv[1:]) if sys.argv[1:3] == ["train", "gpt"] else "tutor train gpt"
    lm.meta["command"] = command
    out = args.out or paths.user_models_dir / gpt_lm.FOLDER
    lm.save(out, gpt_lm.model_card(lm, command))
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    ev = lm.meta["evaluation"]
    print(f"保存しました: {out}（検証パープレキシティ {lm.meta['best_valid_ppl']:.2f}、"
          f"dev パープレキシティ {ev['perplexity']:.2f}、"
          f"bigram {ev['baselines']['bigram']:.2f}、trigram {ev['baselines']['trigram']:.2f}）")
    return 0


def run(args, paths: Paths) -> int:
    return guarded({"generate": cmd_generate, "train": cmd_train}.get(args.command, cmd_eval), args, paths)
