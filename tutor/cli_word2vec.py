"""CLI for lesson L2: `tutor similar`, `tutor analogy`, `tutor train word2vec`, `tutor eval word2vec`.

Query words go through the same NFKC normalization as everything else, so
half-width ｲﾇ finds イヌ. A word the model does not know is reported on stderr
with close spellings (and how MeCab splits it), and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .cli_common import EXIT_FAIL, err as _err, guarded, seed
from .settings import Paths


def add_query_parsers(sub) -> None:
    p = sub.add_parser("similar", help="word2vec で近い単語を表示する")
    p.add_argument("word", help="単語（MeCab の 1 語）")
    _model_args(p)
    p.add_argument("--topn", type=_positive, default=10, help="表示する数（既定 10）")
    p.add_argument("--json", action="store_true", help="JSON で出力する")
    p.add_argument("--map", type=Path, metavar="FILE",
                   help="単語と近い語を PCA で 2 次元に並べた地図を SVG 画像に書き出す")

    p = sub.add_parser("analogy", help="A - B + C に近い単語を表示する（例: 王 男 女）")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("c")
    _model_args(p)
    p.add_argument("--topn", type=_positive, default=10, help="表示する数（既定 10）")
    p.add_argument("--json", action="store_true", help="JSON で出力する")


#: word2vec.DEFAULTS' vector sizes, written out: the parser is built for every command and numpy's
#: import (via core.word2vec) would cost each of them ~75 ms (a test keeps these equal).
DEFAULT_DIMS = {"cbow": 100, "skipgram": 50}


def add_train_parser(tsub) -> None:
    p = tsub.add_parser("word2vec", help="word2vec (CBOW / skip-gram) をコーパスで学習する")
    p.add_argument("--sg", action="store_true", help="skip-gram で学習する（既定は CBOW）")
    p.add_argument("--dim", type=_positive,
                   help=f"ベクトルの次元（既定 CBOW {DEFAULT_DIMS['cbow']} / skip-gram {DEFAULT_DIMS['skipgram']}）")
    p.add_argument("--window", type=_positive, help="窓幅: 前後それぞれ何語を文脈とするか")
    p.add_argument("--epochs", type=_positive, help="コーパスを何周するか")
    p.add_argument("--min-count", type=_positive, help="これより少ない出現回数の語は語彙から除く")
    p.add_argument("--seed", type=seed, help="乱数の種")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ（train.ja を読む）")
    p.add_argument("--out", type=Path, help="保存先フォルダ（既定: ユーザーデータの models/word2vec-<mode>）")


def add_eval_parser(esub) -> None:
    p = esub.add_parser("word2vec", help="評価セットで近傍の正しさとアナロジー正答率を測る")
    _model_args(p)
    p.add_argument("--json", action="store_true", help="JSON で出力する")


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("1 以上の整数を指定してください")
    return n


def _model_args(p) -> None:
    p.add_argument("--model", choices=("cbow", "skipgram"), default="skipgram", help="同梱モデル（既定 skipgram）")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに、保存したモデルのフォルダを使う")


def _load(args, paths: Paths):
    from .core import word2vec

    if args.dir is not None:
        return word2vec.load(args.dir), str(args.dir)
    return word2vec.load_bundled(paths.models_dir, args.model), args.model


def _query_word(raw: str) -> str:
    from .core.text import normalize

    word = normalize(raw).strip()
    if not word:
        raise ValueError("単語が空です。")
    return word


def cmd_similar(args, paths: Paths) -> int:
    from .cli_format import table

    if args.map is not None:  # a bad path is refused before the model loads
        from .cli_pictures import check_output

        check_output(args.map, "--map")
    word = _query_word(args.word)
    wv, model = _load(args, paths)
    neighbors = wv.similar(word, args.topn)
    if args.map is not None:
        from .cli_pictures import map_picture, write_picture

        write_picture(args.map, map_picture(wv, word, neighbors, model), "--map")
        _err(f"地図を書き出しました: {args.map}")
    if args.json:
        out = {"word": word, "model": model,
               "neighbors": [{"word": n.word, "similarity": round(n.similarity, 6)} for n in neighbors]}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"「{word}」に近い単語（{model}）")
    print(table(["単語", "コサイン類似度", ""],
                [[n.word, f"{n.similarity:.3f}", _bar(n.similarity)] for n in neighbors]))
    return 0


def cmd_analogy(args, paths: Paths) -> int:
    from .cli_format import table

    a, b, c = (_query_word(w) for w in (args.a, args.b, args.c))
    wv, model = _load(args, paths)
    results = wv.analogy([a, c], [b], args.topn)
    if args.json:
        out = {
            "positive": [a, c], "negative": [b], "model": model,
            "results": [{"word": n.word, "similarity": round(n.similarity, 6)} for n in results],
        }
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"{a} - {b} + {c} に近い単語（{model}）")
    print(table(["単語", "コサイン類似度", ""], [[n.word, f"{n.similarity:.3f}", _bar(n.similarity)] for n in results]))
    return 0


def _bar(similarity: float, width: int = 20) -> str:
    return "#" * round(max(similarity, 0.0) * width)


def cmd_train(args, paths: Paths) -> int:
    from dataclasses import replace

    from .core import checkpoint, corpus, word2vec
    from .core.train.word2vec import train, training_sentences

    mode = "skipgram" if args.sg else "cbow"
    overrides = {"vector_size": args.dim, "window": args.window, "epochs": args.epochs, "min_count": args.min_count,
                 "seed": args.seed}
    config = replace(word2vec.DEFAULTS[mode], **{k: v for k, v in overrides.items() if v is not None})
    try:
        data = args.data if args.data is not None else corpus.find(paths.corpus_dir)
        if not corpus.is_corpus_dir(data, splits=("train",)):
            raise corpus.CorpusNotFound(f"{data} に train.ja / train.en がありません。")
    except corpus.CorpusNotFound as exc:
        _err(str(exc))
        return EXIT_FAIL
    out = args.out or paths.user_models_dir / word2vec.BUNDLED[mode]
    print(f"学習: {config.describe()}", file=sys.stderr)
    t = time.perf_counter()
    sentences, carved = training_sentences(data)
    print(f"コーパス: {data}（{len(sentences):,} 文、MeCab で {time.perf_counter() - t:.1f} 秒）", file=sys.stderr)
    from .cli_progress import Reporter

    last_epoch = [0]

    def progress(p) -> None:
        finished = len(p.losses)
        milestone = finished > last_epoch[0]  # an epoch finished: its loss is kept as a line
        last_epoch[0] = finished
        if milestone:  # named after the epoch the loss belongs to (gensim already reads the next one)
            what = f"エポック {finished}/{p.epochs} 終了 loss {p.losses[-1]:.3f}"
        else:
            what = f"エポック {p.epoch}/{p.epochs}" + (f" loss {p.losses[-1]:.3f}" if p.losses else "")
        # The bar counts sentences over the whole run; the rate is gensim's words per second.
        bar.update(p.fraction * p.epochs * p.total_sentences, what, total=p.epochs * p.total_sentences,
                   rate=p.words_per_s, milestone=milestone)

    try:
        with Reporter(None, "語") as bar:
            wv = train(sentences, config, on_progress=progress)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_FAIL
    wv.meta["carved"] = carved
    quality = _quality(wv, paths)
    wv.meta["quality"] = quality.to_json() if quality else None
    command = ("tutor train word2vec " + " ".join(sys.argv[3:]) if sys.argv[1:3] == ["train", "word2vec"]
               else "tutor train word2vec")
    wv.save(out, card=word2vec.model_card(wv, command))
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    print(f"保存しました: {out}（語彙 {len(wv):,} 語、学習 {wv.meta['train_seconds']} 秒）")
    if quality:
        print(f"評価: 近傍の同グループ率 {quality.neighbour_share:.3f}（上限 {quality.ceiling:.3f}）、"
              f"アナロジー正答率 {quality.analogy_accuracy:.3f}")
    return 0


def _quality(wv, paths: Paths):
    from .core.word2vec_eval import EvalSet, evaluate

    path = paths.assets_dir / "word2vec_eval.toml"
    return evaluate(wv, EvalSet.load(path)) if path.is_file() else None


def cmd_eval(args, paths: Paths) -> int:
    from .cli_format import table

    wv, model = _load(args, paths)
    q = _quality(wv, paths)
    if q is None:
        _err("評価セット assets/word2vec_eval.toml がありません。")
        return EXIT_FAIL
    if args.json:
        print(json.dumps({"model": model, **q.to_json()}, ensure_ascii=False))
        return 0
    print(f"{model}: 語彙 {len(wv):,} 語、{wv.dim} 次元")
    print(f"近傍 10 語のうち同じグループの語の割合: {q.neighbour_share:.3f}"
          f"（満点の上限 {q.ceiling:.3f}、評価語の収録率 {q.coverage:.0%}）")
    print(f"  出現 50 回未満の語: {q.share_rare:.3f}、50 回以上の語: {q.share_frequent:.3f}")
    print(table(["グループ", "割合"], [[k, f"{v:.2f}"] for k, v in q.per_group.items()]))
    print()
    print(f"アナロジー: 1 位正解 {q.analogy_accuracy:.0%}、上位 5 位以内 {q.analogy_top5:.0%}")
    rows = []
    for r in q.analogies:
        got = "（語彙にない: " + "、".join(r.missing) + "）" if r.missing else " ".join(r.answers)
        rows.append([f"{r.a} - {r.b} + {r.c}", r.expected,
                     "正解" if r.correct else ("5位内" if r.in_top5 else "不正解"), got])
    print(table(["問い", "正解", "", "上位 5 語"], rows))
    return 0


def run(args, paths: Paths) -> int:
    """Dispatch one of this module's commands; model errors, unknown words and bad values become messages."""
    from .core.word2vec import UnknownWord

    commands = {"similar": cmd_similar, "analogy": cmd_analogy, "train": cmd_train}
    return guarded(commands.get(args.command, cmd_eval), args, paths, expected=(UnknownWord, ValueError))
