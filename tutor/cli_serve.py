"""`tutor serve`: the same app in a browser, one process and one progress per learner (tutor/serve/)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from pathlib import Path

from .settings import Paths

#: Learners at once by default. On the 2-core machine this was measured on, 4 tabs opened at the same
#: moment each had their first screen within 3 s and 6 within 4.2 s (benchmarks/serve_load.py, in the
#: README): past 4 the first screen only comes later, so the cap is above that, and --max-learners sets it.
DEFAULT_MAX_LEARNERS = 8


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="ブラウザで使えるようにする（教室向け。学習者ごとに進捗を分けて保存）")
    p.add_argument("--host", default="127.0.0.1",
                   help="待ち受けるアドレス（既定: 127.0.0.1 = このマシンからだけ）。教室の全員に開くには 0.0.0.0")
    p.add_argument("--port", type=int, default=8000, help="ポート番号（既定: 8000）")
    p.add_argument("--root", type=Path, default=None,
                   help="学習者ごとの進捗を置くフォルダー（既定: ユーザーデータの classroom/）")
    p.add_argument("--max-learners", type=int, default=DEFAULT_MAX_LEARNERS,
                   help=f"同時に使える人数（既定: {DEFAULT_MAX_LEARNERS}）")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _addresses() -> list[str]:
    """This machine's addresses that others on the network may reach (best effort, no lookup outside)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not ipaddress.ip_address(address).is_loopback and address not in found:
                found.append(address)
    except OSError:
        pass
    return found


def run(args, paths: Paths) -> int:
    if not 1 <= args.port <= 65535:
        print(f"ポート番号は 1〜65535 で指定してください（{args.port}）。", file=sys.stderr)
        return 2
    if args.max_learners < 1:
        print("--max-learners は 1 以上にしてください。", file=sys.stderr)
        return 2
    try:
        from .serve.classroom import Classroom
        from .serve.server import TutorServer
    except ImportError as exc:  # textual-serve is a dependency; a broken install says so plainly
        print(f"ブラウザ版に必要なパッケージを読み込めません（{exc.name}）。pip install -e . で入れ直してください。",
              file=sys.stderr)
        return 1
    root = (args.root or paths.data_dir / "classroom").expanduser().resolve()
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        print(f"学習者のフォルダーを作れません: {root}（{exc.strerror}）", file=sys.stderr)
        return 1
    try:  # a taken port says so in Japanese, before aiohttp's traceback would
        with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((args.host, args.port))
    except OSError as exc:
        why = "ほかのプログラムが使っています" if exc.errno == errno.EADDRINUSE else exc.strerror
        print(f"{args.host}:{args.port} で待ち受けられません（{why}）。--port で別の番号を指定してください。",
              file=sys.stderr)
        return 1
    app_args = ["--device", args.device] if getattr(args, "device", None) else []
    server = TutorServer(Classroom(root), host=args.host, port=args.port, max_learners=args.max_learners,
                         app_args=app_args)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"ブラウザで開いてください: http://{shown}:{args.port}/", flush=True)
    print(f"学習者の進捗: {root}（学習者 ID ごとのフォルダー）", flush=True)
    print(f"同時に使える人数: {args.max_learners} 人。終了は Ctrl+C。", flush=True)
    if _loopback(args.host):
        print("いまはこのマシンからだけ開けます。教室の全員に開くには --host 0.0.0.0 を付けて起動します。", flush=True)
    else:
        for address in _addresses():
            print(f"教室から: http://{address}:{args.port}/", flush=True)
        print("注意: 同じネットワークの誰でもこのページを開けます。通信は暗号化されません（HTTPS なし）。\n"
              "      学習者は ID で分かれますが、ID を知る人はその進捗を開けます。"
              "モデルはこのマシンの CPU で動きます。\n"
              "      ブラウザ版では演習ファイルの編集（e）はできません"
              "（このマシンでコードを動かさないため）。", flush=True)
    server.serve()
    return 0
