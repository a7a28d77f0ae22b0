"""L6 GPT, 実験 tab: where a GPT's training examples come from, and a playground for its sampling knobs.

Pages (each built when its tab first shows; one module each):

- 学習データ (:mod:`.examples`): one sentence turned into next-token examples, the input shifted right behind <s>;
- プレイグラウンド (:mod:`.playground`): a prompt and sliders (temperature, top-k, top-p, beam, length, seed);
  the continuation regenerates as a slider moves, with the first step's
  distribution as bars: what top-k and top-p cut, and the renormalized probabilities;
- 一歩ずつ (:mod:`.step`): the learner picks every next token from the candidates, or lets the sampler pick;
- 貪欲 vs サンプリング (:mod:`.diversity`): several continuations each way, with distinct-n and the repetition rate;
- アテンション (:mod:`.newest`): where the newest token looks, per head.

The model loads in a page's worker through :mod:`tutor.demos.models` (torch is imported there);
the maths lives in :mod:`tutor.core.sampling` and :mod:`tutor.core.gpt_explain`.
"""

from __future__ import annotations

from typing import ClassVar

from ..base import Page, TabbedDemo
from .diversity import DiversityPage
from .examples import ExamplesPage
from .newest import NewestPage
from .playground import PlaygroundPage
from .step import StepPage


class GptDemo(TabbedDemo):
    """The L6 demo."""

    PAGES: ClassVar[dict[str, tuple[str, type[Page]]]] = {
        "gpt-examples": ("学習データ", ExamplesPage),
        "gpt-playground": ("プレイグラウンド", PlaygroundPage),
        "gpt-step": ("一歩ずつ", StepPage),
        "gpt-diversity": ("貪欲 vs サンプリング", DiversityPage),
        "gpt-attention": ("アテンション", NewestPage),
    }



__all__ = ["DiversityPage", "ExamplesPage", "GptDemo", "NewestPage", "PlaygroundPage", "StepPage"]
