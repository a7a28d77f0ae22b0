"""演習 scaled-dot-product: スケール化内積アテンション（L5）

L5 の 3 節と 6 節の式を、NumPy で書きます。

    Attention(Q, K, V) = softmax( Q K^T / sqrt(d_k) ) V

シグネチャ:
    attention(Q, K, V, mask=None) -> tuple[np.ndarray, np.ndarray]

引数（どれも float の NumPy 配列。mask だけ bool）:
    Q     形 (..., n, d_k)   クエリを行として縦に並べたもの
    K     形 (..., m, d_k)   キー
    V     形 (..., m, d_v)   バリュー
    mask  None か、(..., n, m) にブロードキャストできる形の bool 配列。
          mask[..., i, j] が True なら、クエリ i はキー j を見てよい。False なら見てはいけない。

「...」は前に付く次元（文の番号、ヘッドの番号など）で、ないこともあれば
(2, 3, n, d_k) のように 2 つ付くこともあります。前の次元ごとに、それぞれ独立に
同じ計算をします。n と m は違うことがあります（交差アテンション）。

返り値は (out, weights) の組 (tuple) です:
    weights  形 (..., n, m)    weights = softmax(Q K^T / sqrt(d_k))。softmax は最後の軸
                                （キーの軸）でとるので、各行（1 つのクエリ）の合計が 1 です。
    out      形 (..., n, d_v)  out = weights V（行ごとに、バリューの重み付き和）

決まりごと:
  - 割るのは d_k（Q と K の最後の次元の長さ）の平方根 sqrt(d_k) です。
  - マスクは softmax の「前に」かけます。mask が False の位置のスコアを -inf
    （または -1e9 のような、とても大きな負の数）にしてから softmax をとると、
    その位置の重みはちょうど 0 になり、残りの位置だけで合計が 1 になります。
    mask のどの行にも True が少なくとも 1 つあります（全部隠された行は来ません）。
  - mask が None なら、すべての位置を見てよいものとします。
  - softmax は、exp の前に各行の最大値を引いて計算してください。スコアが 1000 を
    超えるケースがあり、引かないと exp があふれて nan になります。
  - K の転置は、前の次元はそのままで最後の 2 つの軸だけを入れ替えます
    （K.T では前の次元まで逆順になってしまいます）。

許容誤差: 各要素 1e-6 + 1e-5×|期待値| まで。

例（L5 3 節の数。クエリ 1 つ、d_k = 4）:
    >>> Q = np.array([[2.0, 1.0, 0.0, 1.0]])      # 得意なスポーツは？
    >>> K = np.array([[2.0, 0.0, 0.0, 2.0],       # 野球
    ...               [0.0, 0.0, 1.0, 0.0],       # が
    ...               [0.0, 2.0, 0.0, 0.0]])      # 得意
    >>> V = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    >>> out, w = attention(Q, K, V)
    >>> w.round(3)          # スコア (6, 0, 2) を sqrt(4) = 2 で割って (3, 0, 1)、その softmax
    array([[0.844, 0.042, 0.114]])
    >>> out.round(3)
    array([[0.844, 0.114]])
    >>> out, w = attention(Q, K, V, mask=np.array([[True, False, True]]))
    >>> w.round(3)          # 「が」を隠すと、残りの 2 つで合計 1
    array([[0.881, 0.   , 0.119]])

確かめ方: `tutor exercise check scaled-dot-product`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def attention(Q: np.ndarray, K: np.ndarray, V: np.ndarray,
              mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    # ここに書いてください
    raise NotImplementedError
