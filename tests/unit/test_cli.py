"""The `tutor` command line: output shapes, stdin, errors on stderr with exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from tutor import __version__
from tutor.__main__ import main
from tutor.core import device


class FakeStdin(io.TextIOWrapper):
    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")

    def isatty(self) -> bool:
        return False


def run(capsys, argv, paths, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin))
    code = main(argv, paths=paths)
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_json_shape(capsys, paths) -> None:
    code, out, err = run(capsys, ["analyze", "猫が好き", "--json"], paths)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data == {
        "tokens": [
            {"surface": "猫", "pos": ["名詞", "普通名詞", "一般"], "lemma": "猫", "reading": "ネコ"},
            {"surface": "が", "pos": ["助詞", "格助詞"], "lemma": "が", "reading": "ガ"},
            {"surface": "好き", "pos": ["形状詞", "一般"], "lemma": "好き", "reading": "スキ"},
        ],
        "truncated": False,
    }


def test_analyze_plain_table_is_aligned(capsys, paths) -> None:
    code, out, _ = run(capsys, ["analyze", "パンを食べた"], paths)
    lines = out.splitlines()
    assert lines[0].split() == ["表層形", "品詞", "原形", "読み"]
    assert any(line.split()[:3] == ["食べ", "動詞-一般", "食べる"] for line in lines)


def test_analyze_reads_each_stdin_line(capsys, paths, monkeypatch) -> None:
    code, out, _ = run(capsys, ["analyze", "--json"], paths, "犬\n\n猫が鳴く\n".encode(), monkeypatch)
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == 3
    assert [t["surface"] for t in objs[0]["tokens"]] == ["犬"]
    assert objs[1] == {"tokens": [], "truncated": False}
    assert [t["surface"] for t in objs[2]["tokens"]] == ["猫", "が", "鳴く"]


def test_undecodable_stdin_bytes_are_replaced(capsys, paths, monkeypatch) -> None:
    code, out, _ = run(capsys, ["analyze", "--json"], paths, b"\xff\xfe\xe7\x8c\xab\n", monkeypatch)
    assert code == 0
    assert "猫" in "".join(t["surface"] for t in json.loads(out)["tokens"])


def test_long_input_is_cut_with_a_notice_on_stderr(capsys, paths) -> None:
    code, out, err = run(capsys, ["analyze", "--json", "あ" * 100_000], paths)
    assert code == 0 and json.loads(out)["truncated"] is True
    assert "2,000" in err


@pytest.mark.parametrize("raw", ["\x00猫\x1b[2J", "[@click=app.quit]x[/]", "ﾊﾝｶｸ", "🍣🍣", "hello"])
def test_bad_input_gives_a_table_not_a_crash(capsys, paths, raw) -> None:
    code, out, _ = run(capsys, ["analyze", raw], paths)
    assert code == 0 and "表層形" in out
    assert "\x1b" not in out and "\x00" not in out


def test_empty_text_is_a_usage_error(capsys, paths) -> None:
    code, out, err = run(capsys, ["analyze", "  "], paths)
    assert code == 2 and out == "" and "空" in err


def test_onehot_json(capsys, paths) -> None:
    code, out, _ = run(capsys, ["onehot", "すもももももももものうち", "--json"], paths)
    data = json.loads(out)
    assert [v["word"] for v in data["vocab"]] == ["すもも", "も", "もも", "の", "うち"]
    assert data["vectors"][3] == [0, 1, 0, 0, 0]
    assert data["dim"] == 5 and abs(data["distance_between_different_words"] - 2**0.5) < 1e-9


def test_onehot_plain(capsys, paths) -> None:
    code, out, _ = run(capsys, ["onehot", "すもももももももものうち"], paths)
    assert "語彙数 (= ベクトルの次元): 5" in out and "√2" in out


def test_version(capsys, paths) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"], paths=paths)
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"tutor {__version__}"


def test_unknown_device_is_rejected(capsys, paths) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--device", "tpu", "device"], paths=paths)
    assert exit_.value.code == 2
    assert "tpu" in capsys.readouterr().err


def test_cuda_without_a_gpu_falls_back_with_a_notice(capsys, paths, monkeypatch) -> None:
    monkeypatch.setattr(device, "_cuda_name", lambda: None)
    code, out, err = run(capsys, ["--device", "cuda", "device", "--json"], paths)
    assert code == 0
    assert json.loads(out) == {"requested": "cuda", "device": "cpu", "name": "CPU",
                               "notice": device.resolve("cuda").notice}
    assert "GPU" in err


def test_device_resolution_rules() -> None:
    gpu = lambda: "Fake GPU"  # noqa: E731
    none = lambda: None  # noqa: E731
    assert device.resolve("auto", cuda_name=gpu).device == "cuda"
    assert device.resolve("auto", cuda_name=none).device == "cpu" and not device.resolve("auto", cuda_name=none).notice
    assert device.resolve("cpu", cuda_name=gpu).device == "cpu"
    assert device.resolve("cuda", cuda_name=none).notice
    with pytest.raises(ValueError):
        device.resolve("tpu")


def test_data_path_lists_where_it_looks(capsys, paths, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "corpus"))
    code, out, _ = run(capsys, ["data", "path"], paths)
    assert code == 0 and str(tmp_path / "corpus") in out and str(paths.corpus_dir) in out


def test_data_download_failure_is_an_error_exit(capsys, paths) -> None:
    code, out, err = run(capsys, ["data", "download", "--url", "http://127.0.0.1:9/none.zip"], paths)
    assert code == 1 and "ダウンロードに失敗しました" in err
    assert not paths.corpus_dir.exists()


def test_python_dash_m_and_broken_pipe() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m tutor analyze 'すもももももももものうち' | head -1",
        shell=True, capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout.split() == ["表層形", "品詞", "原形", "読み"]
    assert "Traceback" not in proc.stderr


def test_reset_progress_clears_progress_then_starts_the_app(capsys, paths, monkeypatch) -> None:
    from tutor import app as app_module, process
    from tutor.curriculum.progress import Progress, ProgressStore, Settings

    store = ProgressStore(paths.progress_file, paths.settings_file)
    store.save_progress(Progress(lesson="L1", sentence="猫"))
    store.save_settings(Settings(device="cpu"))
    started = []

    class FakeApp:
        return_code = 0

    # run_app ends the process (tutor/process.py; tests/journeys/test_ending.py runs it for real)
    monkeypatch.setattr(app_module, "build_app", lambda paths, device: FakeApp())
    monkeypatch.setattr(process, "run_app", lambda app: started.append(True) or app.return_code)
    code, _, err = run(capsys, ["--reset-progress"], paths)
    assert code == 0 and started == [True]
    assert not paths.progress_file.exists() and paths.settings_file.exists()
    assert "進捗を消去しました" in err
