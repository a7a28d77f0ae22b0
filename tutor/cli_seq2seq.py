"""CLI for lessons L3/L4: `tutor translate`, `tutor train seq2seq`, `tutor eval seq2seq`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .cli_common import (
    EXIT_FAIL,
    as_they_arrive,
    device as _device,
    err as _err,
    find_corpus,
    guarded,
    read_eval_files,
    seed,
)
from .core.variants import (
    BEST as DEFAULT_VARIANT,  # the best readable translator (see variants.py)
    BEST_BEAM,
)
from .settings import Paths

#: Source-length buckets (MeCab tokens) of `tutor eval seq2seq`.
BUCKETS = (("≤ 8", 0, 8), ("9–12", 9, 12), ("≥ 13", 13, 10**9))
#: `tutor train transformer` defaults: TransformerConfig and TransformerTrainConfig's.
TRANSFORMER_DEFAULTS = {"epochs": 12, "batch_size": 64, "lr": 1e-3, "warmup": 1500, "average": 5,
                        "d_model": 256, "heads": 4, "d_ff": 512, "layers": 3, "dropout": 0.1}


def _variant_args(p, rnn_only: bool = False) -> None:
    from .core.variants import TRANSLATORS, VARIANTS

    p.add_argument("--variant", choices=VARIANTS if rnn_only else TRANSLATORS, default=DEFAULT_VARIANT,
                   help=f"モデル（既定 {DEFAULT_VARIANT}）")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")


def _eval_args(p) -> None:
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--ja", type=Path, help="日本語のファイル（1 行 1 文）")
    p.add_argument("--en", type=Path, help="参照訳（トークン化・小文字化済み、1 行 1 文）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--update-card", action="store_true",
                   help="dev での貪欲法とビーム探索の BLEU を測り直し、モデルの CARD.md と config.json に書く")


def _data_args(p, default_out: str) -> None:
    p.add_argument("--seed", type=seed, default=1)
    p.add_argument("--limit", type=int, help="学習に使う文対の数（既定: すべて）")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--out", type=Path, help=f"保存先（既定: ユーザーデータの models/{default_out}）")
    p.add_argument("--eval-beam", type=int, default=5, help="学習後の評価で使うビーム幅（1 で貪欲法のみ）")


def add_translate_parser(sub) -> None:
    p = sub.add_parser("translate", help="日本語を英語に翻訳する（RNN seq2seq）")
    p.add_argument("text", nargs="?", help="文（省略すると標準入力の各行）")
    _variant_args(p)
    p.add_argument("--hard", action="store_true", help="ハードアテンション（重み最大の 1 語だけを見る）")
    p.add_argument("--beam", type=int, default=BEST_BEAM, help=f"ビーム幅 1–10（1 は貪欲法。既定 {BEST_BEAM}）")
    p.add_argument("--no-length-norm", action="store_true", help="ビーム探索で長さの正規化をしない")
    p.add_argument("--json", action="store_true", help="1 入力につき 1 行の JSON")
    p.add_argument("--svg", type=Path, metavar="FILE",
                   help="アテンションの重みの表を SVG 画像に書き出す"
                        "（L4 の実験と同じ表。Transformer は最後の層のヘッド平均）")


def add_train_parser(tsub) -> None:
    p = tsub.add_parser("seq2seq", help="RNN 翻訳モデルを学習する")
    _variant_args(p, rnn_only=True)
    # Defaults measured on concat (validation split; `tutor train seq2seq --variant concat` with each setting):
    # 10 epochs of 128 pairs at lr 2e-3 score as 12 of 64 at 1e-3 (29.98 vs 30.08) in 795 s instead of 1,782 s.
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--teacher-forcing", type=float, default=1.0, help="正解の語を次の入力にする確率（既定 1.0）")
    p.add_argument("--emb", type=int, default=128)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--lr", type=float, default=2e-3, help="学習率の最大値（コサインで 5%% まで下げる）")
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--average", type=int, default=3, help="最後の N エポックの重みの平均も検証で比べる（1: しない）")
    p.add_argument("--no-bf16", dest="bf16", action="store_false", help="順伝播を bfloat16 にしない（遅くなる）")
    _data_args(p, "seq2seq-<variant>")

    # Defaults written out (the config classes import torch; a test keeps these equal to them).
    p = tsub.add_parser("transformer", help="Transformer の翻訳モデルを学習する")
    p.add_argument("--epochs", type=int, default=TRANSFORMER_DEFAULTS["epochs"])
    p.add_argument("--batch-size", type=int, default=TRANSFORMER_DEFAULTS["batch_size"])
    p.add_argument("--lr", type=float, default=TRANSFORMER_DEFAULTS["lr"],
                   help="学習率の最大値（ウォームアップの終わり）")
    p.add_argument("--warmup", type=int, default=TRANSFORMER_DEFAULTS["warmup"], help="学習率を上げていくステップ数")
    p.add_argument("--average", type=int, default=TRANSFORMER_DEFAULTS["average"],
                   help="最後の N エポックの重みを平均する（1: しない）")
    p.add_argument("--d-model", type=int, default=TRANSFORMER_DEFAULTS["d_model"])
    p.add_argument("--heads", type=int, default=TRANSFORMER_DEFAULTS["heads"])
    p.add_argument("--d-ff", type=int, default=TRANSFORMER_DEFAULTS["d_ff"])
    p.add_argument("--layers", type=int, default=TRANSFORMER_DEFAULTS["layers"],
                   help="エンコーダとデコーダそれぞれの層の数")
    p.add_argument("--dropout", type=float, default=TRANSFORMER_DEFAULTS["dropout"])
    p.add_argument("--no-bf16", dest="bf16", action="store_false", help="順伝播を bfloat16 にしない（遅くなる）")
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    _data_args(p, "transformer")


def add_eval_parser(esub) -> None:
    p = esub.add_parser("seq2seq", help="dev（または --ja/--en）で BLEU を測る")
    _variant_args(p)
    _eval_args(p)
    p = esub.add_parser("transformer", help="Transformer の翻訳モデルの BLEU を dev（または --ja/--en）で測る")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.set_defaults(variant="transformer")
    _eval_args(p)


def _load(args, paths: Paths):
    from .core import translator

    folder = args.dir or paths.models_dir / translator.BUNDLED[args.variant]
    return translator.load(folder).to(_device(args))


def cmd_translate(args, paths: Paths) -> int:
    from .__main__ import _inputs

    if not 1 <= args.beam <= 10:
        _err("--beam は 1〜10 にしてください。")
        return 2
    if args.text is not None and not args.text.strip():
        _err("テキストが空です。")
        return 2
    if args.svg is not None:  # a bad path is refused before the model loads
        from .cli_pictures import check_output

        check_output(args.svg, "--svg")
    model = _load(args, paths)
    if args.svg is not None and model.variant == "plain":
        _err("--svg はアテンションのあるモデルで使ってください（plain は原文のどこも見ないので、表がありません）。")
        return 2
    if args.hard and model.variant == "transformer":
        _err("--hard は RNN の翻訳モデルだけで使えます（Transformer のアテンションはソフトだけです）。")
        return 2
    if args.beam == 1 and not args.hard and not args.json and args.svg is None:
        # plain greedy text: many sentences at once (a file of 500 in ~13 s, not ~35 s, for the Transformer)
        from .core.translator import translate_many

        results = (r for batch in as_they_arrive(_inputs(args.text)) for r in translate_many(model, batch))
    else:  # the attention maps only when --json or --svg will show them
        results = (model.translate(text, beam=args.beam, hard=args.hard, length_norm=not args.no_length_norm,
                                   attention=args.json or args.svg is not None) for text in _inputs(args.text))
    drawn = []  # the translations --svg draws, every input's grid in one picture
    for result in results:
        if args.svg is not None:
            drawn.append(result)
        for notice in result.notices:
            _err(notice)
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        else:
            print(" ".join(result.target), flush=True)
    if args.svg is not None:
        from .cli_pictures import grid_picture, write_picture

        beam = "貪欲法" if args.beam == 1 else f"ビーム幅 {args.beam}"
        write_picture(args.svg, grid_picture(drawn, f"{model.variant}、{beam}{'、ハード' if args.hard else ''}"),
                      "--svg")
        _err(f"アテンションの表を書き出しました: {args.svg}")
    return 0


def bucket_of(n: int) -> str:
    return next(name for name, lo, hi in BUCKETS if lo <= n <= hi)


def evaluate(model, ja_lines: list[str], en_lines: list[str], beam: int = 1) -> dict:
    """Corpus BLEU and BLEU per source-length bucket."""
    from .core.text import tokenize
    from .core.train.seq2seq import bleu

    sources = [tokenize(j) for j in ja_lines]
    refs = [e.split() for e in en_lines]
    if beam <= 1:
        hyps = [model.tgt_vocab.decode(h) for h in model.translate_ids([model.src_vocab.encode(s) for s in sources])]
    else:  # one sentence at a time, the slow part of an evaluation: shown as it goes
        from .cli_progress import Reporter

        hyps = []
        with Reporter(len(ja_lines), "文") as bar:
            for i, j in enumerate(ja_lines, 1):
                hyps.append(model.translate(j, beam=beam, attention=False).target)
                bar.update(i, f"ビーム探索（幅 {beam}） {i:,}/{len(ja_lines):,} 文")
    out = {"bleu": round(bleu(hyps, refs), 2), "sentences": len(refs), "buckets": {}}
    for name, lo, hi in BUCKETS:
        idx = [i for i, s in enumerate(sources) if lo <= len(s) <= hi]
        if idx:
            out["buckets"][name] = {"bleu": round(bleu([hyps[i] for i in idx], [refs[i] for i in idx]), 2),
                                    "sentences": len(idx)}
    return out


def validate(model, pairs, beam: int) -> dict:
    """The kept model on the validation split: BLEU greedy and with a beam, and (RNN with attention) how sharp
    its attention is. The translators' defaults are chosen on these (tests/models keep them in step)."""
    from .core.translator import Translator, sharpness

    ja, en = [p.ja for p in pairs], [p.en for p in pairs]
    out = {"greedy": {"bleu": evaluate(model, ja, en, 1)["bleu"]}}
    if beam > 1:
        out[f"beam {beam}"] = {"bleu": evaluate(model, ja, en, beam)["bleu"]}
    if isinstance(model, Translator) and model.variant != "plain":
        out["sharpness"] = sharpness(model, ja)
    return out


