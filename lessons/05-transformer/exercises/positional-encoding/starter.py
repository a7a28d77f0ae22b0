"""演習 positional-encoding: 位置エンコーディングを作る（L5）

2 節の式で、位置 pos = 0, 1, ..., length-1 のそれぞれに d_model 次元のベクトルを
作り、縦に並べた配列を返してください。

    PE(pos, 2i)   = sin(pos / 10000^(2i/d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))

シグネチャ:
    positional_encoding(length: int, d_model: int) -> np.ndarray

- 返り値は形が (length, d_model) の float の配列です。pos 行 j 列が PE(pos, j) です
  （行も列も 0 から数えます。最初の行（0 行目）が pos = 0 です）。
- 列 j について、i = j // 2 です。列番号 j が偶数の列（j = 2i）は sin、奇数の列
  j = 2i+1 は cos で、この二つの列は同じ i（同じ速さの針）を使います。
- d_model が奇数のときは、最後の列 j = d_model-1 は列番号が偶数なので sin の列です
  （組になる cos の列はありません）。d_model = 1 なら sin の列 1 本だけです。
- length も d_model も 1 以上です。

例（レッスンの d_model = 4 の表）:
    >>> np.round(positional_encoding(4, 4), 3)
    array([[ 0.   ,  1.   ,  0.   ,  1.   ],
           [ 0.841,  0.54 ,  0.01 ,  1.   ],
           [ 0.909, -0.416,  0.02 ,  1.   ],
           [ 0.141, -0.99 ,  0.03 ,  1.   ]])

   i = 0 の 2 列（j = 0, 1）は 10000^0 = 1 で、i = 1 の 2 列（j = 2, 3）は
   10000^(2/4) = 100 で pos を割ります。たとえば pos = 1 の行は
   (sin 1, cos 1, sin 0.01, cos 0.01) です。

確かめるときの許容誤差: 各要素 1e-6 + 1e-5×|期待値| まで。

確かめ方: `tutor exercise check positional-encoding`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def positional_encoding(length: int, d_model: int) -> np.ndarray:
    # ここに書いてください
    raise NotImplementedError
