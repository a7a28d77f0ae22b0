"""L7's token rows (tutor.demos.bert.rows): wrapped between tokens only, never inside one (issue 14, case 6)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console

from tutor.demos.bert.rows import aligned_rows, lines_of, token_row

TOKENS = ["[CLS]", "友達", "に", "会い", "に", "行く", "ため", "に", "、",
          "朝", "早く", "起き", "て", "会い", "まし", "た", "。", "[SEP]"]


def test_lines_hold_whole_items_within_the_width() -> None:
    widths = [cell_len(t) for t in TOKENS]
    for width in range(6, 60):
        lines = lines_of(widths, width, indent=4)
        assert [i for line in lines for i in line] == list(range(len(TOKENS)))
        for n, line in enumerate(lines):
            used = (4 if n == 0 else 0) + sum(widths[i] for i in line) + len(line) - 1
            assert used <= width or len(line) == 1, (width, n)


def test_an_item_wider_than_the_line_gets_a_line_of_its_own() -> None:
    assert lines_of([3, 10, 2], 5) == [[0], [1], [2]]
    assert lines_of([4], 5, indent=3) == [[], [0]]  # no room after the label: the item starts the next line
    assert lines_of([4, 4, 4], 10, indent=6, hang=6) == [[0], [1], [2]]  # later lines start under the first item


def test_the_token_row_never_breaks_inside_a_token() -> None:
    items = [(t, "") for t in TOKENS]
    for width in range(16, 80):  # from just wider than the label
        text = token_row("BERT が読む文: ", items, width)
        lines = text.plain.split("\n")
        assert all(cell_len(line) <= width for line in lines), width
        words = " ".join(lines).replace("BERT が読む文: ", "").split()
        assert words == TOKENS, width  # 「会い」 never becomes 「会」 + 「い」
        assert len(text.wrap(Console(width=width), width)) == len(lines)


def test_a_row_without_gaps_still_wraps_between_tokens() -> None:
    items = [(t, "") for t in ["犬", "が", "会い", "に", "＿＿", "来", "た", "。"]]
    for width in range(14, 30):
        lines = token_row("GPT が見る:  ", items, width, gap="").plain.split("\n")
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "").replace("GPTが見る:", "") == "犬が会いに＿＿来た。"
        assert not any(line.rstrip().endswith("会") for line in lines)


def test_aligned_rows_move_whole_columns_and_stay_aligned() -> None:
    columns = [[(t, ""), ("[MASK]" if i % 3 == 0 else t, ""), (t if i % 3 == 0 else "", "")]
               for i, t in enumerate(TOKENS)]
    for width in (30, 50, 120):
        blocks = aligned_rows(("もとの文", "モデルが読む", "当てる語"), columns, width, 13).plain.split("\n\n")
        seen = []
        for block in blocks:
            rows = block.split("\n")
            assert len(rows) == 3
            assert len({cell_len(r) for r in rows}) == 1 and all(cell_len(r) <= width for r in rows)
            seen += rows[0].split()[1:]
        assert seen == TOKENS
