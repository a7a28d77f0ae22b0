"""When a model is out of its depth: notices for inputs unlike what it was trained on (issue 18).

The bundled translators learned from small_parallel_enja, whose Japanese sentences
are short: :data:`TRAINED_WORDS` is the longest source, in our MeCab words, that
is common in the train split. A longer sentence, a sentence most of whose words
the model has never seen, or a translation cut off by the length limit each get
a notice, on stderr in the CLI and on the page in the app; the output is still shown.
"""

from __future__ import annotations

from collections.abc import Sequence

#: 99.9 % of the train split's Japanese sentences have at most this many of our words (the median
#: is 10, the longest 17; measured on all 50,000, joined and tokenized as the models read them:
#: see tests/unit/test_depth.py for the command).
TRAINED_WORDS = 16
#: A notice when at least this share of the source words is outside the model's vocabulary.
UNKNOWN_SHARE = 1 / 3


def translation_notices(source: Sequence[str], unknown: Sequence[str], target_len: int, ended: bool,
                        max_len: int) -> list[str]:
    """What to tell the learner about one translation.

    ``unknown``: the source words the model's vocabulary lacks; ``ended``: the decoder produced
    its end token (else it stopped at ``max_len`` words).
    """
    notices = []
    if len(source) > TRAINED_WORDS:
        notices.append(f"この文は {len(source)} 語です。"
                       f"翻訳モデルは {TRAINED_WORDS} 語くらいまでの短い文で学習したので、"
                       "長い文では訳が崩れやすくなります。短く分けると、よく訳せます。")
    if source and unknown and len(unknown) >= UNKNOWN_SHARE * len(source):
        shown = "、".join(dict.fromkeys(unknown))
        notices.append(f"{len(source)} 語のうち {len(unknown)} 語がモデルの語彙にありません（{shown}）。"
                       "知らない語は <unk> として読むので、訳はあてになりません。")
    if source and not ended and target_len >= max_len:
        notices.append(f"訳が長さの上限（{max_len} 語）で止まりました。文の終わりまで訳せていません。")
    return notices
