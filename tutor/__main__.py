"""The `tutor` command: the app, and the same core as scriptable subcommands.

    tutor [--device auto|cpu|cuda] [--reset-progress]     run the app
    tutor analyze [TEXT] [--json]                         morphological analysis
    tutor onehot [TEXT] [--json]                          one-hot vectors of a sentence
    tutor data download|path                              the corpus
    tutor device [--json]                                 which device models would use
    tutor exercise list|start|check|hint|solution         the 演習: write the code, have it checked
    tutor similar WORD | analogy A B C                    word2vec queries (lesson L2)
    tutor train word2vec | eval word2vec                  retrain or measure a model

Errors go to stderr with a non-zero exit code; notices (a cut input, removed
control characters, a GPU that is not there) go to stderr too.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from . import __version__
from .settings import DEVICES, Paths, default_paths

EXIT_USAGE = 2
EXIT_FAIL = 1


def _err(msg: str) -> None:
    print(f"tutor: {msg}", file=sys.stderr)


def _inputs(text: str | None) -> Iterator[str]:
    """TEXT, or each line of stdin (undecodable bytes replaced, not fatal)."""
    if text is not None:
        yield text
        return
    if sys.stdin is None or sys.stdin.isatty():
        raise SystemExit(_usage("テキストを引数で渡すか、標準入力から 1 行ずつ渡してください。"))
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _usage(msg: str) -> int:
    _err(msg)
    return EXIT_USAGE


def _per_input(args, to_json, to_plain) -> int:
    """The loop of the per-sentence commands: TEXT or each stdin line, cleaned and tokenized,
    notices on stderr, then one JSON object per input or a readable table."""
    from .core.text import analyze

    if args.text is not None and not args.text.strip():
        return _usage("テキストが空です。")
    for n, text in enumerate(_inputs(args.text)):
        result = analyze(text)
        for notice in result.notices:
            _err(notice)
        # flushed per input: a learner piping a file sees each result as it comes
        if args.json:
            print(json.dumps(to_json(result), ensure_ascii=False), flush=True)
            continue
        if n:
            print()
        print(to_plain(result) if result.tokens else "（空の入力です）", flush=True)
    return 0


def cmd_analyze(args) -> int:
    from .cli_format import table

    def plain(result) -> str:
        rows = [[t.surface, "-".join(t.pos), t.lemma, t.reading or ("（未知語）" if t.unknown else "")]
                for t in result.tokens]
        return table(["表層形", "品詞", "原形", "読み"], rows)

    return _per_input(args, lambda result: result.to_json(), plain)


def cmd_onehot(args) -> int:
    from .cli_format import table
    from .core import onehot

    def plain(result) -> str:
        surfaces = result.surfaces
        oh = onehot.build(surfaces)
        parts = [
            f"語彙数 (= ベクトルの次元): {oh.dim}",
            table(["ID", "単語"], [[str(i), w] for i, w in enumerate(oh.vocab)]),
            "",
            table(["単語"] + [str(i) for i in range(oh.dim)],
                  [[t] + [str(v) for v in row] for t, row in zip(surfaces, oh.matrix())]),
        ]
        if oh.dim > 1:
            parts += ["", "異なる 2 語の距離はどれも √2 ≒ 1.414、コサイン類似度はどれも 0 です。"]
        return "\n".join(parts)

    return _per_input(args, lambda result: onehot.build(result.surfaces).to_json(result.surfaces), plain)


def cmd_data(args, paths: Paths) -> int:
    from .core import corpus

    if args.data_command == "path":
        print("コーパスを探す場所（上から順に）:")
        for why, place in corpus.search_path(paths.corpus_dir):
            found = "見つかりました" if corpus.is_corpus_dir(place) else "なし"
            print(f"  {place}  [{why}] {found}")
        print(f"`tutor data download` の保存先: {paths.corpus_dir}")
        return 0

    from .core import download

    dest = paths.corpus_dir
    print(f"ダウンロード中: {args.url}", file=sys.stderr)

    from .cli_progress import Reporter

    def progress(done: int, total: int | None) -> None:
        what = f"{done / 2**20:.1f} MB" + (f" / {total / 2**20:.1f} MB" if total else "")
        bar.update(done, f"  {what}", total=total or None)  # no Content-Length: no share, no time left

    try:
        with Reporter(None, "MB", scale=2**20) as bar:
            installed = download.download(dest, url=args.url, progress=progress)
    except download.DownloadError as exc:
        _err(str(exc))
        return EXIT_FAIL
    print(f"保存しました: {installed.directory}")
    for name, lines in installed.files.items():
        print(f"  {name}: {lines:,} 行（検証済み）")
    return 0


def cmd_device(args) -> int:
    from .core.device import resolve

    choice = resolve(args.device)
    if choice.notice:
        _err(choice.notice)
    if args.json:
        print(json.dumps(choice.to_json(), ensure_ascii=False))
    else:
        print(f"{choice.name}（指定: {choice.requested}）")
    return 0


def cmd_app(args, paths: Paths) -> int:
    from .curriculum.progress import ProgressStore

    if args.reset_progress:
        store = ProgressStore(paths.progress_file, paths.settings_file)
        removed = store.reset()
        _err("進捗を消去しました。最初から始めます。" if removed else "消去する進捗はありませんでした。")
    from .app import build_app
    from .process import run_app

    return run_app(build_app(paths=paths, device=args.device))


def build_parser() -> argparse.ArgumentParser:
    from . import cli_ja

    cli_ja.install()
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="日本語で学ぶ自然言語処理チューター。引数なしでアプリを起動します。",
    )
    parser.add_argument("--version", action="version", version=f"tutor {__version__}", help="版を表示して終わる")
    parser.add_argument(
        "--device", choices=DEVICES, default=None,
        help="モデルを動かすデバイス（既定: 保存された設定、なければ auto）。cuda が使えなければ CPU になります。",
    )
    parser.add_argument("--reset-progress", action="store_true", help="進捗を消して最初から始める")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("analyze", help="形態素解析の結果を表示する")
    p.add_argument("text", nargs="?", help="解析する文（省略すると標準入力の各行）")
    p.add_argument("--json", action="store_true", help="1 入力につき 1 行の JSON で出力する")

    p = sub.add_parser("onehot", help="文の語彙と one-hot ベクトルを表示する")
    p.add_argument("text", nargs="?", help="文（省略すると標準入力の各行）")
    p.add_argument("--json", action="store_true", help="JSON で出力する")

    p = sub.add_parser("data", help="対訳コーパス (small_parallel_enja) の取得と場所")
    dsub = p.add_subparsers(dest="data_command", metavar="{download,path}", required=True)
    d = dsub.add_parser("download", help="コーパスをダウンロードして検証し、ユーザーデータに保存する")
    from .core.download import DEFAULT_URL

    d.add_argument("--url", default=DEFAULT_URL, help=argparse.SUPPRESS)
    dsub.add_parser("path", help="コーパスを探す場所を表示する")

    p = sub.add_parser("device", help="モデルが使うデバイスを表示する")
    p.add_argument("--json", action="store_true", help="JSON で出力する")

    from . import cli_bert, cli_exercise, cli_gpt, cli_ngram, cli_seq2seq, cli_word2vec

    cli_word2vec.add_query_parsers(sub)
    cli_seq2seq.add_translate_parser(sub)
    cli_gpt.add_generate_parser(sub)
    cli_bert.add_parsers(sub)
    cli_exercise.add_parser(sub)
    from . import cli_serve

    cli_serve.add_parser(sub)
    p = sub.add_parser("train", help="同梱モデルを学習し直す")
    tsub = p.add_subparsers(dest="model_kind", metavar="MODEL", required=True)
    cli_word2vec.add_train_parser(tsub)
    cli_seq2seq.add_train_parser(tsub)
    cli_ngram.add_train_parser(tsub)
    cli_gpt.add_train_parser(tsub)
    cli_bert.add_train_parsers(tsub)
    from . import cli_train_all

    cli_train_all.add_train_parser(tsub)
    p = sub.add_parser("eval", help="モデルの品質を測る")
    esub = p.add_subparsers(dest="model_kind", metavar="MODEL", required=True)
    cli_word2vec.add_eval_parser(esub)
    cli_seq2seq.add_eval_parser(esub)
    cli_gpt.add_eval_parser(esub)
    cli_bert.add_eval_parsers(esub)
    return parser


def main(argv: list[str] | None = None, paths: Paths | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = paths or default_paths()
    try:
        if args.command == "analyze":
            return cmd_analyze(args)
        if args.command == "onehot":
            return cmd_onehot(args)
        if args.command == "data":
            return cmd_data(args, paths)
        if args.command == "exercise":
            from . import cli_exercise

            return cli_exercise.run(args, paths)
        if args.command == "train" and args.model_kind == "all":
            from . import cli_train_all

            return cli_train_all.cmd_train_all(args, paths)
        if args.command == "translate" or getattr(args, "model_kind", None) in ("seq2seq", "transformer"):
            from . import cli_seq2seq

            args.device = args.device or _saved_device(paths)
            return cli_seq2seq.run(args, paths)
        if args.command == "generate" or getattr(args, "model_kind", None) == "gpt":
            from . import cli_gpt

            args.device = args.device or _saved_device(paths)
            return cli_gpt.run(args, paths)
        if (args.command in ("fill-mask", "classify")
                or getattr(args, "model_kind", None) in ("bert", "bert-classifier")):
            from . import cli_bert

            args.device = args.device or _saved_device(paths)
            args.model = getattr(args, "model_kind", None)
            return cli_bert.run(args, paths)
        if getattr(args, "model_kind", None) == "bigram":
            from . import cli_ngram

            return cli_ngram.cmd_train(args, paths)
        if args.command in ("similar", "analogy", "train", "eval"):
            from . import cli_word2vec

            return cli_word2vec.run(args, paths)
        if args.command == "serve":
            from . import cli_serve

            return cli_serve.run(args, paths)
        if args.command == "device":
            args.device = args.device or _saved_device(paths)
            return cmd_device(args)
        return cmd_app(args, paths)
    except BrokenPipeError:  # `tutor analyze ... | head` is fine
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


def _saved_device(paths: Paths) -> str:
    from .curriculum.progress import ProgressStore

    return ProgressStore(paths.progress_file, paths.settings_file).load_settings().device


if __name__ == "__main__":
    sys.exit(main())
