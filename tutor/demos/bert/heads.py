"""ヘッド一覧: every layer × head of BERT's self-attention on the learner's sentence (C36), on the shared HeadsPage."""

from __future__ import annotations

from typing import ClassVar

from ...core.bert_explain import tokens_of
from ..base import PageError
from ..heads import HeadsPage
from .common import masked_lm


class BertHeadsPage(HeadsPage):
    """C36: every layer × head of the bundled BERT's self-attention on the learner's sentence."""

    HINT: ClassVar[str] = (
        "BERT の自己アテンション: 各語 (行) が、同じ文のどの語 (列) を見ているか。"
        "マスクがないので、右側の語も見られます。"
        "小さな表 1 つが 1 つのヘッドです (L = 層、H = ヘッド)。[CLS] や [SEP]、句読点に集まるヘッドもあります。"
    )

    def compute(self, sentence: str):
        lm = masked_lm(self.models_dir, self.device)
        if not tokens_of(sentence):
            raise PageError("文が空です。日本語の文を入力してください。")
        return lm.attention(sentence)  # (tokens with [CLS]/[SEP], maps[layer][head][query][key])
