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
    ("上下キー / PgUp / PgDn / Space", "説明を読み進める"),
    ("上下キー / Enter", "一覧やクイズの選択肢を選ぶ"),
    ("e / c / h / a / m", "演習タブで: ファイルを開く（作る） / 確かめる / ヒント / 解答例 / 自分の実装で実験を動かす"),
    ("^q", "どこからでも終了（入力中でも）"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q,f1", "close", "閉じる", id="help.close"),
    ]

    AUTO_FOCUS = "VerticalScroll"  # arrow keys scroll the list

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 84; height: 90%; max-height: 26;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings_list = bindings

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do): the app's bindings, then the keys widgets handle."""
        rows = []
        for b in self.bindings_list:
            keys = " / ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in b.key.split(","))
            rows.append((keys, b.tooltip or b.description))
        return rows + WIDGET_KEYS

    def compose(self) -> ComposeResult:
        table = Table(title="キー操作", show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("キー", no_wrap=True)
        table.add_column("操作")
        for key, what in self.rows:
            table.add_row(Text(key, style="bold"), Text(what))
        note = Text("\nクイズは 80% 以上正解でレッスン完了。進捗は自動で保存されます。Esc で閉じます。", style="dim")
        with VerticalScroll():
            yield Static(table)
            yield Static(note)

    def action_close(self) -> None:
        self.dismiss(None)
