"""L1 形態素解析, 実験 tab: a sentence bar over three pages (解析表, 解析器の比較, one-hot)."""

from .demo import MorphologyDemo

__all__ = ["MorphologyDemo"]
