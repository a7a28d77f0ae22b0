"""演習 onehot: 文のトークン列から one-hot ベクトルを作る（L1）

トークン（形態素解析で分けた語）のリスト tokens を受け取り、次の二つを
組 (tuple) にして返してください。

1. vocab: 語彙。tokens に出てくる異なる語を、「初めて出てきた順」に並べたリスト。
2. matrix: 形が (len(tokens), len(vocab)) の NumPy の整数配列。
   i 行目は tokens[i] の one-hot ベクトルで、その語の語彙番号の列だけが 1、
   ほかはすべて 0 です。同じ語が 2 回出てきたら、同じ行が 2 回現れます。

シグネチャ:
    onehot(tokens: list[str]) -> tuple[list[str], np.ndarray]

例:
    >>> vocab, m = onehot(["猫", "が", "犬", "が"])
    >>> vocab
    ['猫', 'が', '犬']
    >>> m
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 0, 1],
           [0, 1, 0]])

空のリストなら、vocab は []、matrix の形は (0, 0) です。

確かめ方: `tutor exercise check onehot`（アプリの「演習」タブでは、保存するたびに自動で確かめます）。
"""

import numpy as np


def onehot(tokens: list[str]) -> tuple[list[str], np.ndarray]:
    # ここに書いてください
    raise NotImplementedError
