"""tutor/export.py: file names that never overwrite, CSV that Excel reads, JSON, and messages for folders that
refuse."""

from __future__ import annotations

import csv
import errno
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from tutor import export
from tutor.export import (
    ExportError,
    Numbers,
    attention_numbers,
    bars_numbers,
    base_name,
    map_numbers,
    write_view,
)

NOW = datetime(2025, 4, 1, 9, 30, 5)
NUMBERS = attention_numbers(["犬", "が", "走る"], ["a", "dog", "runs"],
                            [[0.7, 0.2, 0.1], [0.9, 0.05, 0.05], [0.0000381, 0.1, 0.8999619]], model="dot")


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_names_say_lesson_tab_page_and_time() -> None:
    assert base_name("L4", "demo", "att") == "L4-demo-att"
    assert base_name("L0", "prose") == "L0-prose"
    assert base_name("L2", "demo", "w2v map/../x") == "L2-demo-w2v-map-x"  # nothing that leaves the folder


def test_a_second_export_in_the_same_second_gets_a_new_name_and_keeps_the_first(tmp_path: Path) -> None:
    first = write_view(tmp_path, "L4-demo-att", "<svg>1</svg>", NUMBERS, NOW)
    second = write_view(tmp_path, "L4-demo-att", "<svg>2</svg>", NUMBERS, NOW)
    assert first.svg.name == "L4-demo-att-20250401-093005.svg"
    assert second.svg.name == "L4-demo-att-20250401-093005-2.svg"
    assert (first.svg.read_text(encoding="utf-8") == "<svg>1</svg>"
            and second.svg.read_text(encoding="utf-8") == "<svg>2</svg>")
    assert [p.suffix for p in second.numbers] == [".csv", ".json"]
    assert {p.stem for p in (second.svg, *second.numbers)} == {second.svg.stem}  # picture and numbers share a name


def test_a_name_taken_by_any_of_the_three_files_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "L2-demo-w2v-map-20250401-093005.json").write_text("someone else's", encoding="utf-8")
    written = write_view(tmp_path, "L2-demo-w2v-map", "<svg/>", NUMBERS, NOW)
    assert written.svg.stem == "L2-demo-w2v-map-20250401-093005-2"
    assert (tmp_path / "L2-demo-w2v-map-20250401-093005.json").read_text(encoding="utf-8") == "someone else's"


def test_picture_alone_when_the_page_has_no_numbers(tmp_path: Path) -> None:
    written = write_view(tmp_path / "new" / "exports", "L0-prose", "<svg/>", None, NOW)
    assert written.numbers == () and written.svg.is_file()
    assert sorted(p.name for p in written.svg.parent.iterdir()) == ["L0-prose-20250401-093005.svg"]


def test_csv_starts_with_a_bom_for_excel_and_json_has_none(tmp_path: Path) -> None:
    written = write_view(tmp_path, "L4-demo-att", "<svg/>", NUMBERS, NOW)
    csv_path, json_path = written.numbers
    assert csv_path.read_bytes().startswith("\ufeff".encode("utf-8"))
    assert csv_path.read_bytes().count(b"\r\n") == 4  # a header and three rows, Excel's line ends
    rows = read_csv(csv_path)
    assert rows[0] == ["output\\source", "犬", "が", "走る"]
    assert rows[3] == ["runs", "0.000038", "0.100000", "0.899962"]  # written out, not 3.81e-05
    assert not json_path.read_bytes().startswith(b"\xef\xbb\xbf")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["model"] == "dot" and data["source"] == ["犬", "が", "走る"] and data["target"] == ["a", "dog", "runs"]
    assert data["attention"][0] == [0.7, 0.2, 0.1]


def test_map_and_bars_tables() -> None:
    m = map_numbers(["犬", "先生"], ["動物", None], [[0.5, -1.25], [2.0, 0.0]], model="CBOW")
    assert m.header == ["word", "x", "y", "group"]
    assert m.rows == [["犬", 0.5, -1.25, "動物"], ["先生", 2.0, 0.0, export.OWN_GROUP]]
    b = bars_numbers([("犬", 0.5, 0.625, None), ("猫", 0.2, None, "top-k")], top_k=1)
    assert b.header == ["token", "probability", "kept", "probability_after_filtering", "removed_by"]
    assert b.rows == [["犬", 0.5, 1, 0.625, ""], ["猫", 0.2, 0, "", "top-k"]]
    assert b.data["tokens"][1] == {"token": "猫", "probability": 0.2, "kept": False,
                                   "probability_after_filtering": None, "removed_by": "top-k"}


def test_a_file_where_the_folder_should_be_is_a_japanese_message(tmp_path: Path) -> None:
    blocker = tmp_path / "exports"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        write_view(blocker, "L0-prose", "<svg/>", None, NOW)
    assert str(blocker) in str(caught.value) and "フォルダを作れませんでした" in str(caught.value)
    assert "同じ名前のファイルがあります" in str(caught.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_read_only_folder_is_a_japanese_message(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError) as caught:
            write_view(folder, "L4-demo-att", "<svg/>", NUMBERS, NOW)
    finally:
        folder.chmod(0o700)
    assert "書き込む権限がありません" in str(caught.value) and str(folder) in str(caught.value)
    assert not list(folder.iterdir())


def test_a_write_that_fails_halfway_leaves_no_half_file(tmp_path: Path, monkeypatch) -> None:
    """The disk fills while the CSV is written: the message says the picture is there, and no cut CSV stays."""
    real_open = open

    class FullDisk:
        def __init__(self, f) -> None:
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.f.close()

        def write(self, text: str) -> None:
            self.f.write(text[:3])
            raise OSError(errno.ENOSPC, "No space left on device")

    def opener(path, mode="r", **kwargs):
        f = real_open(path, mode, **kwargs)
        return FullDisk(f) if str(path).endswith(".csv") else f

    monkeypatch.setattr(export, "open", opener, raising=False)
    with pytest.raises(ExportError) as caught:
        write_view(tmp_path, "L6-demo-gpt-playground", "<svg/>", Numbers(["a"], [[1]], {}), NOW)
    assert "画像は書き出しましたが" in str(caught.value) and "ディスクの空きがありません" in str(caught.value)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".svg"]


def test_text_that_utf8_cannot_hold_is_replaced_not_a_crash(tmp_path: Path) -> None:
    numbers = map_numbers(["犬\ud800"], [None], [[0.0, 1.0]])  # a lone surrogate, as a broken paste may bring
    written = write_view(tmp_path, "L2-demo-w2v-map", "<svg/>", numbers, NOW)
    assert read_csv(written.numbers[0])[1][0] == "犬?"
