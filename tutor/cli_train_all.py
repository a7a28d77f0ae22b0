"""`tutor train all`: retrain every bundled model, one after another, and pick up where it stopped.

Each model is trained by its own `tutor train …` command (tutor.core.recipes) in a
child process, into ``<folder>.partial`` beside the final folder; only a finished
run replaces the folder, so an interruption never leaves a half-written model.
What has finished is recorded in ``train-all.json`` in the output folder: running
the command again skips those and continues with the first unfinished one. A
model retrained in this run also retrains what is built on it (the BERT
classifier after BERT). Models are trained one at a time: on a 2-core machine
two trainings at once would each take more than twice as long.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .cli_common import EXIT_FAIL, err as _err
from .settings import Paths

STATE = "train-all.json"
#: runner(recipe, partial folder, final output folder) -> exit code of the training command.
Runner = Callable[..., int]


def add_train_parser(tsub) -> None:
    p = tsub.add_parser("all", help="同梱モデルをすべて順に学習し直す（中断しても、もう一度実行すれば続きから）")
    p.add_argument("--out", type=Path,
                   help="保存先のフォルダ（既定: ユーザーデータの models/）。"
                        "リポジトリの models/ を指定すると同梱モデルを置き換える")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--only", nargs="+", metavar="FOLDER", help="このモデルだけを学習する（例: bigram-ja gpt）")
    p.add_argument("--limit", type=int, help="ニューラルモデルを先頭の N 文対だけで学習する（手順を試すため）")
    p.add_argument("--restart", action="store_true", help="記録を無視して最初から学習する")
    p.add_argument("--list", action="store_true", help="学習する順序と目安の時間を表示して終わる")


def fmt_seconds(seconds: float) -> str:
    minutes = round(seconds / 60)
    if seconds < 60:
        return f"{seconds:.0f} 秒"
    return f"{minutes // 60} 時間 {minutes % 60} 分" if minutes >= 60 else f"{minutes} 分"


def read_state(path: Path) -> dict:
    """The record of finished models; a missing or unreadable file is an empty record."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"done": {}}
    if not isinstance(state, dict) or not isinstance(state.get("done"), dict):
        return {"done": {}}
    return state


