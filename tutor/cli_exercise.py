"""`tutor exercise`: the 演習 from the shell (list, start, check, hint, solution).

The check runs the learner's file in the sandbox (tutor/exercises/sandbox.py),
prints which cases pass, and records a pass in the progress file the app reads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .settings import Paths

EXIT_FAIL, EXIT_USAGE = 1, 2


def add_parser(sub) -> None:
    p = sub.add_parser("exercise", help="演習（自分でコードを書いて確かめる）")
    esub = p.add_subparsers(dest="exercise_command", metavar="{list,start,check,hint,solution}", required=True)
    workspace_help = ("演習のファイルを置くフォルダ"
                      "（既定: 環境変数 TUTOR_EXERCISES_DIR、なければユーザーデータの exercises/）")

    e = esub.add_parser("list", help="演習の一覧と状態")
    e.add_argument("--json", action="store_true", help="JSON で出力する")
    e.add_argument("--dir", type=Path, help=workspace_help)
    e = esub.add_parser("start", help="演習のファイルを作り、そのパスを表示する（既にあれば上書きしない）")
    e.add_argument("id", help="演習の ID（tutor exercise list で確認）")
    e.add_argument("--dir", type=Path, help=workspace_help)
    e = esub.add_parser("check", help="演習のファイルを確かめる（合格すると進捗に記録）")
    e.add_argument("id", help="演習の ID")
    e.add_argument("--file", type=Path, help="確かめるファイル（既定: フォルダの中の演習のファイル）")
    e.add_argument("--dir", type=Path, help=workspace_help)
    e.add_argument("--json", action="store_true", help='{"id", "passed", "failures": [...]} の JSON で出力する')
    e = esub.add_parser("hint", help="ヒントを表示する")
    e.add_argument("id", help="演習の ID")
    e = esub.add_parser("solution", help="解答例を表示する（合格したあと、または --give-up のとき）")
    e.add_argument("id", help="演習の ID")
    e.add_argument("--give-up", action="store_true", help="合格する前に解答を見る（記録されます）")


def _err(msg: str) -> None:
    print(f"tutor: {msg}", file=sys.stderr)


def run(args, paths: Paths) -> int:
    from .curriculum.catalog import CurriculumError
    from .exercises import registry, workspace

    folder = workspace.workspace_dir(paths.data_dir, getattr(args, "dir", None))
    if args.exercise_command == "list":
        return _list(args, paths, folder)
    exercise = registry.get(args.id)
    if exercise is None:
        _err(f"演習 {args.id!r} はありません。ある演習: {', '.join(e.id for e in registry.exercises())}")
        return EXIT_USAGE
    try:
        if args.exercise_command == "start":
            try:
                path, created = workspace.start(exercise, folder, paths.lessons_dir)
            except OSError as exc:
                _err(f"ファイルを作れませんでした ({folder}): {exc.strerror or exc}")
                return EXIT_FAIL
            if not created:
                _err("ファイルは既にあります（上書きしません）。")
            print(path)
            return 0
        if args.exercise_command == "hint":
            print(workspace.texts(exercise, paths.lessons_dir).hint)
            return 0
        if args.exercise_command == "solution":
            return _solution(args, paths, exercise)
    except CurriculumError as exc:
        _err(str(exc))
        return EXIT_FAIL
    return _check(args, paths, exercise, folder)


def _store(paths: Paths):
    from .curriculum.progress import ProgressStore

    return ProgressStore(paths.progress_file, paths.settings_file)


def _list(args, paths: Paths, folder: Path) -> int:
    from .exercises import registry

    progress = _store(paths).load_progress()
    rows = []
    for e in registry.exercises():
        state = progress.lessons.get(e.lesson)
        ep = state.exercises.get(e.id) if state else None
        file = folder / e.file_name
        status = "passed" if ep and ep.passed else ("started" if file.exists() else "not_started")
        rows.append({"id": e.id, "lesson": e.lesson, "title": e.title, "functions": list(e.functions),
                     "status": status, "file": str(file)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    from .cli_format import table

    labels = {"passed": "合格", "started": "挑戦中", "not_started": "未着手"}
    print(table(["ID", "レッスン", "内容", "状態"],
                [[r["id"], r["lesson"], r["title"], labels[r["status"]]] for r in rows]))
    print(f"\nフォルダ: {folder}")
    return 0


def _check(args, paths: Paths, exercise, folder: Path) -> int:
    from .exercises import checking

    file = args.file or folder / exercise.file_name
    if not file.exists() and args.file is None:
        _err(f"ファイルがありません: {file}。先に `tutor exercise start {exercise.id}` で作ってください。")
        return EXIT_FAIL
    report = checking.check(exercise, file)
    if report.passed:
        store = _store(paths)
        progress = store.load_progress()
        for notice in store.notices:
            _err(notice)
        progress.exercise(exercise.lesson, exercise.id).passed = True
        try:
            store.save_progress(progress)
        except OSError as exc:
            _err(f"進捗を保存できませんでした ({store.progress_file}): {exc.strerror}")
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(format_report(exercise, report, file))
    return 0 if report.passed else EXIT_FAIL


def format_report(exercise, report, file: Path) -> str:
    from .exercises.checking import report_lines

    head = [f"演習 {exercise.id}: {exercise.title}", f"ファイル: {file}", ""]
    return "\n".join(head + [text for _, text in report_lines(report, exercise.tolerance)])


def _solution(args, paths: Paths, exercise) -> int:
    from .exercises import workspace

    store = _store(paths)
    progress = store.load_progress()
    ep = progress.exercise(exercise.lesson, exercise.id)
    if not ep.may_see_solution:
        if not args.give_up:
            _err(f"まだ合格していません。解答例は合格したあとに見られます。あきらめて見るなら "
                 f"`tutor exercise solution {exercise.id} --give-up`（記録されます）。"
                 f"ヒント: `tutor exercise hint {exercise.id}`")
            return EXIT_FAIL
        ep.gave_up = True
        try:
            store.save_progress(progress)
        except OSError as exc:
            _err(f"進捗を保存できませんでした ({store.progress_file}): {exc.strerror}")
    print(workspace.texts(exercise, paths.lessons_dir).solution, end="")
    return 0
