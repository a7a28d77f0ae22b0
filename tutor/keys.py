"""The app's keys: one table, read by the app (BINDINGS), the footer and the help screen.

Footer labels are short; the tooltip is the full description the help screen shows.
Keys that go together share a group, so the footer shows them as one label
("n p 次/前") and fits 80 columns. What each key may do from which focus is in
docs/FOCUS.md.
"""

from __future__ import annotations

from textual.binding import Binding

LESSON_KEYS = Binding.Group("次/前")
TAB_KEYS = Binding.Group("タブ")
PAGE_KEYS = Binding.Group("ページ")

#: Terminal width from which the footer has room for the keys of FOOTER_WHEN_ROOMY.
ROOMY_WIDTH = 120
#: Actions the footer shows only from ROOMY_WIDTH columns on: below that, "x 出力" pushed "q 終了"
#: off the end on the 実験 tab (80 and 100 columns, measured in tmux). The key works at any width.
FOOTER_WHEN_ROOMY = frozenset({"export_view"})

APP_BINDINGS = [
    Binding("n", "next_lesson", "次へ", id="lesson.next", tooltip="次のレッスンへ", group=LESSON_KEYS),
    Binding("p", "previous_lesson", "前へ", id="lesson.previous", tooltip="前のレッスンへ", group=LESSON_KEYS),
    Binding("1", "show_tab('prose')", "説明", id="tab.prose", tooltip="説明タブ（レッスンの本文）", group=TAB_KEYS),
    Binding("2", "show_tab('demo')", "実験", id="tab.demo", tooltip="実験タブ（モデルを動かすデモ）", group=TAB_KEYS),
    Binding("3", "show_tab('quiz')", "クイズ", id="tab.quiz", tooltip="クイズタブ（80% 以上正解で完了）",
            group=TAB_KEYS),
    # Not in the footer: at 120 columns a page with its own keys would push q off the end; the tab
    # bar shows "4 演習" and the help lists it.
    Binding("4", "show_tab('exercise')", "演習", id="tab.exercise", show=False,
            tooltip="演習タブ（自分でコードを書き、保存するたびに確かめる）",
            group=TAB_KEYS),
    Binding("left_square_bracket", "inner_tab(-1)", "前の実験", id="demo.previous", key_display="[",
            tooltip="実験タブの中の前のページへ", group=PAGE_KEYS),
    Binding("right_square_bracket", "inner_tab(1)", "次の実験", id="demo.next", key_display="]",
            tooltip="実験タブの中の次のページへ", group=PAGE_KEYS),
    Binding("s", "set_sentence", "あなたの文", id="sentence.set", tooltip="あなたの文を入力する / サンプルから選ぶ"),
    Binding("d", "cycle_device", "デバイス", id="device.cycle", tooltip="デバイスを auto / cpu / cuda と切り替える"),
    Binding("t", "toggle_theme", "テーマ", id="theme.toggle", show=False,
            tooltip="ダーク / ライトのテーマを切り替える"),
    Binding("l", "toggle_lessons", "一覧", id="lessons.toggle", tooltip="レッスン一覧の表示 / 非表示"),
    # x: a letter, so an input box keeps it while the learner types (like n, s, q). In the footer only
    # from ROOMY_WIDTH columns on (see FOOTER_WHEN_ROOMY); the help lists it at every width.
    Binding("x", "export_view", "出力", id="view.export",
            tooltip="いまの画面を SVG 画像に書き出す（L2 の地図・L4 の重み・L6 の確率は数値も CSV と JSON で）"),
    Binding("question_mark,f1", "help", "ヘルプ", id="help.show", key_display="?", tooltip="このキー一覧を表示する"),
    Binding("ctrl+p", "command_palette", "パレット", id="palette.show", show=False,
            tooltip="コマンドパレット（レッスンへ移動、デバイス、サンプル文など）"),
    Binding("q", "quit", "終了", id="app.quit", tooltip="終了する（進捗は自動で保存済み）"),
    # The prose is read with nothing focused (focusing its scroll restyles every block of the
    # lesson, ~0.1 s), so the app scrolls it; listed in the help under WIDGET_KEYS.
    Binding("up", "prose('scroll_up')", show=False),
    Binding("down", "prose('scroll_down')", show=False),
    Binding("pageup", "prose('page_up')", show=False),
    Binding("pagedown,space", "prose('page_down')", show=False),
    Binding("home", "prose('scroll_home')", show=False),
    Binding("end", "prose('scroll_end')", show=False),
    Binding("escape", "leave_input", "入力を抜ける", id="focus.leave", key_display="Esc",
            tooltip="入力欄から抜ける（その後で n や q などのキーが使えます）"),
]
