"""マルチヘッド (C24): every layer × head of the trained Transformer's encoder self-attention."""

from __future__ import annotations

from typing import Any, ClassVar

from ..heads import HeadsPage
from .translator_page import run_translator


class EncoderHeadsPage(HeadsPage):
    """The shared heads page, fed by the translator's encoder: tokens × tokens per layer and head."""

    HINT: ClassVar[str] = (
        "エンコーダの自己アテンション: 文の各語 (行) が、同じ文のどの語 (列) を見ているか。"
        "小さな表 1 つが 1 つのヘッドです (L = 層、H = ヘッド)。ヘッドごとに違う関係を見ていることがあります。"
    )

    def compute(self, sentence: str) -> Any:
        return run_translator(self.models_dir, self.device, sentence)

    def view(self, result: Any) -> tuple[list[str], list]:
        translation, _ = result
        return translation.source, translation.maps.encoder
