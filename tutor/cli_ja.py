"""argparse in Japanese: its headings, its help line and its error messages.

argparse looks its strings up through ``gettext`` at the moment it uses them
(``argparse._``), so giving it a Japanese table before the parser is built
translates every heading and message, ours and those of each subcommand,
without a formatter of our own. Only this CLI's process calls :func:`install`.
"""

from __future__ import annotations

import argparse

JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "このヘルプを表示して終わる",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "one of the arguments %s is required": "引数 %s のどれかが必要です",
    "unrecognized arguments: %s": "知らない引数です: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "選べない値です: %(value)r（選べるのは %(choices)s）",
    "invalid %(type)s value: %(value)r": "%(type)s の値として読めません: %(value)r",
    "expected one argument": "値を一つ続けてください",
    "expected at most one argument": "値は一つまでです",
    "expected at least one argument": "値を一つ以上続けてください",
    "expected %s argument": "値を %s 個続けてください",
    "expected %s arguments": "値を %s 個続けてください",
    "ambiguous option: %(option)s could match %(matches)s": "どれのことか決まりません: %(option)s（候補: %(matches)s）",
    "not allowed with argument %s": "引数 %s とは一緒に使えません",
    "ignored explicit argument %r": "値 %r はここでは使えません",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' を開けません: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "知らないコマンドです: %(parser_name)r（選べるのは %(choices)s）",
}


def _(message: str) -> str:
    return JA.get(message, message)


def _n(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def install() -> None:
    """Japanese for every parser built after this call (idempotent)."""
    argparse._ = _
    argparse.ngettext = _n
