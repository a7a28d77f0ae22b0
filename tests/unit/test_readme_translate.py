"""The README's translate lines print what the README shows, from the defaults, on sentences not in the corpus
(issue 18)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.settings import PROJECT_ROOT

LINES = [line for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
         if line.startswith("tutor translate ")]


def example(line: str) -> tuple[list[str], str, str]:
    """-> (the command's arguments, the sentence, the output the README shows after →)."""
    command, comment = line.split("#", 1)
    args = shlex.split(command)[1:]
    shown = re.search(r"→ (.+? \.)", comment).group(1)
    return args, args[-1], shown


def test_the_readme_has_translate_examples_with_their_output() -> None:
    assert len(LINES) >= 2 and all("→" in line for line in LINES)
    assert any("--variant" not in line for line in LINES)  # one of them uses the defaults alone


@pytest.mark.parametrize("line", LINES, ids=[example(line)[1] for line in LINES])
def test_a_readme_translate_example_prints_what_it_shows(line: str, capsys) -> None:
    args, _, shown = example(line)
    assert main(["--device", "cpu", *args]) == 0
    assert capsys.readouterr().out.strip() == shown


@pytest.mark.skipif(not os.environ.get("TUTOR_DATA_DIR"),
                    reason="TUTOR_DATA_DIR is not set: the corpus is not available")
def test_the_readme_sentences_are_not_in_the_corpus() -> None:
    from tutor.core import corpus

    data = Path(os.environ["TUTOR_DATA_DIR"])
    known = {p.ja for split in corpus.SPLITS for p in corpus.read_pairs(data, split)}
    for line in LINES:
        assert example(line)[1] not in known


def test_the_readme_names_the_default_translator_and_beam() -> None:
    """The README says which model and beam `tutor translate` uses; it said general after the default became dot."""
    import re

    from tutor.core import variants

    said = re.findall(r"既定は RNN (\w+) をビーム幅 (\d+) で", (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert said == [(variants.BEST, str(variants.BEST_BEAM))]
