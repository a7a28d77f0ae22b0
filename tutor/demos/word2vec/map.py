"""L2, 地図 (PCA): chosen words projected to 2-D by PCA, coloured by meaning group (MAIN: the model select)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ...core.text import normalize
from ...core.word2vec import WordVectors
from ...core.word2vec_explore import MapLayout, map_layout
from ...widgets.scatter import Point, ScatterPlot
from .vectors import VectorsPage, model_label

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


class MapPage(VectorsPage):
    """PCA of the sample groups plus the learner's words."""

    MAIN = "#map-model"
    INPUT = "#map-own"

    DEFAULT_CSS = """
    MapPage #map-own { width: 1fr; }
    MapPage #map-model { width: 28; }
    MapPage #map-waiting { width: 28; color: $text-muted; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._notes: list[str] = []
        self._layout: tuple[str, MapLayout] | None = None  # (model label, what the plot shows), for the x key

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row", id="map-row"):
            yield Label("モデル")
            # The model select is built once there are models to list: a blank 「読み込み中」
            # option would otherwise stay in it after loading (issue 14, case 8).
            yield Static("読み込み中…", id="map-waiting")
            yield Label(" 自分の語")
            yield Input(placeholder="空白で区切って追加 (例: 先生 学生 医者)", id="map-own", compact=True)
        yield Static(classes="hint", id="map-legend")
        yield ScatterPlot(id="map-plot")
        yield Static(classes="message", id="map-message")

    def models_changed(self) -> None:
        options = [(model_label(k, wv), k) for k, wv in self.models.items()]
        found = self.query("#map-model")
        if found:
            select = found.first(Select)
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options(options)
                select.value = current if current in self.models else options[0][1]
        elif options:
            waiting = self.query_one("#map-waiting", Static)
            select = Select(options, value=options[0][1], allow_blank=False, id="map-model", compact=True)
            self.query_one("#map-row").mount(select, before=waiting)
            waiting.remove()
        else:
            self.query_one("#map-waiting", Static).update("なし")
        self.redraw()

    @on(Select.Changed, "#map-model")
    @on(Input.Changed, "#map-own")
    def _changed(self, event) -> None:
        event.stop()
        self.redraw()

    def own_words(self) -> list[str]:
        typed = normalize(self.query_one("#map-own", Input).value).split()
        return list(dict.fromkeys(self.words + typed))[:MAX_OWN]

    def chosen(self) -> WordVectors | None:
        found = self.query("#map-model")
        key = found.first(Select).value if found else None
        return self.models.get(key) if isinstance(key, str) else None

    def refresh_view(self) -> None:
        wv = self.chosen()
        if wv is None:
            self._layout = None
            self.query_one("#map-plot", ScatterPlot).points = ()
            self.query_one("#map-message", Static).update(self.status)
            return
        self.request(wv, self.own_words())

    def compute(self, wv: WordVectors, own: list[str]) -> tuple[WordVectors, MapLayout]:
        return wv, map_layout(wv, {name: members for name, (members, _) in GROUPS.items()}, own)

    def draw(self, result: tuple[WordVectors, MapLayout]) -> None:
        wv, layout = result
        key = next((k for k, v in self.models.items() if v is wv), "")
        self._layout = (model_label(key, wv), layout)
        styles = [GROUPS[g][1] if g else MINE for g in layout.groups]
        self.query_one("#map-plot", ScatterPlot).points = tuple(
            Point(float(x), float(y), w, st) for (x, y), w, st in zip(layout.coords, layout.words, styles)
        )
        s1, s2 = layout.shares
        text = Text()
        for name, (_, colour) in GROUPS.items():
            text.append("+ " + name, style=colour)
            text.append("  ")
        text.append(" あなたの語 ", style=MINE)
        text.append(f"\n横軸は分散の {s1:.0%}、縦軸は {s2:.0%} を表します"
                    f" (残りの {1 - s1 - s2:.0%} は 2 次元に落とすと見えません)。", style="dim")
        self.query_one("#map-legend", Static).update(text)
        self._notes = ["語彙にない語は描けません: " + "、".join(layout.unknown)] if layout.unknown else []
        self._report_dropped()

    def export_numbers(self):
        """Every word on the map with its coordinates (the plot may leave some labels out; the file has them all)."""
        from ...export import map_numbers

        if self._layout is None:
            return None
        model, layout = self._layout
        return map_numbers(layout.words, layout.groups, layout.coords.tolist(), model=model,
                           variance_share=[round(s, 6) for s in layout.shares], unknown=list(layout.unknown))

    @on(ScatterPlot.Drawn)
    def _report_dropped(self, event: ScatterPlot.Drawn | None = None) -> None:
        """Labels are placed at draw time: say so if some did not fit."""
        plot = self.query_one("#map-plot", ScatterPlot)
        notes = list(self._notes)
        if plot.dropped:
            notes.append(f"重なった {plot.dropped} 語は + の印だけです。端末を広げるとラベルも出ます。")
        self.query_one("#map-message", Static).update(Text("\n".join(notes)))
