"""L2 単語の分散表現, 実験 tab: 類似語, アナロジー, 地図 (PCA) and 学習, over the loaded word vectors."""

from .demo import Word2VecDemo
from .vectors import TRAINED

__all__ = ["TRAINED", "Word2VecDemo"]
