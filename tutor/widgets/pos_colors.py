"""One colour per top-level part of speech, shared by every view of tokens."""

from __future__ import annotations

from rich.text import Text

#: UniDic's top-level parts of speech. The colours read on dark and light themes alike.
POS_STYLES: dict[str, str] = {
    "名詞": "bold #4ea1ff",
    "代名詞": "#4ea1ff",
    "動詞": "bold #3fbf5f",
    "形容詞": "bold #e5a50a",
    "形状詞": "#e5a50a",
    "副詞": "#c061cb",
    "助詞": "#8f8f8f",
    "助動詞": "#2ec4b6",
    "接頭辞": "#e66100",
    "接尾辞": "#e66100",
    "連体詞": "#c061cb",
    "接続詞": "#c061cb",
    "感動詞": "#f66151",
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
