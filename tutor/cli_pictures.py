"""Pictures the CLI writes: ``tutor translate --svg`` (the attention grid) and ``tutor similar --map``
(the PCA map of a word and its neighbours).

Both print the app's own drawing (``widgets.attention_grid.grid_text``, ``widgets.scatter.layout``)
into a rich console that records, and save that as SVG, so the picture is the one the app shows.
Those modules import textual (~0.2 s): this module is imported only when a picture is asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.box import ROUNDED
from rich.panel import Panel
from rich.text import Text

from .cli_common import OutputFileError
from .export import reason, svg_picture

#: The plot of ``--map``, in terminal cells (the picture is two wider, for its frame).
MAP_SIZE = (76, 22)
#: The neighbours' colour, and the queried word drawn as the app draws the learner's own words.
NEAR_STYLE = "#2aa1b3"
WORD_STYLE = "bold reverse"  # demos/word2vec/map.py MINE
NEAR_GROUP = "近い語"


def check_output(path: Path, option: str) -> None:
    """Refuse, before any work, a path the picture cannot go to: the learner should not wait for a
    model to load to learn that the folder is missing. Raises OutputFileError (exit 1)."""
    if path.is_dir():
        raise OutputFileError(f"{option} にはフォルダではなくファイル名を指定してください: {path}")
    if path.suffix.lower() != ".svg":
        raise OutputFileError(f"{option} には .svg で終わるファイル名を指定してください"
                              f"（書き出すのは SVG 画像です）: {path}")
    folder = path.parent
    if not folder.exists():
        raise OutputFileError(f"{option} の保存先のフォルダがありません: {folder}")
    if not folder.is_dir():
        raise OutputFileError(f"{option} の保存先 {folder} はフォルダではありません。")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputFileError(f"{option} のファイルに書き込めません: {path}（書き込む権限がありません）")


def write_picture(path: Path, svg: str, option: str) -> None:
    """Write the picture (an existing file is replaced: the learner named it); OutputFileError if it fails."""
    try:
        path.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise OutputFileError(f"{option} のファイルに書き込めませんでした: {path}（{reason(exc)}）") from None


def grid_picture(translations, about: str = "") -> str:
    """``tutor translate --svg``: each translation's attention grid under its sentence and translation;
    ``about`` (the model, the beam) goes into the picture's title."""
    from .widgets.attention_grid import grid_text, grid_width

    parts: list = []
    width = 80  # the note at the bottom on one line
    for t in translations:
        if not t.source or not t.attention:
            continue
        head = Text("".join(t.source), style="bold")
        head.append("\n→ " + " ".join(t.target))
        if t.variant == "transformer":
            head.append("\n（Transformer: 最後の層のクロスアテンションを、ヘッドで平均した重み）", style="dim")
        parts += [head, grid_text(t.source, t.target, t.attention), Text()]
        width = max(width, grid_width(t.source) + 2)
    if not parts:
        parts = [Text("表にできる訳がありませんでした（文が空でした）。")]
    parts.append(Text("数字は、その語を出すときに原文の各語へ置いた重み（%）。濃いほど強く見ています。", style="dim"))
    return svg_picture(parts, "tutor translate — アテンションの重み" + (f"（{about}）" if about else ""), width)


def map_picture(wv, word: str, neighbours, model: str) -> str:
    """``tutor similar --map``: the word and its neighbours, projected to 2-D by PCA as the L2 map does."""
    from .core.word2vec_explore import map_layout
    from .widgets.scatter import Point, layout, render_grid

    placed = map_layout(wv, {NEAR_GROUP: [n.word for n in neighbours]}, [word])
    points = [Point(float(x), float(y), w, NEAR_STYLE if g else WORD_STYLE)
              for (x, y), w, g in zip(placed.coords.tolist(), placed.words, placed.groups)]
    grid, dropped = layout(points, *MAP_SIZE)
    legend = Text()
    legend.append(f" {word} ", style=WORD_STYLE)
    legend.append(" 調べた語   ")
    legend.append(f"+ {NEAR_GROUP}（上位 {len(neighbours)} 語）", style=NEAR_STYLE)
    s1, s2 = placed.shares
    note = Text(f"PCA: 横軸は分散の {s1:.0%}、縦軸は {s2:.0%}（残りの {1 - s1 - s2:.0%} は 2 次元では見えません）。",
                style="dim")
    if dropped:
        note.append(f"\n重なった {dropped} 語は + の印だけです。", style="dim")
    title = Text(f"「{word}」に近い単語の地図（{model}）", style="bold")
    plot = Panel(render_grid(grid), box=ROUNDED, expand=False, padding=0, border_style="#5f87af")
    return svg_picture([title, legend, plot, note], f"tutor similar {word} — 地図", MAP_SIZE[0] + 2)
