"""One colour per top-level part of speech, shared by every view of tokens."""

from __future__ import annotations

from rich.text import Text

#: UniDic's top-level parts of speech. Mid-tone colours, chosen to read on the dark and the light theme.
POS_STYLES: dict[str, str] = {
    "名詞": "bold #3b8eea",
    "代名詞": "#3b8eea",
    "動詞": "bold #2ea043",
    "形容詞": "bold #c98a00",
    "形状詞": "#c98a00",
    "副詞": "#a855b8",
    "助詞": "#808080",
    "助動詞": "#16a394",
    "接頭辞": "#d35400",
    "接尾辞": "#d35400",
    "連体詞": "#a855b8",
    "接続詞": "#a855b8",
    "感動詞": "#e04a3f",
    "補助記号": "dim",
    "記号": "dim",
    "空白": "dim",
}


def pos_style(pos_major: str) -> str:
    return POS_STYLES.get(pos_major, "")


def legend(pos_present: list[str]) -> Text:
    """A one-line key for the parts of speech that appear, in order of first appearance."""
    out = Text("色: ", style="dim")
    for n, pos in enumerate(dict.fromkeys(pos_present)):
        if n:
            out.append("  ")
        out.append(pos, style=pos_style(pos) or "default")
    return out
