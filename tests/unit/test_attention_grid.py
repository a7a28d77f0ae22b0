"""The attention grid's columns by terminal cells: every header sits over its own column (issue 14, case 6)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tutor.widgets.attention_grid import ROW_LABEL, column_width, header_cell, header_line, weight_cell


def cells_of(line: str, start: int, stop: int) -> str:
    """The characters of ``line`` that occupy terminal cells [start, stop)."""
    out, x = "", 0
    for ch in line:
        w = cell_len(ch)
        if x >= start and x + w <= stop:
            out += ch
        x += w
    return out


def spans(source: list[str]) -> list[tuple[int, int]]:
    x, out = ROW_LABEL + 1, []
    for tok in source:
        out.append((x, x + column_width(tok)))
        x += column_width(tok) + 1
    return out


@pytest.mark.parametrize("source", [["犬"], ["私", "は", "毎朝", "犬", "。"], ["the", "犬", "散歩", "a"],
                                    ["ネットワーク", "犬"]])
def test_each_header_ends_where_its_weights_end(source) -> None:
    line = header_line(source)
    for tok, (start, stop) in zip(source, spans(source)):
        shown = cells_of(line, start, stop).strip()
        assert shown and (tok.startswith(shown) or shown.endswith("…")), (tok, shown)
        # right-aligned, as the numbers are: the header's last cell is the column's last cell
        assert cells_of(line, stop - 1, stop).strip() or cell_len(cells_of(line, stop - 2, stop)) == 2
        assert cells_of(line, stop, stop + 1) == " "


def test_a_one_character_header_sits_over_its_column() -> None:
    """A 2-cell header in a 3-cell column: over the last two cells, where a weight's digits are."""
    assert column_width("犬") == 3
    assert header_cell("犬", 3) == " 犬"
    assert weight_cell(0.05, 3) == "  5" and weight_cell(1.0, 3) == "100"
    line = header_line(["犬", "は"])
    assert cells_of(line, ROW_LABEL + 1, ROW_LABEL + 4) == " 犬"
    assert cells_of(line, ROW_LABEL + 5, ROW_LABEL + 8) == " は"
    assert cell_len(line) == ROW_LABEL + 1 + 2 * 4


def test_long_headers_are_cut_to_their_column() -> None:
    assert cell_len(header_cell("ネットワーク", 6)) == 6 and header_cell("ネットワーク", 6).endswith("…")
    assert header_cell("the", 3) == "the"
