"""`tutor exercise`: list, start, check (text and JSON), hint, solution after a pass or a recorded give-up."""

import json
import shutil

import pytest

from tutor.__main__ import main
from tutor.curriculum.progress import ProgressStore
from tutor.exercises import registry
from tutor.settings import PROJECT_ROOT, Paths

SOLUTION = PROJECT_ROOT / "lessons/01-morphology/exercises/onehot/solution.py"


@pytest.fixture
def paths(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_EXERCISES_DIR", raising=False)
    return Paths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")


def run(paths, *argv):
    return main(["exercise", *argv], paths=paths)


def progress(paths):
    return ProgressStore(paths.progress_file, paths.settings_file).load_progress()


def test_list_names_every_exercise_with_its_lesson(paths, capsys):
    assert run(paths, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [e.id for e in registry.exercises()]
    assert all(r["status"] == "not_started" and r["lesson"].startswith("L") for r in rows)


def test_start_writes_the_starter_once_and_never_overwrites(paths, capsys):
    assert run(paths, "start", "onehot") == 0
    path = paths.data_dir / "exercises" / "onehot.py"
    assert capsys.readouterr().out.strip() == str(path)
    assert '"""演習 onehot' in path.read_text(encoding="utf-8")
    path.write_text("# my work\n", encoding="utf-8")
    assert run(paths, "start", "onehot") == 0
    assert "上書きしません" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "# my work\n"


def test_dir_option_and_environment_variable_choose_the_workspace(paths, tmp_path, capsys, monkeypatch):
    assert run(paths, "start", "onehot", "--dir", str(tmp_path / "mine")) == 0
    assert (tmp_path / "mine" / "onehot.py").exists()
    monkeypatch.setenv("TUTOR_EXERCISES_DIR", str(tmp_path / "env"))
    assert run(paths, "start", "onehot") == 0
    assert (tmp_path / "env" / "onehot.py").exists()


def test_check_fails_on_the_starter_and_passes_on_a_solution_which_is_recorded(paths, capsys):
    run(paths, "start", "onehot")
    capsys.readouterr()
    assert run(paths, "check", "onehot", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["id"] == "onehot" and report["passed"] is False
    assert report["failures"] and {"case", "message"} <= set(report["failures"][0])
    assert not progress(paths).exercise("L1", "onehot").passed

    shutil.copy(SOLUTION, paths.data_dir / "exercises" / "onehot.py")
    assert run(paths, "check", "onehot") == 0
    out = capsys.readouterr().out
    assert "合格です" in out and "✗" not in out
    assert progress(paths).exercise("L1", "onehot").passed


def test_check_with_file_option_and_missing_file(paths, tmp_path, capsys):
    assert run(paths, "check", "onehot", "--file", str(SOLUTION), "--json") == 0
    assert json.loads(capsys.readouterr().out)["passed"] is True
    assert run(paths, "check", "onehot") == 1
    assert "tutor exercise start onehot" in capsys.readouterr().err
    assert run(paths, "check", "onehot", "--file", str(tmp_path / "nope.py"), "--json") == 1
    assert "ファイルがありません" in json.loads(capsys.readouterr().out)["failures"][0]["message"]


def test_solution_needs_a_pass_or_a_recorded_give_up(paths, capsys):
    assert run(paths, "solution", "onehot") == 1
    assert "--give-up" in capsys.readouterr().err
    assert run(paths, "solution", "onehot", "--give-up") == 0
    assert "def onehot" in capsys.readouterr().out
    assert progress(paths).exercise("L1", "onehot").gave_up
    assert run(paths, "solution", "onehot") == 0  # once given up, it stays shown


def test_hint_and_unknown_id(paths, capsys):
    assert run(paths, "hint", "onehot") == 0
    assert capsys.readouterr().out.strip()
    assert run(paths, "check", "no-such") == 2
    assert "onehot" in capsys.readouterr().err
