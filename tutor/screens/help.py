"""HelpScreen: every key the app answers to, built from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: Keys that widgets handle themselves, listed so the help is complete.
WIDGET_KEYS = [
    ("Tab / Shift+Tab", "フォーカスを次 / 前の部品へ"),
    ("Esc", "入力欄から抜ける（その後で n や q などのキーが使えます）"),
    ("上下キー / Enter", "一覧やクイズの選択肢を選ぶ"),
    ("ctrl+q", "どこからでも終了"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q,f1", "close", "閉じる", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: auto; max-width: 90%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings_list = bindings

    def compose(self) -> ComposeResult:
        table = Table(title="キー操作", show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("キー", no_wrap=True)
        table.add_column("操作")
        for b in self.bindings_list:
            keys = " / ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in b.key.split(","))
            table.add_row(Text(keys, style="bold"), Text(b.description))
        for key, what in WIDGET_KEYS:
            table.add_row(Text(key, style="bold"), Text(what))
        note = Text("\nクイズは 80% 以上正解でレッスン完了。進捗は自動で保存されます。Esc で閉じます。", style="dim")
        with VerticalScroll():
            yield Static(table)
            yield Static(note)

    def action_close(self) -> None:
        self.dismiss(None)
