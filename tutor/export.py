"""Writing out what the learner sees: a picture (SVG) of the screen and, for the pages that draw
numbers (L4's attention grid, L2's PCA map, L6's sampling bars), those numbers as CSV and JSON.

This module knows files and plain data only (no textual): the app's key lives in
:mod:`tutor.export_control`, the CLI's pictures in :mod:`tutor.cli_pictures`.

- Files go to one folder (``Paths.exports_dir``) under names made of the lesson, the
  tab, the page and a timestamp; an existing file is never overwritten (a second
  export in the same second gets ``-2``), and the picture and its numbers share a stem.
- CSV is UTF-8 *with* a BOM, JSON without one (see :func:`write_csv`, :func:`write_json`).
- Numbers are rounded to 6 decimals, as ``tutor translate --json`` prints them.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

#: The timestamp in file names: sorts by time, and has no ':' (Windows refuses it in names).
STAMP = "%Y%m%d-%H%M%S"
#: Names tried in one second before giving up; no learner exports this often.
MAX_TRIES = 1000
#: Decimals kept in CSV and JSON.
DECIMALS = 6
#: The group of a word the learner typed on the L2 map (the map's legend says the same).
OWN_GROUP = "あなたの語"


@dataclass(frozen=True)
class Numbers:
    """What a page draws, as numbers: one table for CSV and the same with its context for JSON."""

    header: list[str]
    rows: list[list[Any]]
    data: dict[str, Any]


@dataclass(frozen=True)
class Written:
    """The files one export made."""

    svg: Path
    numbers: tuple[Path, ...] = ()


class ExportError(Exception):
    """A file that could not be written: the message says which and why, in Japanese."""


def reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Japanese (``strerror`` is English on most systems)."""
    why = {
        errno.EACCES: "書き込む権限がありません",
        errno.EPERM: "書き込む権限がありません",
        errno.EROFS: "読み取り専用の場所です",
        errno.ENOSPC: "ディスクの空きがありません",
        errno.EEXIST: "同じ名前のファイルがあります",
        errno.ENOTDIR: "途中にフォルダではなくファイルがあります",
        errno.EISDIR: "同じ名前のフォルダがあります",
        errno.ENAMETOOLONG: "名前が長すぎます",
    }.get(exc.errno or 0)
    return why or exc.strerror or str(exc)


def _name_part(text: str) -> str:
    """``text`` safe in a file name on every system: letters, digits, '-' and '_' (ids are ASCII anyway)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "view"


def base_name(lesson_id: str, tab: str, page: str | None = None) -> str:
    """``L4-demo-att``: what the file shows, before the timestamp."""
    return "-".join(_name_part(p) for p in (lesson_id, tab, page) if p)


def _create(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to a new file; FileExistsError if ``path`` is taken (mode "x": never overwrite,
    even when another export takes the name between our check and our write). A file cut short by a
    full disk is removed rather than left half-written."""
    # errors="replace": a lone surrogate (a broken paste) becomes "?" instead of failing the export.
    f = open(path, "x", encoding=encoding, errors="replace", newline="")  # noqa: SIM115 - closed below, unlinked on failure
    try:
        with f:  # a full disk may show only when the buffer is flushed, at close
            f.write(text)
    except OSError:
        path.unlink(missing_ok=True)
        raise


