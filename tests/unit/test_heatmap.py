"""The heatmap's layout arithmetic and the sparkline glyphs."""

from __future__ import annotations

import pytest

from tutor.widgets.heatmap import LEVELS, fit_columns, sparkline, tick_step


def test_fit_columns_widens_few_columns_and_cuts_many() -> None:
    # 16 columns in 80 cells with a 3-cell label: room for 76, at most 3 cells a column.
    assert fit_columns(16, 80, 3) == (16, 3)
    assert fit_columns(30, 80, 3) == (30, 2)
    assert fit_columns(64, 80, 3) == (64, 1)
    assert fit_columns(256, 80, 3) == (76, 1)
    assert fit_columns(256, 80, 3, max_cell=1) == (76, 1)
    assert fit_columns(0, 80, 3) == (0, 1)
    assert fit_columns(10, 4, 3) == (0, 1)  # no room at all


@pytest.mark.parametrize("total", [1, 16, 64, 256])
@pytest.mark.parametrize("width", [10, 40, 58, 90])
def test_what_is_shown_always_fits(total, width) -> None:
    shown, cell = fit_columns(total, width, 3)
    assert 0 <= shown <= total and cell >= 1
    assert 3 + 1 + shown * cell <= width or shown == 0


def test_ticks_leave_room_for_three_digits() -> None:
    assert tick_step(1) == 8 and tick_step(2) == 4 and tick_step(3) == 2 and tick_step(5) == 1


def test_sparkline_maps_the_range_to_eight_heights() -> None:
    assert sparkline([-1, 1]) == "▁█"
    assert sparkline([-5, 5]) == "▁█"  # clamped
    assert len(sparkline([0.0] * 7)) == 7 and set(sparkline([0.0])) <= set(LEVELS)
    assert sparkline([0, 0.5, 1], lo=0, hi=1) == "▁▅█"
    assert sparkline([]) == ""


def test_tick_header_puts_each_number_at_its_column_start() -> None:
    from tutor.widgets.heatmap import tick_header

    assert tick_header(8, 2, 4) == "0       4       "
    assert tick_header(3, 1, 1) == "012"
    line = tick_header(12, 1, 8)  # "8" at cell 8; nothing spills past the last column
    assert line == "0       8   " and len(line) == 12
    assert tick_header(11, 1, 2)[10] == " "  # "10" would run past 11 cells: left out