def cmd_eval(args, paths: Paths) -> int:
    from .core import corpus

    ja, en = read_eval_files(args.ja, args.en, paired=True)
    if ja is None:
        try:
            pairs = list(corpus.read_pairs(corpus.find(paths.corpus_dir), "dev"))
        except corpus.CorpusNotFound as exc:
            _err(str(exc))
            return EXIT_FAIL
        ja, en = [p.ja for p in pairs], [p.en for p in pairs]
    model = _load(args, paths)
    if args.update_card:
        return _update_card(args, paths, model, ja, en)
    result = {"variant": model.variant, "beam": args.beam, **evaluate(model, ja, en, args.beam)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{model.variant}（ビーム幅 {args.beam}）: BLEU {result['bleu']:.2f}（{result['sentences']} 文）")
    for name, b in result["buckets"].items():
        print(f"  原文 {name} 語: BLEU {b['bleu']:.2f}（{b['sentences']} 文）")
    return 0


def _update_card(args, paths: Paths, model, ja: list[str], en: list[str]) -> int:
    """Measure again (after a decoding fix, say) and rewrite the figures; the weights stay as they are."""
    from .core import checkpoint
    from .core.translator import BUNDLED

    folder = args.dir or paths.models_dir / BUNDLED[args.variant]
    evaluation = {"greedy": evaluate(model, ja, en, 1)}
    if args.beam > 1:
        evaluation[f"beam {args.beam}"] = evaluate(model, ja, en, args.beam)
    model.meta["evaluation"] = evaluation
    if args.ja is None and "carved" in model.meta:  # trained with the carved split: measure it again too
        from .core import corpus

        model.meta["validation"] = validate(model, corpus.carve(corpus.find(paths.corpus_dir)).valid, args.beam)
    command = model.meta.get("command") or _command_from_card(folder)
    model.meta["command"] = command
    model.save(folder, card=model.card(command, evaluation))
    if folder.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    for name, result in evaluation.items():
        print(f"{name}: BLEU {result['bleu']:.2f}")
    return 0


def _command_from_card(folder: Path) -> str:
    lines = (folder / "CARD.md").read_text(encoding="utf-8").splitlines() if (folder / "CARD.md").is_file() else []
    return next((lines[i + 1] for i, line in enumerate(lines[:-1]) if line.startswith("```sh")), "tutor train seq2seq")


def cmd_train(args, paths: Paths) -> int:
    from .core import checkpoint, corpus, torch_io
    from .core.train.seq2seq import prepare
    from .core.translator import BUNDLED

    data_dir = find_corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    t = time.perf_counter()
    data = prepare(data_dir, limit=args.limit)
    print(f"コーパス: 学習 {len(data.train):,} 文対、検証 {len(data.valid):,} 文対"
          f"（語彙 ja {len(data.src_vocab):,} / en {len(data.tgt_vocab):,}、"
          f"準備 {time.perf_counter() - t:.1f} 秒）", file=sys.stderr)
    from .cli_progress import Reporter

    def progress(p) -> None:
        bleu = f" 検証 BLEU {p.valid_bleu[-1]:.2f}" if p.valid_bleu and p.valid_bleu[-1] is not None else ""
        bar.update_epoch(p, len(data.train),
                         f"エポック {p.epoch}/{p.epochs} バッチ {p.batch}/{p.batches} 損失 {p.loss:.3f}{bleu}",
                         milestone=p.batch == p.batches and len(p.valid_bleu) == p.epoch)

    with Reporter(None, "文") as bar:
        if args.model_kind == "transformer":
            translator, cfg = _train_transformer(args, data, progress)
            variant = "transformer"
        else:
            translator, cfg = _train_rnn(args, data, progress)
            variant = args.variant
    out = args.out or paths.user_models_dir / BUNDLED[variant]
    translator.meta["train_config"] = cfg.__dict__
    # Measure the weights as they will be shipped: stored as float16. First on the validation split (the
    # defaults of `tutor translate` and the L4 grid are chosen on it), then dev, once, as held-out data.
    torch_io.as_shipped(translator.model)
    translator.meta["validation"] = validate(translator, corpus.carve(data_dir, args.limit).valid, args.eval_beam)
    dev = list(corpus.read_pairs(data_dir, "dev"))
    ja, en = [p.ja for p in dev], [p.en for p in dev]
    evaluation = {"greedy": evaluate(translator, ja, en, 1)}
    if args.eval_beam > 1:
        evaluation[f"beam {args.eval_beam}"] = evaluate(translator, ja, en, args.eval_beam)
    translator.meta["evaluation"] = evaluation
    command = "tutor " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train"] else f"tutor train {args.model_kind}"
    translator.meta["command"] = command
    translator.save(out, card=translator.card(command, evaluation))
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    print(f"保存しました: {out}（検証 BLEU {translator.meta['best_valid_bleu']}、dev BLEU 貪欲法 "
          f"{evaluation['greedy']['bleu']}、{translator.meta['kept']}）")
    return 0


def _train_rnn(args, data, progress):
    from .core.seq2seq import Seq2SeqConfig
    from .core.train.seq2seq import TrainConfig, train
    from .core.translator import Translator

    model_cfg = Seq2SeqConfig(variant=args.variant, src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab),
                              emb=args.emb, hidden=args.hidden, dropout=args.dropout)
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, teacher_forcing=args.teacher_forcing,
                      label_smoothing=args.label_smoothing, average=args.average, bf16=args.bf16, seed=args.seed)
    model, figures = train(data, model_cfg, cfg, on_progress=progress, device=_device(args))
    return Translator(model, data.src_vocab, data.tgt_vocab, figures), cfg


def _train_transformer(args, data, progress):
    from .core.train.transformer import TransformerTrainConfig, train
    from .core.transformer import TransformerConfig
    from .core.transformer_translator import TransformerTranslator

    model_cfg = TransformerConfig(src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), d_model=args.d_model,
                                  heads=args.heads, d_ff=args.d_ff, layers=args.layers, dropout=args.dropout)
    cfg = TransformerTrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, warmup=args.warmup,
                                 average=args.average, bf16=args.bf16, seed=args.seed)
    model, figures = train(data, model_cfg, cfg, on_progress=progress, device=_device(args))
    return TransformerTranslator(model, data.src_vocab, data.tgt_vocab, figures), cfg


def run(args, paths: Paths) -> int:
    return guarded({"translate": cmd_translate, "train": cmd_train}.get(args.command, cmd_eval), args, paths)
