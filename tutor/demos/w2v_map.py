"""L2, 地図 tab: chosen words projected to 2-D by PCA, coloured by meaning group."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ..core.text import normalize
from ..core.word2vec import pca_2d
from ..widgets.scatter import Point, ScatterPlot
from .word2vec import ModelPanel, model_label

#: The sample set: a few groups of the team's evaluation set, each with its colour.
GROUPS = {
    "家族": (["父", "母", "兄", "姉", "弟", "妹", "息子", "娘"], "#2aa1b3"),
    "曜日": (["日曜", "月曜", "土曜", "木曜"], "#d33682"),
    "動物": (["犬", "猫", "馬", "鳥", "魚"], "#5faf00"),
    "乗り物": (["車", "電車", "バス", "船", "タクシー"], "#d78700"),
    "飲み物": (["コーヒー", "紅茶", "ビール", "牛乳"], "#af5fff"),
    "都市": (["東京", "大阪", "京都", "ロンドン", "パリ"], "#3a7bd5"),
}
MINE = "bold reverse"
MAX_OWN = 12


class MapPanel(ModelPanel):
    """PCA of the sample groups plus the learner's words."""

    DEFAULT_CSS = """
    MapPanel #map-own { width: 1fr; }
    MapPanel #map-model { width: 28; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sentence_words: list[str] = []
        self._notes: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("モデル")
            yield Select([], id="map-model", compact=True, allow_blank=True, prompt="読み込み中")
            yield Label(" 自分の語")
            yield Input(placeholder="空白で区切って追加 (例: 先生 学生 医者)", id="map-own", compact=True)
        yield Static(classes="hint", id="map-legend")
        yield ScatterPlot(id="map-plot")
        yield Static(classes="message", id="map-message")

    def models_changed(self) -> None:
        select = self.query_one("#map-model", Select)
        current = select.value
        options = [(model_label(k, wv), k) for k, wv in self.models.items()]
        select.set_options(options)
        keys = [k for _, k in options]
        if keys:
            select.value = current if current in keys else keys[0]
        self.show()

    def sentence_changed(self, words: list[str]) -> None:
        self.sentence_words = words
        self.show()

    @on(Select.Changed, "#map-model")
    @on(Input.Changed, "#map-own")
    def _changed(self, event) -> None:
        event.stop()
        self.show()

    def own_words(self) -> list[str]:
        typed = normalize(self.query_one("#map-own", Input).value).split()
        out: list[str] = []
        for w in self.sentence_words + typed:
            if w not in out:
                out.append(w)
        return out[:MAX_OWN]

    def show(self) -> None:
        plot = self.query_one("#map-plot", ScatterPlot)
        legend = self.query_one("#map-legend", Static)
        message = self.query_one("#map-message", Static)
        key = self.query_one("#map-model", Select).value
        wv = self.models.get(key) if isinstance(key, str) else None
        if wv is None:
            plot.points = ()
            message.update(self.demo.status)
            return
        words, styles = [], []
        for name, (members, colour) in GROUPS.items():
            for w in members:
                if w in wv and w not in words:
                    words.append(w)
                    styles.append(colour)
        own = self.own_words()
        unknown = [w for w in own if w not in wv]
        for w in own:
            if w in wv:
                if w in words:
                    styles[words.index(w)] = MINE
                else:
                    words.append(w)
                    styles.append(MINE)
        coords, (s1, s2) = pca_2d(np.stack([wv.vector(w) for w in words]))
        plot.points = tuple(Point(float(x), float(y), w, st) for (x, y), w, st in zip(coords, words, styles))
        text = Text()
        for name, (_, colour) in GROUPS.items():
            text.append("+ " + name, style=colour)
            text.append("  ")
        text.append(" あなたの語 ", style=MINE)
        text.append(f"\n横軸は分散の {s1:.0%}、縦軸は {s2:.0%} を表します (残りの {1 - s1 - s2:.0%} は 2 次元に落とすと見えません)。", style="dim")
        legend.update(text)
        self._notes = ["語彙にない語は描けません: " + "、".join(unknown)] if unknown else []
        self._report_dropped()

    @on(ScatterPlot.Drawn)
    def _report_dropped(self, event: ScatterPlot.Drawn | None = None) -> None:
        """Labels are placed at draw time: say so if some did not fit."""
        plot = self.query_one("#map-plot", ScatterPlot)
        notes = list(self._notes)
        if plot.dropped:
            notes.append(f"重なった {plot.dropped} 語は + の印だけです。端末を広げるとラベルも出ます。")
        self.query_one("#map-message", Static).update(Text("\n".join(notes)))
