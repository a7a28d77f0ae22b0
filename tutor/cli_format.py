"""Plain-text tables for the CLI, aligned by terminal cells (Japanese is two cells wide)."""

from __future__ import annotations

from rich.cells import cell_len


def _safe(cell: str) -> str:
    # Output goes to terminals: never let text carry escape sequences through.
    return "".join(ch if ch.isprintable() else "?" for ch in cell)


def table(headers: list[str], rows: list[list[str]]) -> str:
    cells = [[_safe(c) for c in headers]] + [[_safe(c) for c in row] for row in rows]
    widths = [max(cell_len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(row, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])
