"""演習 mlm-mask: マスク言語モデル (MLM) の穴埋め問題を作る（L7）

BERT の事前学習の入力と答えを、レッスンの「15% を選び、80% / 10% / 10% に分ける」
のとおりに作ってください。

シグネチャ:
    mask_tokens(ids: np.ndarray, rng: np.random.Generator, vocab_size: int, mask_id: int,
                special_ids: list[int]) -> tuple[np.ndarray, np.ndarray]

引数:
    ids          文のトークン id の 1 次元配列 (dtype int64)。[CLS] や [SEP] も含みます。
                 空の配列のこともあります（そのときは空の配列を二つ返します）。
    rng          乱数の生成器 (np.random.default_rng(シード) で作ったもの)。
    vocab_size   語彙の大きさ。id は 0 から vocab_size - 1 までです。
    mask_id      [MASK] の id。
    special_ids  特殊トークン ([PAD] [UNK] [CLS] [SEP] [MASK] など) の id のリスト。
                 0, 1, 2, … と連続しているとは限りません。mask_id も含まれます。

手順:
1. 特殊トークンでない位置のそれぞれを、ほかの位置とは別々のくじで、確率 0.15 で選びます。
   特殊トークンの位置は選びません。
2. 選んだ位置ごとにもう一度くじを引き、
     確率 0.8 で mask_id に置き換え、
     確率 0.1 でランダムな語に置き換え、
     確率 0.1 でそのまま残します。
   ランダムな語は、range(vocab_size) のうち special_ids に入っていない id から、
   どれも同じ確率で引きます（元の語と同じ id が出てもかまいません）。
3. (inputs, labels) を返します。
     inputs  ids と同じ形の int64 配列。選ばなかった位置は ids のまま、選んだ位置は 2. の結果。
     labels  ids と同じ形の int64 配列。選んだ位置は元の id（置き換える前の id）、
             選ばなかった位置（特殊トークンも）は -100（損失を計算しない印）。

乱数は必ず引数の rng から引きます（rng.random、rng.integers、rng.choice など）。
np.random.rand のような np.random.* の関数は使いません。同じシードの rng を渡せば、
いつも同じ結果になるようにします。

合格の条件（許容誤差）: くじの引き方で結果が変わるので、値をそのまま比べることはしません。
  - 毎回: 形と dtype、特殊トークンが選ばれていないこと、labels が -100 か元の id であること、
    選ばなかった位置の入力がそのままであること、ランダムな語が特殊でなく語彙の範囲内であること。
  - たくさん引いて数えた割合: 選ぶ割合 0.15 ± 0.015、選んだ中の [MASK] 0.8 ± 0.045、
    ランダムな語 0.1 ± 0.035、そのまま 0.1 ± 0.035（20,000 トークンを 1 回と、2,000 トークンを
    20 回。どれも、くじの揺れの 5 倍より広い幅です）。
  - 同じシードでは同じ結果、違うシードでは違う結果になること。
  - 語彙 10 語で特殊な id が飛び飛び ([0, 1, 2, 3, 7]、[MASK] は 3) のとき、ランダムな語に
    4, 5, 6, 8, 9 がどれも出てくること。

例（[CLS]=4、[SEP]=5、[MASK]=6、特殊トークンは 0〜6）:
    >>> ids = np.array([4, 31, 9, 57, 12, 40, 15, 8, 5])  # [CLS] 私 は 犬 が 好き です 。 [SEP]
    >>> inputs, labels = mask_tokens(ids, np.random.default_rng(0), 100, 6, [0, 1, 2, 3, 4, 5, 6])
    >>> inputs
    array([ 4, 31,  6, 14, 12, 40, 15,  8,  5])
    >>> labels
    array([-100, -100,    9,   57, -100, -100, -100, -100, -100])

  これは結果の一例です（rng の使い方で変わります）。「は」(9) と「犬」(57) が選ばれ、
  「は」は [MASK] に、「犬」はランダムな語 14 になりました。labels はその 2 か所だけが元の id です。

確かめ方: `tutor exercise check mlm-mask`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def mask_tokens(ids: np.ndarray, rng: np.random.Generator, vocab_size: int, mask_id: int,
                special_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    # ここに書いてください
    raise NotImplementedError
