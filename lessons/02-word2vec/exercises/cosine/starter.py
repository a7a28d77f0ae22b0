"""演習 cosine: コサイン類似度を計算し、近い単語を探す（L2）

二つの関数を書いてください。

1. cosine(a, b) -> float
   1 次元の NumPy 配列 a, b（同じ長さ D、dtype は float64）のコサイン類似度を
   返します。4 節の式のとおり、内積を二つの長さの積で割ります。

                     a . b
       cos(a, b) = ---------
                   |a| * |b|

   長さ 0 のベクトル（ゼロベクトル）が来ても、0 で割ってはいけません。
   長さを max(|a|, 1e-12) のように 1e-12 で下から押さえて割ってください。
   こうすると、ゼロベクトルとの類似度は 0.0 になります。

2. most_similar(vectors, vocab, word, topn) -> list[tuple[str, float]]
   vectors は形が (V, D) の float64 の配列で、i 行目が vocab[i] の単語ベクトル
   です（vocab は V 個の語のリスト、同じ語は二度出てきません）。
   word（vocab にある語）とのコサイン類似度が高い順に topn 語を選び、
   (語, 類似度) の組のリストにして返します。
   - word 自身は候補に入れません（自分との類似度は必ず 1 なので）。
   - 類似度がまったく同じ語どうしは、vocab で前にある語を先にします。
   - topn は 1 以上です。候補の数（V - 1）より大きいときは、word 以外の全部の語を返します。
   - 類似度は float(...) で Python の数にして返します（例の表示がそのまま読めるように）。
   - ゼロベクトルの語は、cosine と同じく類似度 0 として並べます。

例（レッスン 4 節の 2 次元のベクトル）:
    >>> import numpy as np
    >>> cosine(np.array([3.0, 4.0]), np.array([4.0, 3.0]))   # 犬 と 猫
    0.96
    >>> vocab = ["犬", "猫", "民主主義", "犬2"]
    >>> vectors = np.array([[3.0, 4.0], [4.0, 3.0], [4.0, -3.0], [6.0, 8.0]])
    >>> most_similar(vectors, vocab, "犬", 2)
    [('犬2', 1.0), ('猫', 0.96)]

   犬 と 犬2 は向きが同じなので 1、猫 は 24 / 25 = 0.96、民主主義 は 0 です。
   犬 自身は入らず、上位 2 語だけを返しています。

確かめるときの許容誤差: 類似度は各値 1e-5 + 1e-5×|期待値| まで
（比べる正解は float32 で計算しています。類似度がちょうど同じになるケースには、
どの精度で計算しても同じ値になる数だけを使っています）。語とその順番は完全に一致する必要があります。

確かめ方: `tutor exercise check cosine`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    # ここに書いてください
    raise NotImplementedError


def most_similar(vectors: np.ndarray, vocab: list[str], word: str, topn: int) -> list[tuple[str, float]]:
    # ここに書いてください
    raise NotImplementedError
