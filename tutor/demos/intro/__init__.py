"""L0 はじめに: one page, so one module (demo.py)."""

from .demo import IntroDemo

__all__ = ["IntroDemo"]
