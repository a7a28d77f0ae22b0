"""argparse speaks Japanese: headings, the help line, errors, and every option's help string (tutor/cli_ja.py)."""

from __future__ import annotations

import argparse
import re

import pytest

from tutor.__main__ import build_parser, main

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_ARGPARSE = ("usage:", "positional arguments", "options:", "show this help", "error:", "version number")


def every_parser(parser: argparse.ArgumentParser, path=("tutor",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from every_parser(child, (*path, name))


def test_every_help_page_has_japanese_headings_and_a_japanese_help_for_each_option():
    root = build_parser()
    pages = list(every_parser(root))
    assert len(pages) > 25  # every subcommand, train and eval kinds included
    for path, parser in pages:
        text = parser.format_help()
        for english in ENGLISH_ARGPARSE:
            assert english not in text, (path, english)
        assert "使い方:" in text, path
        for action in parser._actions:
            if action.help in (None, argparse.SUPPRESS) or isinstance(action, argparse._SubParsersAction):
                continue
            assert JAPANESE.search(action.help), (path, action.option_strings or action.dest, action.help)


@pytest.mark.parametrize("argv, expected", [
    (["bogus"], "選べない値です"),
    (["translate", "猫", "--beam", "x"], "読めません"),
    (["train"], "次の引数が必要です"),
    (["analyze", "猫", "--nope"], "知らない引数です"),
])
def test_usage_errors_are_japanese_and_exit_2(capsys, argv, expected):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "エラー:" in err and "usage:" not in err
