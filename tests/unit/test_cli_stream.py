"""`tutor translate` and friends on many lines: results stream, batches change nothing (issue 15)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tutor.cli_common import as_they_arrive
from tutor.core import translator
from tutor.core.variants import BUNDLED, TRANSLATORS
from tutor.settings import PROJECT_ROOT

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny_ja.txt"


@pytest.mark.parametrize("variant", TRANSLATORS)
def test_batched_translations_are_the_one_by_one_translations(variant) -> None:
    model = translator.load(PROJECT_ROOT / "models" / BUNDLED[variant])
    texts = [*TINY.read_text(encoding="utf-8").splitlines(), "", "   ", "[b]x[/]", "吾輩は猫である。" * 40]
    many = translator.translate_many(model, texts)
    assert [r.target for r in many] == [model.translate(t, attention=False).target for t in texts]
    assert [r.notices for r in many] == [model.translate(t).notices for t in texts]
    assert all(r.attention is None for r in many)


def test_lines_come_in_batches_of_what_has_arrived() -> None:
    gate = threading.Event()

    def slow():
        yield "a"
        gate.wait(5)  # the second line comes only after the first one's batch was handed out
        yield "b"
        yield "c"

    batches = as_they_arrive(slow())
    assert next(batches) == ["a"]
    gate.set()
    rest = [line for batch in batches for line in batch]
    assert rest == ["b", "c"]
    batches = list(as_they_arrive(iter(range(250)), most=100))
    assert [x for b in batches for x in b] == list(range(250)) and max(len(b) for b in batches) <= 100


def test_an_error_in_the_reader_reaches_the_caller_after_the_lines_before_it() -> None:
    def broken():
        yield "a"
        raise SystemExit(2)

    got = []
    with pytest.raises(SystemExit):
        for batch in as_they_arrive(broken()):
            got += batch
    assert got == ["a"]


@pytest.mark.parametrize("argv", [["analyze"], ["translate"], ["translate", "--variant", "transformer"]])
def test_the_first_result_comes_before_the_input_ends(argv, tmp_path) -> None:
    """A learner piping a file sees progress: one line in, its result out, while stdin is still open."""
    env = {**os.environ, "TUTOR_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", *argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        proc.stdin.write("猫が好きです。\n")
        proc.stdin.flush()
        first = lines.get(timeout=60)  # torch's import on a loaded CI machine
        assert first.strip() and proc.poll() is None
        proc.stdin.write("犬が走る。\n")
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