def _cell(value: Any) -> Any:
    """A float written out in full (0.000038, not 3.8e-05: plainer in a report); anything else as it is."""
    return f"{value:.{DECIMALS}f}" if isinstance(value, float) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV (CRLF line ends, as the csv module and Excel write them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def json_text(data: dict[str, Any]) -> str:
    """``data`` with one key a line and one list item a line (a matrix row, a point): readable in an
    editor, where ``indent`` would put every number on a line of its own."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], (list, dict)):
            items = ",\n".join("  " + dump(item) for item in value)
            lines.append(f" {dump(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_csv(path: Path, numbers: Numbers) -> None:
    # UTF-8 with a BOM: Excel on Japanese Windows opens a double-clicked CSV in the ANSI code page
    # (CP932) unless the file starts with a BOM, and 犬 becomes mojibake; with the BOM it reads
    # UTF-8. LibreOffice, pandas and Python's csv (encoding="utf-8-sig") read it as well.
    _create(path, csv_text(numbers.header, numbers.rows), encoding="utf-8-sig")


def write_json(path: Path, numbers: Numbers) -> None:
    # No BOM here: RFC 8259 says JSON must not start with one, and Python's json.load refuses it.
    _create(path, json_text(numbers.data))


def write_view(folder: Path, base: str, svg: str, numbers: Numbers | None = None,
               now: datetime | None = None) -> Written:
    """Write the picture (and the numbers, if any) as new files in ``folder``: ``<base>-<time>.svg``,
    ``.csv``, ``.json``; ``-2``, ``-3``… when a name is taken. ExportError says what went wrong."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"書き出し先のフォルダを作れませんでした（{reason(exc)}）。\n{folder}") from None
    stamp = (now or datetime.now()).strftime(STAMP)
    suffixes = (".svg", ".csv", ".json") if numbers is not None else (".svg",)
    for n in range(1, MAX_TRIES + 1):
        stem = f"{base}-{stamp}" + (f"-{n}" if n > 1 else "")
        paths = [folder / (stem + s) for s in suffixes]
        if any(p.exists() for p in paths):
            continue
        try:
            _create(paths[0], svg)
        except FileExistsError:
            continue  # taken since the check: the next name
        except OSError as exc:
            raise ExportError(f"書き出し先のフォルダに書き込めませんでした（{reason(exc)}）。"
                              f"権限と空き容量を確かめてください。\n{folder}") from None
        break
    else:
        raise ExportError(f"空いているファイル名が見つかりませんでした（{base}-{stamp}）。\n{folder}")
    if numbers is None:
        return Written(paths[0])
    try:
        write_csv(paths[1], numbers)
        write_json(paths[2], numbers)
    except OSError as exc:
        raise ExportError(f"画像は書き出しましたが、数値を書き出せませんでした（{reason(exc)}）。"
                          f"\n{paths[0]}") from None
    return Written(paths[0], tuple(paths[1:]))


def _r(x: float) -> float:
    return round(float(x), DECIMALS)


# -- the pages' numbers, from the plain data they draw ---------------------------------------------
def attention_numbers(source: Sequence[str], targets: Sequence[str], rows: Sequence[Sequence[float]],
                      **context: Any) -> Numbers:
    """L4's grid as a matrix: one row per produced word, one column per source token, as drawn."""
    weights = [[_r(w) for w in row] for row in rows]
    header = ["output\\source", *source]
    table = [[t, *row] for t, row in zip(targets, weights)]
    return Numbers(header, table, {**context, "source": list(source), "target": list(targets), "attention": weights})


def map_numbers(words: Sequence[str], groups: Sequence[str | None], coords: Sequence[Sequence[float]],
                **context: Any) -> Numbers:
    """L2's map: each word with its two PCA coordinates and its group (the learner's own words: OWN_GROUP)."""
    points = [{"word": w, "x": _r(x), "y": _r(y), "group": g or OWN_GROUP}
              for w, g, (x, y) in zip(words, groups, coords)]
    table = [[p["word"], p["x"], p["y"], p["group"]] for p in points]
    return Numbers(["word", "x", "y", "group"], table, {**context, "points": points})


def bars_numbers(rows: Sequence[tuple[str, float, float | None, str | None]], **context: Any) -> Numbers:
    """L6's bars: (token, the model's probability, the probability after the filters or None when cut,
    what cut it). ``kept`` is 1 or 0, so a spreadsheet can sum or filter it."""
    tokens = [{"token": t, "probability": _r(p), "kept": final is not None,
               "probability_after_filtering": None if final is None else _r(final), "removed_by": why}
              for t, p, final, why in rows]
    table = [[x["token"], x["probability"], int(x["kept"]),
              "" if x["probability_after_filtering"] is None else x["probability_after_filtering"],
              x["removed_by"] or ""]
             for x in tokens]
    header = ["token", "probability", "kept", "probability_after_filtering", "removed_by"]
    return Numbers(header, table, {**context, "tokens": tokens})


# -- pictures without an app (the CLI) -------------------------------------------------------------
def svg_picture(parts: Iterable[Any], title: str, width: int) -> str:
    """``parts`` (rich renderables: Text, …) printed one under another, as an SVG terminal picture."""
    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), record=True, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    for part in parts:
        console.print(part)
    return console.export_svg(title=title)
