"""The x key (issue 19): the view as SVG, and L4's grid, L2's map and L6's bars as CSV / JSON beside it.

The numbers in the files are checked against the models themselves, computed here again.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_attention_demo import finish, make as make_l4, open_demo, tiny_models  # noqa: F401 - a fixture
from test_gpt_demo import SENTENCE, l6_models, make as make_l6, open_tab  # noqa: F401 - a fixture
from textual.widgets import Input, Select, TabbedContent

from pilot_helpers import settle
from tutor.dialogs.palette import app_commands
from tutor.widgets.attention_grid import AttentionGrid
from tutor.widgets.slider import Slider

SIZE = (120, 36)


def exports(app) -> list[Path]:
    folder = app.paths.exports_dir
    return sorted(folder.iterdir()) if folder.is_dir() else []


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs (tutor/export.py)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]  # kept even when the test app draws no toasts


async def press_export(pilot) -> None:
    await pilot.press("x")
    await pilot.pause()
    await pilot.pause()


async def test_x_on_the_attention_grid_writes_the_picture_and_the_matrix(paths, tiny_models) -> None:  # noqa: F811 - the fixture
    from tutor.core.translator import load

    app = make_l4(paths, tiny_models)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_demo(pilot)
        page.query_one("#att-beam", Select).value = 1
        await finish(pilot)
        assert isinstance(app.focused, Select)  # the model select has the keys: not a text field
        await press_export(pilot)
        files = exports(app)
        assert [p.suffix for p in files] == [".csv", ".json", ".svg"]
        csv_path, json_path, svg_path = files
        assert svg_path.name.startswith("L4-demo-att-") and csv_path.stem == svg_path.stem == json_path.stem
        # The notice names the file with its full path (folder and name on lines of their own).
        assert str(svg_path.parent) in notices(app)[-1] and svg_path.name in notices(app)[-1]
        assert ".csv と .json" in notices(app)[-1]

        grid = page.query_one("#att-grid", AttentionGrid)
        svg = svg_path.read_text(encoding="utf-8")
        assert "<svg" in svg and "L4&#160;アテンション付き" in svg  # the page's text, spaces as rich writes them
        assert all(tok in svg for tok in grid.source) and all(tok in svg for tok in grid.targets)

        # The matrix: source tokens across, output words down, the model's own weights.
        sentence = page.query_one("#att-input", Input).value
        expected = load(tiny_models / "seq2seq-general").translate(sentence, beam=1)
        rows = read_csv(csv_path)
        assert rows[0] == ["output\\source", *expected.source]
        assert [r[0] for r in rows[1:]] == expected.target
        for row, weights in zip(rows[1:], expected.attention):
            assert [float(x) for x in row[1:]] == pytest.approx(weights, abs=1e-6)
        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert data["source"] == expected.source and data["target"] == expected.target
        assert (data["model"] == "general" and data["beam"] == 1 and data["mode"] == "soft"
                and data["sentence"] == sentence)

        # In the sentence field x is a letter: typed, nothing written.
        box = page.query_one("#att-input", Input)
        box.focus()
        await press_export(pilot)
        assert box.value.endswith("x") and len(exports(app)) == 3
        # Esc, then x again: a second export, under a name of its own.
        await pilot.press("escape")
        await finish(pilot)
        await press_export(pilot)
        assert len(exports(app)) == 6 and svg_path.read_text(encoding="utf-8") == svg


async def test_x_on_the_pca_map_writes_every_word_with_its_coordinates(make_app) -> None:
    from tutor.core.word2vec import load_bundled
    from tutor.core.word2vec_explore import map_layout
    from tutor.demos.word2vec.map import GROUPS, MapPage
    from tutor.settings import PROJECT_ROOT

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("L2", "demo")
        await settle(pilot, 0)
        app.query_one("#w2v-tabs", TabbedContent).active = "w2v-map"
        await settle(pilot)
        page = app.query_one(MapPage)
        page.query_one("#map-model", Select).value = "skipgram"
        page.query_one("#map-own", Input).value = "先生 学生"
        await settle(pilot)
        page.query_one("#map-model", Select).focus()
        await press_export(pilot)
        csv_path, json_path, svg_path = exports(app)
        assert svg_path.name.startswith("L2-demo-w2v-map-")
        assert "地図" in svg_path.read_text(encoding="utf-8")

        own = page.own_words()
        expected = map_layout(load_bundled(PROJECT_ROOT / "models", "skipgram"),
                              {name: members for name, (members, _) in GROUPS.items()}, own)
        rows = read_csv(csv_path)
        assert rows[0] == ["word", "x", "y", "group"]
        assert [r[0] for r in rows[1:]] == list(expected.words)
        got = [float(v) for r in rows[1:] for v in r[1:3]]
        assert got == pytest.approx(expected.coords.ravel().tolist(), abs=1e-6)
        groups = {r[0]: r[3] for r in rows[1:]}
        assert groups["父"] == "家族" and groups["先生"] == "あなたの語"
        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert data["model"] == "skip-gram" and data["variance_share"] == pytest.approx(list(expected.shares), abs=1e-6)
        assert len(data["points"]) == len(expected.words)


async def test_x_on_the_sampling_bars_writes_what_each_filter_kept(paths, l6_models) -> None:  # noqa: F811 - the fixture
    import torch

    from tutor.core.gpt_lm import load

    app = make_l6(paths, l6_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "gpt-playground")
        app.query_one("#pg-top-k", Slider).value = 3
        await settle(pilot)
        app.query_one("#pg-top-k", Slider).focus()  # a slider has the keys: x still exports
        await press_export(pilot)
        csv_path, json_path, svg_path = exports(app)
        assert svg_path.name.startswith("L6-demo-gpt-playground-")
        rows = read_csv(csv_path)
        assert rows[0] == ["token", "probability", "kept", "probability_after_filtering", "removed_by"]
        body = rows[1:]
        assert sum(r[2] == "1" for r in body) == 3  # top-k 3
        assert all(r[4] == "top-k" and r[3] == "" for r in body if r[2] == "0")
        assert sum(float(r[3]) for r in body if r[2] == "1") == pytest.approx(1.0, abs=1e-5)

        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert data["top_k"] == 3 and data["kept"] == 3
        lm = load(l6_models / "gpt")
        probs = torch.softmax(lm.next_logits(data["prompt"]).float(), -1)
        for token, p, *_ in body:  # the model's own probability of each listed token
            assert float(p) == pytest.approx(float(probs[lm.vocab.tokens.index(token)]), abs=2e-6)
        ordered = [float(r[1]) for r in body]
        assert ordered == sorted(ordered, reverse=True)


async def test_the_palette_command_exports_and_a_blocked_folder_is_a_message(make_app, paths) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause(0.3)
        commands = {c.title: c for c in app_commands(app)}
        command = commands["画面を書き出す（SVG 画像）"]
        app.notify("あなたの文を設定しました。")  # a notice on screen is not part of the picture
        await pilot.pause()
        command.callback()
        await pilot.pause()
        await pilot.pause()
        (svg_path,) = exports(app)  # the 説明 tab: the picture alone
        assert svg_path.name.startswith("L0-prose-")
        svg = svg_path.read_text(encoding="utf-8")
        assert "L0&#160;はじめに" in svg and "あなたの文を設定しました" not in svg

        # exports/ is taken by a file: a message in Japanese that names it, and the app goes on.
        for p in exports(app):
            p.unlink()
        paths.exports_dir.rmdir()
        paths.exports_dir.write_text("a file, not a folder", encoding="utf-8")
        await press_export(pilot)
        message = list(app._notifications)[-1]
        assert message.severity == "error" and "フォルダを作れませんでした" in message.message
        assert str(paths.exports_dir) in message.message
        assert app.is_running


async def test_the_footer_shows_x_where_q_still_fits_and_the_key_works_at_every_width(make_app) -> None:
    from textual.widgets._footer import FooterKey

    from tutor.widgets.footer import SETTLE, KeyFooter

    def footer_actions(app) -> list[str]:
        return [k.action for k in app.query_one(KeyFooter).query(FooterKey)]

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")  # the 実験 tab: the fullest footer
        await settle(pilot, SETTLE + 0.2)
        assert "export_view" not in footer_actions(app) and "quit" in footer_actions(app)
        await press_export(pilot)
        assert len(exports(app)) == 1  # not in the footer, still at work (the help lists it)
        await pilot.resize_terminal(120, 36)
        await settle(pilot, SETTLE + 0.2)
        actions = footer_actions(app)
        assert "export_view" in actions and actions.index("export_view") < actions.index("quit")
