"""L5's first two demo pages: positional encoding and the Q/K/V walk-through.

The pure functions are checked against math.sin/cos and the lesson's hand
computation; the panels are mounted in the real app (in a small TabbedDemo of
their own, so no model is needed) and driven with knobs, buttons and keys, at
120×36 and at 80×24.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pytest
from rich.cells import cell_len
from textual.widgets import Button, Checkbox, Label, Select, Static, TabbedContent

import tutor.app as tutor_app
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos.legacy import DemoPanel, TabbedDemo
from tutor.demos.transformer_basics import (
    EXAMPLE_K,
    EXAMPLE_Q,
    EXAMPLE_TOKENS,
    EXAMPLE_V,
    PositionalPanel,
    QKVPanel,
    attend,
    positional_encoding,
    qkv_steps,
    similarity_to_first,
    wave_dims,
    wavelength,
)
from tutor.widgets.heatmap import Heatmap, SparkRows

# -- the pure functions -----------------------------------------------------------------------


@pytest.mark.parametrize("d_model", [4, 16, 64, 256])
def test_positional_encoding_follows_the_formula(d_model) -> None:
    pe = positional_encoding(60, d_model)
    assert pe.shape == (60, d_model)
    for pos in (0, 1, 2, 7, 33, 59):
        for dim in {0, 1, 2, 3, d_model // 2, d_model // 2 + 1, d_model - 2, d_model - 1}:
            i = dim // 2
            angle = pos / 10000 ** (2 * i / d_model)
            expected = math.sin(angle) if dim % 2 == 0 else math.cos(angle)
            assert pe[pos, dim] == pytest.approx(expected, abs=1e-12)
    assert np.all(np.abs(pe) <= 1.0)


def test_positional_encoding_matches_the_lesson_table() -> None:
    """The d_model = 4 table in lesson.md, section 2."""
    expected = [(0.000, 1.000, 0.000, 1.000), (0.841, 0.540, 0.010, 1.000),
                (0.909, -0.416, 0.020, 1.000), (0.141, -0.990, 0.030, 1.000)]
    assert np.round(positional_encoding(4, 4), 3).tolist() == [list(r) for r in expected]
    # Explicit positions give the same rows.
    assert np.allclose(positional_encoding([2, 3], 4), positional_encoding(4, 4)[2:])


def test_wavelengths_and_the_dimensions_drawn_as_waves() -> None:
    assert wavelength(0, 64) == pytest.approx(2 * math.pi)
    assert wavelength(1, 64) == pytest.approx(2 * math.pi)  # sin and cos of a pair share one
    assert wavelength(62, 64) == pytest.approx(2 * math.pi * 10000 ** (62 / 64))
    for d in (16, 32, 64, 128, 256):
        dims = wave_dims(d)
        assert dims[:2] == [0, 1] and dims[-1] == d - 2 and dims == sorted(set(dims))
        lengths = [wavelength(x, d) for x in dims]
        assert lengths == sorted(lengths)  # fast waves first, ever slower


def test_nearby_positions_are_more_similar() -> None:
    sims = dict(similarity_to_first(positional_encoding(20, 64)))
    assert set(sims) == {1, 5, 10}
    assert 1 > sims[1] > sims[5] > sims[10]
    assert [k for k, _ in similarity_to_first(positional_encoding(10, 64))] == [1, 5]


def test_attention_numbers_match_the_lesson() -> None:
    a = attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V)
    assert a.scores.tolist() == [6, 0, 2]  # 2*2 + 1*2, nothing, 1*2
    assert a.scale == 2 and a.scaled.tolist() == [3, 0, 1]
    assert a.total == pytest.approx(math.exp(3) + 1 + math.e)
    assert a.weights.sum() == pytest.approx(1.0)
    assert np.round(a.weights, 3).tolist() == [0.844, 0.042, 0.114]
    assert np.round(a.output, 3).tolist() == [0.844, 0.114]
    raw = attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, scale=False)
    assert raw.scale == 1 and raw.weights.sum() == pytest.approx(1.0)
    assert np.round(raw.weights, 3).tolist() == [0.980, 0.002, 0.018]


def test_steps_write_the_arithmetic_out() -> None:
    steps = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS)
    assert len(steps) == 5
    text = ["\n".join(s.lines) for s in steps]
    assert "(2, 1, 0, 1)" in text[0] and "(0, 2, 0, 0)" in text[0] and "(0, 1)" in text[0]
    assert "q·k_野球 = 2×2 + 1×0 + 0×0 + 1×2 = 6" in text[1]
    assert "q·k_得意 = 2×0 + 1×2 + 0×0 + 1×0 = 2" in text[1]
    assert "√d_k = √4 = 2" in text[2] and "6 ÷ 2 = 3" in text[2]
    assert "exp(3) = 20.086" in text[3] and "合計 = 23.804" in text[3]
    for w in ("0.844", "0.042", "0.114"):
        assert f"= {w}" in text[3]
    assert "重みの合計 = 1.000" in text[3]
    assert sorted(steps[3].bars.values()) == pytest.approx(sorted(attend(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V).weights))
    assert "0.844×(1, 0) + 0.042×(0, 0) + 0.114×(0, 1)" in text[4] and "(0.844, 0.114)" in text[4]
    raw = qkv_steps(EXAMPLE_Q, EXAMPLE_K, EXAMPLE_V, EXAMPLE_TOKENS, scale=False)
    assert "÷" not in "\n".join(raw[2].lines)
    assert "exp(6) = 403.429" in "\n".join(raw[3].lines) and "0.980" in raw[3].lines[-1 - 3]
    assert "(0.980, 0.018)" in "\n".join(raw[4].lines)


# -- the panels in the app --------------------------------------------------------------------


class BasicsDemo(TabbedDemo):
    """The two panels in a TabbedDemo of their own (the lesson's demo also has model pages)."""

    TABS_ID = "tb-tabs"
    TABS: ClassVar[dict[str, str]] = {"tb-position": "位置エンコーディング", "tb-qkv": "Q・K・V"}
    PANELS: ClassVar[dict[str, type[DemoPanel]]] = {"tb-position": PositionalPanel, "tb-qkv": QKVPanel}


@pytest.fixture
def app(paths, monkeypatch):
    original = tutor_app.demo_class
    monkeypatch.setattr(tutor_app, "demo_class", lambda name: BasicsDemo if name == "transformer" else original(name))
    return build_app(paths=paths, resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L5", "demo")
    await pilot.pause()
    pilot.app.query_one("#tb-tabs", TabbedContent).active = tab
    await pilot.pause()
    await pilot.pause()


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
        await open_tab(pilot, "tb-position")
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
        await pilot.pause()
        assert heatmap.values.shape == (20, 16)
        assert heatmap.shown_cols() == 16 and heatmap.layout_now()[1] > 1  # few columns: wider cells
        assert heatmap.caption() == "全 16 次元を表示"
        assert [row[0].split()[0] for row in waves.rows] == [str(d) for d in wave_dims(16)]

        app.query_one("#pe-d-model", Select).value = 256
        app.query_one("#pe-length", Select).value = 60
        await pilot.pause()
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
        await open_tab(pilot, "tb-position")
        app.query_one("#pe-d-model", Select).value = 128
        await pilot.pause()
        heatmap = app.query_one("#pe-heatmap", Heatmap)
        wide = heatmap.shown_cols()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert heatmap.shown_cols() < wide
        assert lines_fit(heatmap)
        assert f"先頭 {heatmap.shown_cols()} 次元" in heatmap.render().plain


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_qkv_steps_forward_and_back_with_buttons_and_keys(app, size) -> None:
    async with app.run_test(size=size) as pilot:
        await open_tab(pilot, "tb-qkv")
        panel = app.query_one(QKVPanel)
        steps = [app.query_one(f"#qkv-step-{n}", Static) for n in range(5)]

        def shown() -> list[bool]:
            return [s.display and s.styles.display != "none" and not s.has_class("-later") for s in steps]

        assert label(app, "#qkv-counter") == "手順 1 / 5"
        assert app.query_one("#qkv-prev", Button).disabled
        assert shown() == [True, False, False, False, False]
        assert steps[0].has_class("-current")
        assert "(2, 1, 0, 1)" in step_text(app, 0)

        await pilot.click("#qkv-next")
        await pilot.pause()
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
        await pilot.pause()
        assert panel.step == 0

        # The worked lines fit the panel: nothing is cropped or wrapped, even at 80 columns.
        panel.go(4)
        await pilot.pause()
        for box, step in zip(steps, panel.steps):
            room = box.content_size.width
            assert all(cell_len(line) <= room for line in step.lines), (room, step.title)


async def test_arrow_keys_belong_to_the_panel_only_while_it_has_focus(app) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tab(pilot, "tb-qkv")
        panel = app.query_one(QKVPanel)
        app.set_focus(None)
        await pilot.press("right")
        assert panel.step == 0
        panel.focus()
        await pilot.press("right")
        assert panel.step == 1
        await pilot.press("3")  # the app's own keys still work from the panel
        await pilot.pause()
        assert app.query_one("#lesson-tabs", TabbedContent).active == "tab-quiz"


async def test_not_dividing_by_sqrt_dk_sharpens_the_softmax(app) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await open_tab(pilot, "tb-qkv")
        panel = app.query_one(QKVPanel)
        panel.go(3)
        await pilot.pause()
        assert "0.844" in step_text(app, 3)
        app.query_one("#qkv-raw", Checkbox).value = True
        await pilot.pause()
        assert panel.step == 3  # the learner stays where they were
        softmax = step_text(app, 3)
        assert "403.429" in softmax and "0.980" in softmax and "0.002" in softmax and "0.018" in softmax
        assert "(0.844, 0.042, 0.114)" in softmax  # compared with the scaled weights
        assert "割らずに" in step_text(app, 2)
        app.query_one("#qkv-raw", Checkbox).value = False
        await pilot.pause()
        assert "0.844" in step_text(app, 3) and "√4 = 2" in step_text(app, 2)
