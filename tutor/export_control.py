"""The x key (and its palette command): the view on screen as an SVG picture, and the numbers of the
page shown (``Page.export_numbers``) as CSV and JSON beside it, in ``Paths.exports_dir``.

Mixed into TutorApp (tutor/app.py), whose paths, lesson and tabs it reads. File names and
writing are tutor/export.py's; this part finds what is shown, takes the picture and says where
the files went.
"""

from __future__ import annotations

import os

from textual.css.query import NoMatches

from . import export
from .demos.base import Page
from .widgets.page_tabs import shown

TAB_NAMES = {"prose": "説明", "demo": "実験", "quiz": "クイズ", "exercise": "演習"}
#: Seconds the notice stays: long enough to read (or copy) a path.
NOTICE_SECONDS = 12


class ExportControl:
    def action_export_view(self) -> None:
        """x: write the view. The notices on screen are hidden for the picture (a report wants the grid,
        not "あなたの文を設定しました" over it, nor the notice of the previous export)."""
        racks = list(self.screen.query("ToastRack"))  # by name: the class is private to textual
        for rack in racks:
            rack.display = False
        # The screen is told now that its layout changed, so the callback below waits for that layout:
        # without it the callback ran first and the picture still had the notices (textual 8.2.8).
        self.screen.refresh(layout=True)
        self.call_after_refresh(self._export_view, racks)

    def _export_view(self, racks: list) -> None:
        try:
            svg = self.export_screenshot(title=self._export_title())
        finally:
            for rack in racks:
                rack.display = True
        page = self._shown_page()
        base = export.base_name(self.lesson.id, self.progress.tab, _page_name(page))
        try:
            numbers = page.export_numbers() if page is not None else None
            written = export.write_view(self.paths.exports_dir, base, svg, numbers)
        except export.ExportError as exc:
            self.notify(str(exc), title="書き出せませんでした", severity="error", timeout=NOTICE_SECONDS, markup=False)
            return
        from .serve import served

        if served():  # in a browser tab the server's folder is out of the learner's reach: each file is downloaded
            files = [written.svg, *written.numbers]
            for path in files:
                self.deliver_binary(path)
            self.notify("ブラウザのダウンロードに保存します: " + "、".join(p.name for p in files),
                        title="画面を書き出しました", timeout=NOTICE_SECONDS, markup=False)
            return
        # The folder and the name on lines of their own: a long path wraps at the separator, not mid-name.
        text = f"{written.svg.parent}{os.sep}\n{written.svg.name}"
        if written.numbers:
            text += "\n数値も同じ名前の " + " と ".join(p.suffix for p in written.numbers) + " に書き出しました。"
        # markup=False: a folder named like "[b]" (TUTOR_HOME can be anything) is shown as it is.
        self.notify(text, title="画面を書き出しました", timeout=NOTICE_SECONDS, markup=False)

    def _export_title(self) -> str:
        """The picture's window title: the app, the lesson and the tab, as a slide would name it."""
        return f"{self.TITLE} — {self.lesson.label}・{TAB_NAMES.get(self.progress.tab, self.progress.tab)}"

    def _shown_page(self) -> Page | None:
        """The 実験 page on screen: the one in the active inner tab when the demo has tabs (L2's status
        line above them is a Page too), else the first shown (L4's page holds its worked step, also a Page)."""
        if self.progress.tab != "demo":
            return None
        try:
            host = self.query_one("#demo-host")
        except NoMatches:
            return None
        tabs = self._demo_tabs()
        pane = tabs.active_pane if tabs is not None else None
        return next((p for p in (pane or host).query(Page) if shown(p)), None)


def _page_name(page: Page | None) -> str | None:
    """The page's part of a file name: its id without "-page" (``w2v-map``, ``gpt-playground``, ``att``)."""
    if page is None or not page.id:
        return None
    return page.id.removesuffix("-page")
