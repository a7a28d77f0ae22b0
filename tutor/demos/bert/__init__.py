"""L7 BERT, 実験 tab: fill the blanks, GPT against BERT, the masking recipe, the heads, fine-tuning live.

One module per page (each built when its tab first shows):

- :mod:`.fill_mask` 穴埋め: the learner's sentence with chosen tokens (or typed
  ``[MASK]`` s) hidden, and BERT's candidates for every blank;
- :mod:`.versus` GPT と BERT: one blank, filled by L6's GPT from the left side
  only and by BERT from both sides, side by side;
- :mod:`.masking` マスクのかけ方: :func:`tutor.core.masking.mask_tokens` (the
  function training uses) drawn on the sentence, and counted over many draws;
- :mod:`.heads` ヘッド一覧: every layer × head of BERT's self-attention;
- :mod:`.finetune` ファインチューニング: a short run from the pretrained encoder,
  features only and fine-tuned, with curves, then the sentence classified by both.

Models come from :mod:`tutor.demos.models`; the maths from :mod:`tutor.core.bert_explain`.
"""

from __future__ import annotations

from typing import ClassVar

from ..base import Page, TabbedDemo
from .fill_mask import FillMaskPage
from .finetune import FinetunePage
from .heads import BertHeadsPage
from .masking import MaskingPage
from .versus import VersusPage


class BertDemo(TabbedDemo):
    """The L7 demo."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "bert-fill": ("穴埋め", FillMaskPage),
        "bert-vs-gpt": ("GPT と BERT", VersusPage),
        "bert-masking": ("マスクのかけ方", MaskingPage),
        "bert-heads": ("ヘッド一覧", BertHeadsPage),
        "bert-finetune": ("ファインチューニング", FinetunePage),
    }



__all__ = ["BertDemo"]
