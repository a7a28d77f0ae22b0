"""演習 attention-scores: スコア関数と、アテンションの 1 ステップ（L4）

L4 の 2 節・3 節の計算を、NumPy で自分で書きます。記号はレッスンと同じです。
s はデコーダの状態、h_1 ... h_n はエンコーダの状態で、h_i を上から順に行として
並べた行列を H と書きます（Python では 0 始まりなので、h_i は H の i 行目 H[i]）。

■ 1. score(kind, s, H, W=None, v=None) -> np.ndarray

n 個のスコア e_i = score(s, h_i) を、形 (n,) の 1 次元配列で返してください
（float の配列。e_i の順番は H の行の順）。kind は次の 4 つのどれかです。

    "dot"      : e_i = s^T h_i
    "general"  : e_i = s^T W h_i                  W の形は (d, d)
    "concat"   : e_i = v^T tanh(W [s; h_i])       W の形は (d_a, 2d)、v の形は (d_a,)
    "additive" : e_i = v^T tanh(W [s; h_i])       concat と同じ式

  - s の形は (d,)、H の形は (n, d) です。W と v は、その kind が使うときだけ渡されます
    （dot では W も v も None、general では v が None）。
  - general は「h_i を W で変換してから s と内積」です。h_i^T W s ではありません
    （W が対称でない限り、答えが変わります）。
  - [s; h_i] は、s を先、h_i を後ろにして縦につなげた長さ 2d のベクトルです。
    W の左半分 W[:, :d] が s に、右半分 W[:, d:] が h_i に掛かります。
    tanh は np.tanh で、成分ごとにかけます。
  - d_a は d と同じとは限りません。アプリで使う翻訳器は d = 256、d_a = 256、
    n は文の長さ（40 くらいまで）です。
  - それ以外の kind では ValueError を送出すると親切です（確かめはしません）。

■ 2. attend(s, H, kind, W=None, v=None) -> tuple[np.ndarray, np.ndarray]

引数の順番が score と違い、s と H が先、kind が 3 番目です（W、v は score と同じ）。
score でスコア e_i を計算し、次の二つを組 (tuple) で返してください。

    a_i = exp(e_i) / sum_k exp(e_k)      重み (softmax)。形 (n,)、0 以上で合計 1
    c   = sum_i a_i h_i                  文脈ベクトル。形 (d,)

  - softmax は、exp の前にスコアから最大値を引いて計算してください:
    a_i = exp(e_i - m) / sum_k exp(e_k - m)、m = max_k e_k。
    分子と分母に同じ exp(-m) が掛かるだけなので、重みは変わりません。
    引かないと、スコアが 1000 くらいのとき exp(1000) が inf になり、重みが nan になります。
  - c は n 個のベクトルを足し合わせた 1 本のベクトルです（形 (n, d) ではありません）。

許容誤差: 各要素 1e-6 + 1e-5×|期待値| まで。

例（L4 2 節の数）:
    >>> H = np.array([[2.0, -1.0],   # h_1 (私)
    ...               [0.0, 1.0],    # h_2 (犬)
    ...               [1.0, 0.0]])   # h_3 (好き)
    >>> s = np.array([1.0, 2.0])
    >>> score("dot", s, H)
    array([0., 2., 1.])
    >>> a, c = attend(s, H, "dot")
    >>> a.round(3), c.round(3)
    (array([0.09 , 0.665, 0.245]), array([0.425, 0.575]))
    >>> W = np.array([[0.0, 1.0],
    ...               [0.0, 0.0]])
    >>> score("general", s, H, W)    # s^T W h_i = s[0] * h_i[1]
    array([-1.,  1.,  0.])

確かめ方: `tutor exercise check attention-scores`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def score(
    kind: str, s: np.ndarray, H: np.ndarray, W: np.ndarray | None = None, v: np.ndarray | None = None
) -> np.ndarray:
    # ここに書いてください
    raise NotImplementedError


def attend(s: np.ndarray, H: np.ndarray, kind: str, W: np.ndarray | None = None,
           v: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    # ここに書いてください
    raise NotImplementedError
