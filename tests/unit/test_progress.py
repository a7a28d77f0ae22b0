"""Progress and settings files: atomic writes, versions, corruption set aside, the pass rule."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tutor.curriculum import catalog
from tutor.curriculum.progress import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    Progress,
    ProgressStore,
    Settings,
    questions_needed,
    quiz_passed,
)
from tutor.curriculum.store import write_atomic
from tutor.settings import PROJECT_ROOT


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data" / "progress.json", tmp_path / "config" / "settings.json")


def test_round_trip(store: ProgressStore) -> None:
    p = Progress()
    p.visit("L1", "demo")
    p.sentence = "猫が好きです。"
    p.of("L1").answers["q"] = 2
    store.save_progress(p)
    q = store.load_progress()
    assert (q.lesson, q.tab, q.sentence) == ("L1", "demo", "猫が好きです。")
    assert q.state("L1") == IN_PROGRESS and q.of("L1").answers == {"q": 2}
    data = json.loads(store.progress_file.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert store.notices == []


def test_missing_files_give_defaults(store: ProgressStore) -> None:
    assert store.load_progress() == Progress()
    assert store.load_settings() == Settings()
    assert store.notices == []


def test_write_is_atomic_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "p.json"
    write_atomic(target, {"version": 1, "n": 1})

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, {"version": 1, "n": 2})
    assert json.loads(target.read_text())["n"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temp file left behind


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"version": 99, "lesson": "L3"}', b"",
     b'{"version": 1, "lesson": "L3"', b"[" * 100_000 + b"]" * 100_000,
     b'{"version": 1, "x": "' + b"a" * (2 << 20) + b'"}'],
    ids=["not-json", "binary", "a-list", "another-version", "empty", "truncated", "nested-deep", "huge"],
)
def test_a_corrupt_progress_file_is_moved_aside_and_the_learner_told(store: ProgressStore, content: bytes) -> None:
    store.progress_file.parent.mkdir(parents=True)
    store.progress_file.write_bytes(content)
    p = store.load_progress()
    assert p == Progress()
    assert not store.progress_file.exists()
    aside = list(store.progress_file.parent.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content  # nothing lost
    assert len(store.notices) == 1 and aside[0].name in store.notices[0]
    store.save_progress(p)  # and the app can write a fresh one
    assert store.load_progress() == p


def test_a_corrupt_settings_file_is_moved_aside_too(store: ProgressStore) -> None:
    store.settings_file.parent.mkdir(parents=True)
    store.settings_file.write_text("device = cuda", encoding="utf-8")
    assert store.load_settings() == Settings()
    assert list(store.settings_file.parent.glob("settings.json.corrupt-*"))


def test_fields_of_the_wrong_type_are_ignored_not_fatal() -> None:
    p = Progress.from_json(
        {"version": 1, "lesson": 3, "tab": "nope", "sentence": None,
         "lessons": {"L1": {"state": "weird", "answers": {"a": "x", "b": 1}}, "L2": 5}}
    )
    assert p.lesson == "L0" and p.tab == "prose" and p.sentence == ""
    assert p.state("L1") == NOT_STARTED and p.of("L1").answers == {"b": 1}
    assert "L2" not in p.lessons


def test_reset_removes_progress_but_keeps_settings(store: ProgressStore) -> None:
    store.save_progress(Progress(lesson="L1"))
    store.save_settings(Settings(device="cpu", theme="light"))
    assert store.reset() == [store.progress_file]
    assert store.load_progress() == Progress()
    assert store.load_settings() == Settings(device="cpu", theme="light")


def test_pass_rule_is_eighty_percent() -> None:
    assert quiz_passed(4, 5) and quiz_passed(5, 6) and quiz_passed(8, 10)
    assert not quiz_passed(3, 5) and not quiz_passed(4, 6) and not quiz_passed(0, 0)
    assert [questions_needed(n) for n in (1, 3, 5, 6, 10)] == [1, 3, 4, 5, 8]


def test_answering_every_question_well_completes_the_lesson() -> None:
    questions = catalog.load(PROJECT_ROOT / "lessons").get("L1").quiz()
    p = Progress()
    for n, q in enumerate(questions):
        wrong = n == 0  # one wrong answer out of six still passes (5/6 >= 80 %)
        choice = (q.answer + 1) % len(q.choices) if wrong else q.answer
        assert p.answer("L1", questions, q.id, choice) is (not wrong)
        if n < len(questions) - 1:
            assert p.state("L1") == IN_PROGRESS
    assert p.state("L1") == DONE
    assert p.of("L1").best == len(questions) - 1 and p.of("L1").attempts == 1


def test_a_failed_pass_does_not_complete_and_a_retry_starts_clean() -> None:
    questions = catalog.load(PROJECT_ROOT / "lessons").get("L1").quiz()
    p = Progress()
    for q in questions:
        p.answer("L1", questions, q.id, (q.answer + 1) % len(q.choices))
    assert p.state("L1") == IN_PROGRESS and p.of("L1").best == 0
    p.restart_quiz("L1")
    assert p.of("L1").answers == {}


def test_a_corrupt_file_in_a_read_only_folder_is_left_in_place_and_the_learner_told(store: ProgressStore,
                                                                                    monkeypatch) -> None:
    store.progress_file.parent.mkdir(parents=True)
    store.progress_file.write_bytes(b"{broken")

    def read_only(*args, **kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    assert store.load_progress() == Progress()
    assert store.progress_file.read_bytes() == b"{broken"  # nothing lost
    assert (len(store.notices) == 1 and "保存できない" in store.notices[0]
            and str(store.progress_file) in store.notices[0])


KILLED_WRITER = """
import sys
from pathlib import Path
from tutor.curriculum.progress import Progress, ProgressStore

store = ProgressStore(Path(sys.argv[1]), Path(sys.argv[2]))
p = Progress(sentence="猫" * 2000)
print("ready", flush=True)
n = 0
while True:
    n += 1
    p.visit(f"L{n % 8}", "demo")
    store.save_progress(p)
"""


def test_kill_9_at_any_moment_of_a_save_leaves_a_whole_file(tmp_path: Path) -> None:
    """A process killed mid-save (kill -9: no handler runs) leaves the previous or the next file, whole."""
    import random
    import subprocess
    import sys
    import time

    progress, settings = tmp_path / "data" / "progress.json", tmp_path / "config" / "settings.json"
    rng = random.Random(1)
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(progress), str(settings)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.15))
        proc.kill()
        proc.wait()
        store = ProgressStore(progress, settings)
        loaded = store.load_progress()
        assert store.notices == [] and loaded.sentence == "猫" * 2000 and loaded.lesson.startswith("L")
