"""L5 Transformer, 実験 tab: the parts of the paper, then the trained translator opened up.

One module per page (each built when its tab first shows):

- positional.py — 位置エンコーディング (C21), from the formula;
- qkv.py — Q・K・V (C22), the lesson's example one step at a time;
- heads.py — マルチヘッド (C24): every layer × head of the encoder's self-attention
  (the shared page in ``tutor.demos.heads``);
- mask.py — マスク (C25): the causal mask and the decoder's masked self-attention;
- trace.py — FFN と正規化 (C26): one token's vector through an encoder layer;
- translate.py — 翻訳 (C23, C27): the translation with its attention maps, next to
  the RNN's grid for the same sentence.

The model pages load the translator through ``tutor.demos.models`` in their
workers (torch is imported there, never here).
"""

from __future__ import annotations

from typing import ClassVar

from ..base import Page, TabbedDemo
from .heads import EncoderHeadsPage
from .mask import MaskPage
from .positional import PositionalPage
from .qkv import QKVPage
from .trace import TracePage
from .translate import TranslatePage


class TransformerDemo(TabbedDemo):
    """The L5 demo."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "tf-position": ("位置エンコーディング", PositionalPage),
        "tf-qkv": ("Q・K・V", QKVPage),
        "tf-heads": ("マルチヘッド", EncoderHeadsPage),
        "tf-mask": ("マスク", MaskPage),
        "tf-ffn": ("FFN と正規化", TracePage),
        "tf-translate": ("翻訳", TranslatePage),
    }



__all__ = ["TransformerDemo"]
