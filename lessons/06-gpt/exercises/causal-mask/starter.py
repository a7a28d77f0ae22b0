"""演習 causal-mask: 因果マスクを作る（L6）

長さ n の文の自己アテンションで使う因果マスク (causal mask) を作ります。
L6 の 2 節（L5 の 6 節）の表と同じく、行が見る側（クエリ）、列が見られる側
（キー）です。位置 t は、自分とそれより左の位置 0, 1, ..., t だけを見てよく、
右の位置は見てはいけません。

シグネチャ:
    causal_mask(n: int) -> np.ndarray

返り値:
    形 (n, n)、dtype が bool の NumPy 配列。
    mask[t, j] は、位置 t が位置 j を見てよければ True、見てはいけなければ False。
    つまり対角線とその左下が True、対角線より右上が False です。
    True が「見てよい」という決まりは、L5 の演習 scaled-dot-product の mask と同じです
    （このマスクをそのまま attention(Q, K, V, mask) に渡せます）。

  - 対角線も True です（どの位置も自分自身は見てよい）。
  - dtype は bool にしてください。0 / 1 の整数や小数の配列は不合格です。
  - n は 1 以上です。

許容誤差: なし（形、dtype、全要素が完全一致）。

例（L6 2 節の表の o が True、x が False）:
    >>> causal_mask(4)
    array([[ True, False, False, False],
           [ True,  True, False, False],
           [ True,  True,  True, False],
           [ True,  True,  True,  True]])

確かめ方: `tutor exercise check causal-mask`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def causal_mask(n: int) -> np.ndarray:
    # ここに書いてください
    raise NotImplementedError
