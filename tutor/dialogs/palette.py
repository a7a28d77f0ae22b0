"""The command palette in Japanese: Textual's shows an English placeholder and "No matches found"."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PLACEHOLDER = "コマンドを検索（レッスン名、デバイス、サンプル文…）"
NO_MATCHES = "一致するコマンドはありません"


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
