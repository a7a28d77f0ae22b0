"""L5's first two demo pages: positional encoding and the Q/K/V walk-through.

The numbers are checked against math.sin/cos and the lesson's hand computation
in tests/unit (test_positional.py, test_attention_steps.py); here the pages are
mounted in the real app (they need no model) and driven with knobs, buttons and
keys, at 120×36 and at 80×24.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from rich.cells import cell_len
from textual.widgets import Button, Checkbox, Label, Select, Static, TabbedContent

from pilot_helpers import settle
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.core.positional import positional_encoding, wave_dims
from tutor.demos.transformer.qkv import QKVPage
from tutor.widgets.heatmap import Heatmap, SparkRows

# -- the panels in the app --------------------------------------------------------------------


@pytest.fixture
def app(paths, tmp_path):
    # No model in the models folder: these two pages compute from formulas only.
    models = tmp_path / "no-models"
    models.mkdir()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L5", "demo")
    await settle(pilot)
    pilot.app.query_one("#demo-tabs", TabbedContent).active = tab
    await settle(pilot)


def label(app, selector: str) -> str:
    return str(app.query_one(selector, Label).render())


def step_text(app, n: int) -> str:
    group = app.query_one(f"#qkv-step-{n}", Static).content
    return "\n".join(part.plain for part in group.renderables)


def lines_fit(widget) -> bool:
    width = widget.content_size.width
    return all(cell_len(line.plain) <= width for line in widget.render().split("\n"))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_positional_heatmap_redraws_for_each_knob(app, size) -> None:
    async with app.run_test(size=size) as pilot:
        await open_tab(pilot, "tf-position")
        heatmap = app.query_one("#pe-heatmap", Heatmap)
        waves = app.query_one("#pe-waves", SparkRows)
        assert heatmap.values.shape == (20, 64)
        assert np.allclose(heatmap.values, positional_encoding(20, 64))
        assert heatmap.row_labels[0] == "0" and heatmap.row_labels[-1] == "19"
        assert [row[0].split()[0] for row in waves.rows] == [str(d) for d in wave_dims(64)]
        assert "sin" in waves.rows[0][0] and "6.3" in waves.rows[0][0]
        assert "0〜19" in str(app.query_one("#pe-waves-title", Static).render())
        assert "つ先" in str(app.query_one("#pe-note", Static).render())

        app.query_one("#pe-d-model", Select).value = 16
        await settle(pilot)
        assert heatmap.values.shape == (20, 16)
        assert heatmap.shown_cols() == 16 and heatmap.layout_now()[1] > 1  # few columns: wider cells
        assert heatmap.caption() == "全 16 次元を表示"
        assert [row[0].split()[0] for row in waves.rows] == [str(d) for d in wave_dims(16)]

        app.query_one("#pe-d-model", Select).value = 256
        app.query_one("#pe-length", Select).value = 60
        await settle(pilot)
        assert heatmap.values.shape == (60, 256)
        shown = heatmap.shown_cols()
        assert 0 < shown < 256
        assert f"256 次元のうち先頭 {shown} 次元" in heatmap.caption()
        assert heatmap.get_content_height(None, None, 0) == 62  # header, 60 positions, caption
        assert len(waves.rows[0][1]) == 60 and "0〜59" in str(app.query_one("#pe-waves-title", Static).render())
        # Nothing wraps: every drawn row fits the widget.
        assert lines_fit(heatmap) and lines_fit(waves)
        if size[0] == 80:
            assert waves.shown() < 60 and "60 位置のうち先頭" in waves.render().plain


async def test_positional_panel_follows_the_terminal_width(app) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tab(pilot, "tf-position")
        app.query_one("#pe-d-model", Select).value = 128
        await settle(pilot)
        heatmap = app.query_one("#pe-heatmap", Heatmap)
        wide = heatmap.shown_cols()
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert heatmap.shown_cols() < wide
        assert lines_fit(heatmap)
        assert f"先頭 {heatmap.shown_cols()} 次元" in heatmap.render().plain


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_qkv_steps_forward_and_back_with_buttons_and_keys(app, size) -> None:
    async with app.run_test(size=size) as pilot:
        await open_tab(pilot, "tf-qkv")
        panel = app.query_one(QKVPage)
        steps = [app.query_one(f"#qkv-step-{n}", Static) for n in range(5)]

        def shown() -> list[bool]:
            return [s.display and s.styles.display != "none" and not s.has_class("-later") for s in steps]

        assert label(app, "#qkv-counter") == "手順 1 / 5"
        assert app.query_one("#qkv-prev", Button).disabled
        assert shown() == [True, False, False, False, False]
        assert steps[0].has_class("-current")
        assert "(2, 1, 0, 1)" in step_text(app, 0)

        await pilot.click("#qkv-next")
        await settle(pilot)
        assert panel.step == 1 and label(app, "#qkv-counter") == "手順 2 / 5"
        assert shown() == [True, True, False, False, False]  # earlier steps stay on screen
        assert steps[1].has_class("-current") and not steps[0].has_class("-current")
        assert "= 6" in step_text(app, 1)

        panel.focus()
        await pilot.press("right", "right")
        assert panel.step == 3 and "0.844" in step_text(app, 3)
        await pilot.press("left")
        assert panel.step == 2 and label(app, "#qkv-counter") == "手順 3 / 5"
        assert steps[2].has_class("-current") and not steps[3].has_class("-current")

        # Bounds: never past the last step, never before the first.
        await pilot.press(*["right"] * 8)
        assert panel.step == 4 and label(app, "#qkv-counter") == "手順 5 / 5"
        assert app.query_one("#qkv-next", Button).disabled and all(shown())
        assert "(0.844, 0.114)" in step_text(app, 4)
        await pilot.press(*["left"] * 8)
        assert panel.step == 0 and app.query_one("#qkv-prev", Button).disabled
        await pilot.click("#qkv-prev")  # disabled: nothing happens
        await settle(pilot)
        assert panel.step == 0

        # The worked lines fit the panel: nothing is cropped or wrapped, even at 80 columns.
        panel.go(4)
        await settle(pilot)
        for box, step in zip(steps, panel.steps):
            room = box.content_size.width
            assert all(cell_len(line) <= room for line in step.lines), (room, step.title)


async def test_arrow_keys_belong_to_the_panel_only_while_it_has_focus(app) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tab(pilot, "tf-qkv")
        panel = app.query_one(QKVPage)
        app.set_focus(None)
        await pilot.press("right")
        assert panel.step == 0
        panel.focus()
        await pilot.press("right")
        assert panel.step == 1
        await pilot.press("3")  # the app's own keys still work from the panel
        await settle(pilot)
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-quiz"


async def test_not_dividing_by_sqrt_dk_sharpens_the_softmax(app) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tab(pilot, "tf-qkv")
        panel = app.query_one(QKVPage)
        panel.go(3)
        await settle(pilot)
        assert "0.844" in step_text(app, 3)
        app.query_one("#qkv-raw", Checkbox).value = True
        await settle(pilot)
        assert panel.step == 3  # the learner stays where they were
        softmax = step_text(app, 3)
        assert "403.429" in softmax and "0.980" in softmax and "0.002" in softmax and "0.018" in softmax
        assert "(0.844, 0.042, 0.114)" in softmax  # compared with the scaled weights
        assert "割らずに" in step_text(app, 2)
        app.query_one("#qkv-raw", Checkbox).value = False
        await settle(pilot)
        assert "0.844" in step_text(app, 3) and "√4 = 2" in step_text(app, 2)
