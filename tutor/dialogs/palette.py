"""The command palette in Japanese: Textual's shows an English placeholder and "No matches found"."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PLACEHOLDER = "コマンドを検索（レッスン名、デバイス、サンプル文…）"
NO_MATCHES = "一致するコマンドはありません"


def app_commands(app):
    """What the palette offers: every lesson, the devices, the sample sentences, theme, help, quit."""
    from ..core.device import CHOICES
    from ..curriculum.progress import DONE, STATE_LABELS

    for lesson in app.curriculum:
        state = STATE_LABELS[app.progress.state(lesson.id)] + ("" if lesson.ready else "・準備中")
        yield SystemCommand(f"レッスン {lesson.label} へ移動", f"{lesson.summary}（{state}）",
                            lambda lesson_id=lesson.id: app.open_lesson(lesson_id, "prose"))
    for choice in CHOICES:
        yield SystemCommand(f"デバイス: {choice}", "モデルを動かすデバイスを切り替える",
                            lambda c=choice: app.set_device(c))
    yield SystemCommand("あなたの文を設定", "すべてのレッスンで使う文を入力するか、サンプルから選ぶ",
                        app.action_set_sentence)
    for s in app.samples:
        yield SystemCommand(f"サンプル文: {s.text}", s.note or "あなたの文にする", lambda t=s.text: app.set_sentence(t))
    if app.progress.state(app.curriculum.lessons[-1].id) == DONE:
        yield SystemCommand("修了画面", "学んだことと、ここから先へ", app.action_completion)
    yield SystemCommand("画面を書き出す（SVG 画像）",
                        "いまの画面を画像に。L2 の地図・L4 の重み・L6 の確率は数値も CSV / JSON で保存する",
                        app.action_export_view)
    yield SystemCommand("テーマ切替（ダーク / ライト）", "配色を切り替える", app.action_toggle_theme)
    yield SystemCommand("ヘルプ（キー一覧）", "すべてのキー操作を表示する", app.action_help)
    yield SystemCommand("終了", "チューターを終了する（進捗は保存済み）", app.exit)


class Palette(CommandPalette):
    """Textual's palette with our words; opened by ctrl+p (App.action_command_palette)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder=PLACEHOLDER, **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8.2.8 writes its English text inside this method (textual/command.py); this is
        # the same logic with our text. Revisit when the textual pin moves.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