def write_state(path: Path, state: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def subprocess_runner(data: Path | None, limit: int | None, device: str | None) -> Runner:
    """Run the recipe's `tutor train` command in a child process that shares this terminal."""

    def run(recipe, partial: Path, out_dir: Path) -> int:
        cmd = [sys.executable, "-m", "tutor", *(["--device", device] if device else []), "train", *recipe.args,
               "--out", str(partial)]
        if data is not None:
            cmd += ["--data", str(data)]
        if limit is not None and recipe.limit:
            cmd += ["--limit", str(limit)]
        for need in recipe.needs:
            cmd += ["--encoder", str(out_dir / need)]
        # Our lines first: written to a log, stdout is buffered, and the child's lines would come before them.
        sys.stdout.flush()
        return subprocess.call(cmd)

    return run


def _install(partial: Path, final: Path, shown: str) -> None:
    """Replace the folder with the finished run, its card and config naming the final folder."""
    for name in ("CARD.md", "config.json"):
        file = partial / name
        if file.is_file():
            text = file.read_text(encoding="utf-8")
            text = text.replace(json.dumps(str(partial))[1:-1], shown).replace(str(partial), shown)
            file.write_text(text, encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)


def run_all(recipes: list, out_dir: Path, runner: Runner, restart: bool = False, settings: dict | None = None,
            models_dir: Path | None = None, log=print) -> int:
    """Train ``recipes`` in order into ``out_dir``, skipping those already recorded as finished."""
    from .core import checkpoint

    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / STATE
    state = {"done": {}} if restart else read_state(state_path)
    settings = settings or {}
    if state.get("settings", settings) != settings and state["done"]:
        log(f"前回の記録（{state_path}）とは設定が違うため、最初から学習します。")
        state = {"done": {}}
    state["settings"] = settings
    bundled = models_dir is not None and out_dir.resolve() == models_dir.resolve()
    finished = {f for f in state["done"] if (out_dir / f / checkpoint.CONFIG).is_file()}
    names = {r.folder for r in recipes if r.folder not in finished}
    for r in recipes:  # what is built on a model retrained now is retrained too (it checks its base's hash)
        if names & set(r.needs):
            names.add(r.folder)
    todo = [r for r in recipes if r.folder in names]
    for r in recipes:
        if r.folder not in names:
            log(f"  {r.folder}: 前回までに学習済み（{fmt_seconds(state['done'][r.folder]['seconds'])}）")
    started = time.perf_counter()
    for i, recipe in enumerate(todo, 1):
        remaining = sum(r.minutes for r in todo[i - 1:]) * 60
        log(f"[{i}/{len(todo)}] {recipe.folder} を学習します（目安 {fmt_seconds(recipe.minutes * 60)}、"
            f"残り全体の目安 {fmt_seconds(remaining)}、経過 {fmt_seconds(time.perf_counter() - started)}）")
        partial = out_dir / f"{recipe.folder}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        t = time.perf_counter()
        try:
            code = runner(recipe, partial, out_dir)
        except KeyboardInterrupt:
            code = 130
        if code != 0:
            shutil.rmtree(partial, ignore_errors=True)
            if code == 130:
                log(f"中断しました。{recipe.folder} は元のままです。もう一度 `tutor train all` を実行すると、"
                    f"{recipe.folder} から続けます。")
                return 130
            log(f"{recipe.folder} の学習に失敗しました（終了コード {code}）。"
                "直してからもう一度実行すると続きから学習します。")
            return EXIT_FAIL
        shown = f"models/{recipe.folder}" if bundled else str(out_dir / recipe.folder)
        _install(partial, out_dir / recipe.folder, shown)
        seconds = round(time.perf_counter() - t, 1)
        state["done"][recipe.folder] = {"seconds": seconds,
                                        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        write_state(state_path, state)
        if bundled:
            checkpoint.write_manifest(models_dir)
        log(f"[{i}/{len(todo)}] {recipe.folder}: 完了（{fmt_seconds(seconds)}）")
    total = sum(state["done"][r.folder]["seconds"] for r in recipes if r.folder in state["done"])
    log(f"すべて学習しました: {len(recipes)} モデル、学習時間の合計 {fmt_seconds(total)}（記録: {state_path}）")
    return 0


def cmd_train_all(args, paths: Paths) -> int:
    from .core import corpus, recipes as recipe_book

    try:
        recipes = recipe_book.plan(args.only)
    except KeyError as exc:
        _err(f"そのモデルはありません: {exc.args[0]}。選べるもの: {', '.join(recipe_book.BY_FOLDER)}")
        return EXIT_FAIL
    if args.list:
        for r in recipes:
            print(f"{r.folder:<20} 目安 {fmt_seconds(r.minutes * 60):>10}  tutor train {' '.join(r.args)}")
        print(f"合計の目安: {fmt_seconds(sum(r.minutes for r in recipes) * 60)}（2 コアの CPU で）")
        return 0
    try:
        data = args.data if args.data is not None else corpus.find(paths.corpus_dir)
        if not corpus.is_corpus_dir(data):
            raise corpus.CorpusNotFound(f"{data} に train/dev の .ja/.en がありません。")
    except corpus.CorpusNotFound as exc:
        _err(str(exc))
        return EXIT_FAIL
    out = args.out or paths.user_models_dir
    if args.limit is not None and args.limit < 20:
        _err("--limit は 20 以上にしてください。")
        return EXIT_FAIL
    settings = {"data": str(Path(data).resolve()), "limit": args.limit}
    # --data goes to each command only when given here: otherwise each finds the corpus the same way (and the
    # cards do not name this machine's folders).
    runner = subprocess_runner(args.data, args.limit, args.device)
    return run_all(recipes, out, runner, args.restart, settings, paths.models_dir)

