"""Every number in a lesson's results section (「このコーパスで測った結果」) comes from the bundled models'
own records (issue 17): their config.json, CARD.md and file sizes in models/MANIFEST.toml.

A figure matches a recorded number at the precision it is printed with (31.52 within 0.005), read
as it is written: a percentage (88.8% = 0.888), 万 (380 万 = 3,800,000), seconds as minutes, KB;
or as the difference or the ratio of two recorded numbers (a gain of +3.38, "1.8 倍"). Numbers that
only label things (L5, 8 語以下, シード 2, 4 節) are skipped by the patterns below. When a lesson quotes
a new figure, record it in the model's card first (the command that measured it, the number).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from tutor.settings import PROJECT_ROOT

LESSONS = PROJECT_ROOT / "lessons"
MODELS = PROJECT_ROOT / "models"
HEADING = "## このコーパスで測った結果"
NUMBER = re.compile(r"(?<![\w.])[-+−]?\d[\d,]*(?:\.\d+)?")
#: A number followed by one of these labels a thing rather than measuring it.
LABEL_AFTER = re.compile(
    r"^\s*(?:以上|以下|語以下|語以上|語|節|層|個のヘッド|エポック|次元|回|文目|位置|つ|種類|番目|行|列|通り|倍にした)"
)
LABEL_BEFORE = re.compile(
    r"(?:L|§|シード|seed|温度|top-p|top-k|ビーム幅|幅|k\s*=|p\s*=|d_model\s*=|d_k\s*=|d_ff\s*=|ヘッド|±)\s*$"
)


def results_section(text: str) -> str:
    start = text.find(HEADING)
    if start < 0:
        return ""
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end > 0 else None]


def recorded() -> np.ndarray:
    values: list[float] = []
    for folder in sorted(p for p in MODELS.iterdir() if p.is_dir()):
        for name in ("config.json", "CARD.md"):
            path = folder / name
            if path.exists():
                values += [
                    float(m.group(0).replace(",", "").replace("−", "-"))
                    for m in NUMBER.finditer(path.read_text(encoding="utf-8"))
                ]
    manifest = tomllib.loads((MODELS / "MANIFEST.toml").read_text(encoding="utf-8"))
    values += [float(entry["size"]) for entry in manifest.get("file", []) if "size" in entry]
    return np.unique(np.array(values, dtype=float))


SOURCES = recorded()


def derived(values: list[float]) -> np.ndarray:
    """Differences and ratios of the figures printed in the same section (themselves checked)."""
    v = np.unique(np.array(values, dtype=float))
    a, b = np.meshgrid(v, v)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.concatenate([(a - b).ravel(), np.where(b != 0, a / b, np.nan).ravel()])
    return np.unique(out[np.isfinite(out)])


def readings(text: str, value: float) -> list[float]:
    """What a printed number may stand for, by the unit written after it."""
    if re.match(r"^\s*%", text):
        return [value, value / 100]
    if re.match(r"^\s*万", text):
        return [value * 1e4]
    if re.match(r"^\s*億", text):
        return [value * 1e8]
    if re.match(r"^\s*KB", text):
        return [value * 1000, value * 1024]
    if re.match(r"^\s*MB", text):
        return [value * 1e6, value * 2**20]
    if re.match(r"^\s*分", text):
        return [value * 60, value]
    return [value]


def is_derived(section: str, m: re.Match) -> bool:
    """A gain or a ratio: written with its sign (+3.38), as BLEU points (7.83 点), followed by 倍 (also the
    first end of a range: 1.2〜1.8 倍), or in a table column headed 差."""
    after = section[m.end() : m.end() + 12]
    if m.group(0)[0] in "+−" or re.match(r"^\s*(?:倍|点|ポイント)", after) or re.match(r"^〜[\d.]+\s*倍", after):
        return True
    line_start = section.rfind("\n", 0, m.start()) + 1
    line = section[line_start : section.find("\n", m.end()) if section.find("\n", m.end()) > 0 else None]
    if not line.startswith("|"):
        return False
    column = section[line_start : m.start()].count("|") - 1
    header = section[:line_start].rstrip("\n").split("\n")
    rows = [r for r in reversed(header) if r.startswith("|")]
    table_head = next(
        (r for r, below in zip(rows[1:], rows) if set(below.replace("|", "").strip()) <= set("-: ")), None
    )
    cells = [c.strip() for c in table_head.strip("|").split("|")] if table_head else []
    return 0 <= column < len(cells) and "差" in cells[column]


def figures(section: str) -> list[tuple[str, float, float, bool]]:
    """Per measured number: (the text around it, what it may stand for, half a unit of its last printed
    digit, derived?)."""
    out = []
    for m in NUMBER.finditer(section):
        raw = m.group(0)
        after, before = section[m.end() : m.end() + 8], section[max(0, m.start() - 12) : m.start()]
        if LABEL_AFTER.match(after) or LABEL_BEFORE.search(before):
            continue
        digits = raw.replace(",", "").replace("−", "-").lstrip("+")
        places = len(digits.split(".")[1]) if "." in digits else 0
        value = float(digits)
        marked = is_derived(section, m)
        about = before.rstrip().endswith("約")  # 「約 380 万」: a rounded figure, within 2 %
        for reading in readings(after, value):
            scale = reading / value if value else 1.0
            tolerance = 0.5 * 10**-places * abs(scale) + 1e-9
            out.append(
                (
                    section[max(0, m.start() - 30) : m.end() + 10].replace("\n", " "),
                    reading,
                    max(tolerance, 0.02 * abs(reading)) if about else tolerance,
                    marked,
                )
            )
    return out


def near(pool: np.ndarray, value: float, tolerance: float) -> bool:
    i = np.searchsorted(pool, value)
    return any(0 <= j < len(pool) and abs(pool[j] - value) <= tolerance for j in (i - 1, i))


def missing(section: str) -> list[str]:
    """The figures of ``section`` that no model records (nor, for a gain or ratio, two printed figures give)."""
    found_figures = figures(section)
    pool = derived([v for _, v, _, d in found_figures if not d] + [-v for _, v, _, d in found_figures if not d])
    groups: dict[str, list[bool]] = {}
    for where, value, tolerance, marked in found_figures:
        hit = near(SOURCES, value, tolerance) or (
            marked and (near(pool, value, tolerance) or near(pool, -value, tolerance))
        )
        groups.setdefault(where, []).append(hit)
    return [where for where, hits in groups.items() if not any(hits)]


LESSON_FILES = sorted(p for p in LESSONS.glob("*/lesson.md") if HEADING in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", LESSON_FILES, ids=[p.parent.name for p in LESSON_FILES])
def test_every_figure_in_the_results_section_is_recorded_by_a_model(path: Path) -> None:
    unrecorded = missing(results_section(path.read_text(encoding="utf-8")))
    assert not unrecorded, "\n".join(unrecorded)


@pytest.mark.parametrize(
    "lesson, before, after",
    [
        ("04-attention", "| 31.53 |", "| 31.35 |"),  # a figure from a model's config
        ("04-attention", "4.15 点", "4.51 点"),  # a gain: the difference of two printed figures
        ("07-bert", "19,107 文", "19,701 文"),  # a count from a card
    ],
)
def test_the_check_catches_a_drifted_figure(lesson: str, before: str, after: str) -> None:
    section = results_section((LESSONS / lesson / "lesson.md").read_text(encoding="utf-8"))
    assert before in section and not missing(section)
    changed = after.strip("| ").split()[0]
    assert any(changed in w for w in missing(section.replace(before, after)))
