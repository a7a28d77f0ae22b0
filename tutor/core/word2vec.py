"""Word vectors: the queries of lesson L2 (similar words, analogies, a 2-D map).

Vectors are trained with gensim (:mod:`tutor.core.train.word2vec`) and stored as
a safetensors matrix plus a JSON vocabulary, never as a gensim pickle. At load
time they become a :class:`WordVectors`, a small numpy class whose
``similar``/``analogy`` give the same ranking as gensim's
``KeyedVectors.most_similar`` (a test checks), without importing gensim, whose
import alone takes about 0.6 s. ``to_keyed_vectors()`` rebuilds the real
``KeyedVectors`` for anyone who wants gensim's API.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import checkpoint
from .checkpoint import card_command

#: The bundled models: the CLI's --model choice -> folder under models/.
BUNDLED = {"cbow": "word2vec-cbow", "skipgram": "word2vec-skipgram"}
MODE_NAMES = {"cbow": "CBOW", "skipgram": "skip-gram"}


@dataclass(frozen=True)
class W2VConfig:
    """Everything that decides a word2vec training run; saved as config.json."""

    sg: bool = False  # False: CBOW (context -> word); True: skip-gram (word -> context)
    vector_size: int = 100
    window: int = 5
    epochs: int = 5
    min_count: int = 5
    negative: int = 5  # negative samples per positive pair
    sample: float = 1e-3  # down-sampling threshold for frequent words
    alpha: float = 0.025  # initial learning rate
    seed: int = 1
    workers: int = 2

    @property
    def mode(self) -> str:
        return "skipgram" if self.sg else "cbow"

    def describe(self) -> str:
        return (
            f"{MODE_NAMES[self.mode]} / {self.vector_size} 次元 / 窓 {self.window} / "
            f"{self.epochs} エポック / 最小出現 {self.min_count}"
        )

    @classmethod
    def from_json(cls, data: dict) -> "W2VConfig":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


#: The bundled models' settings, chosen by the sweep in benchmarks/word2vec_sweep.py
#: (figures in each model's CARD.md); `tutor train word2vec` starts from these.
DEFAULTS = {
    "cbow": W2VConfig(sg=False, vector_size=100, window=2, epochs=40, min_count=2, negative=10),
    "skipgram": W2VConfig(sg=True, vector_size=50, window=2, epochs=80, min_count=2, negative=10),
}


class UnknownWord(KeyError):
    """A query word that is not in the vocabulary; carries close spellings."""

    def __init__(self, word: str, suggestions: list[str]):
        super().__init__(word)
        self.word = word
        self.suggestions = suggestions

    def __str__(self) -> str:
        shown = self.word if len(self.word) <= 20 else self.word[:20] + "…"
        msg = f"「{shown}」は語彙にありません（学習コーパスに少ししか出てこない語は除かれます）。"
        if self.suggestions:
            msg += " 近い表記: " + "、".join(self.suggestions)
        return msg


@dataclass(frozen=True)
class Neighbor:
    word: str
    similarity: float


@dataclass
class WordVectors:
    """A vocabulary and its vectors (float32), with cosine-similarity queries."""

    words: list[str]
    vectors: np.ndarray  # (V, D) float32
    counts: np.ndarray | None = None  # (V,) corpus frequency, most frequent first
    config: W2VConfig | None = None
    meta: dict = field(default_factory=dict)  # training time, corpus size, quality figures

    def __post_init__(self):
        self.vectors = np.asarray(self.vectors, dtype=np.float32)
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.words):
            raise ValueError(f"{len(self.words)} words but vectors of shape {self.vectors.shape}")
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("duplicate words in the vocabulary")
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        self.unit = self.vectors / np.maximum(norms, 1e-12)  # (V, D), rows of length 1

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def count(self, word: str) -> int | None:
        i = self.index.get(word)
        return None if i is None or self.counts is None else int(self.counts[i])

    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Known words spelled like ``word``: its MeCab pieces, then close spellings."""
        if not word or len(word) > 50:
            return []
        from .text import tokenize  # MeCab: 日本語 is 日本 + 語 in UniDic

        pieces = [w for w in tokenize(word) if w in self.index and w != word]
        pool = self.words[:20000]
        starts = [w for w in pool if w != word and len(w) > 1 and (w.startswith(word) or word.startswith(w))]
        close = difflib.get_close_matches(word, pool, n=n, cutoff=0.5)
        out: list[str] = []
        for w in pieces + starts[:n] + close:
            if w not in out:
                out.append(w)
        return out[:n]

    def _row(self, word: str) -> int:
        i = self.index.get(word)
        if i is None:
            raise UnknownWord(word, self.suggest(word))
        return i

    def vector(self, word: str) -> np.ndarray:
        return self.vectors[self._row(word)]

    def similarity(self, a: str, b: str) -> float:
        return float(self.unit[self._row(a)] @ self.unit[self._row(b)])

    def _nearest(self, query: np.ndarray, exclude: set[int], topn: int) -> list[Neighbor]:
        q = query / max(float(np.linalg.norm(query)), 1e-12)
        sims = self.unit @ q  # (V,)
        k = min(len(sims), topn + len(exclude))
        best = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
        best = best[np.argsort(-sims[best], kind="stable")]
        return [Neighbor(self.words[i], float(sims[i])) for i in best if i not in exclude][:topn]

    def similar(self, word: str, topn: int = 10) -> list[Neighbor]:
        """The ``topn`` words with the highest cosine similarity to ``word``."""
        i = self._row(word)
        return self._nearest(self.unit[i], {i}, topn)

    def analogy(self, positive: list[str], negative: list[str], topn: int = 10) -> list[Neighbor]:
        """Words nearest to Σ positive − Σ negative (unit vectors, as gensim's 3CosAdd).

        ``analogy(["王", "女"], ["男"])`` is 王 − 男 + 女. The query words
        themselves are left out of the answers, as is usual.
        """
        if not positive and not negative:
            raise ValueError("no words to combine")
        rows = [self._row(w) for w in positive] + [self._row(w) for w in negative]
        query = sum(self.unit[i] for i in rows[: len(positive)]) - sum(
            (self.unit[i] for i in rows[len(positive) :]), np.zeros(self.dim, np.float32)
        )
        return self._nearest(query, set(rows), topn)

    def to_keyed_vectors(self):
        """The same vectors as gensim ``KeyedVectors`` (imports gensim: slow)."""
        from gensim.models import KeyedVectors

        kv = KeyedVectors(self.dim, dtype=np.float32)
        kv.add_vectors(self.words, self.vectors)
        return kv

    # --- disk -------------------------------------------------------------------------------

    def save(self, folder: Path, card: str | None = None) -> None:
        """Write the folder atomically: float16 weights, config, vocabulary, card."""
        arrays = {"vectors": self.vectors.astype(np.float16)}
        if self.counts is not None:
            arrays["counts"] = np.asarray(self.counts, dtype=np.int64)
        config = asdict(self.config) if self.config else {}
        checkpoint.write_folder(
            folder,
            lambda path: checkpoint.save_arrays(path, arrays),
            {"kind": "word2vec", **config, "meta": self.meta},
            self.words,
            card,
        )


def load(folder: Path) -> WordVectors:
    """Load a saved model folder (checked against the manifest when it has one)."""
    folder = Path(folder)
    checkpoint.verify(folder)
    config = checkpoint.read_json(folder / checkpoint.CONFIG)
    checkpoint.expect_kind(folder, config, "word2vec")
    words = checkpoint.read_json(folder / checkpoint.VOCAB)
    arrays = checkpoint.load_arrays(folder / checkpoint.WEIGHTS)
    if not isinstance(words, list) or "vectors" not in arrays or len(words) != len(arrays["vectors"]):
        raise checkpoint.ModelCorrupt(f"{folder} の語彙とベクトルの数が合いません。")
    meta = config.pop("meta", {}) if isinstance(config, dict) else {}
    return WordVectors(
        words=words,
        vectors=arrays["vectors"],
        counts=arrays.get("counts"),
        config=W2VConfig.from_json(config),
        meta=meta,
    )


def load_bundled(models_dir: Path, mode: str) -> WordVectors:
    if mode not in BUNDLED:
        raise ValueError(f"unknown model {mode!r}; expected one of {sorted(BUNDLED)}")
    return load(Path(models_dir) / BUNDLED[mode])


def model_card(wv: WordVectors, command: str) -> str:
    """CARD.md for a trained model: data, command, parameters, time and quality."""
    cfg, meta = wv.config or W2VConfig(), wv.meta
    lines = [
        f"# word2vec-{cfg.mode} ({MODE_NAMES[cfg.mode]})",
        "",
        "Word vectors for lesson L2, trained with gensim on the Japanese side of",
        "small_parallel_enja (train split), tokenized by the project's MeCab pipeline",
        "(NFKC, fugashi + unidic-lite; the corpus's own word splits are joined first).",
        "",
        *card_command(command),
        "## Parameters",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in asdict(cfg).items()]
    lines += [
        "",
        "gensim with 2 worker threads is not bit-for-bit reproducible even with a fixed seed;",
        "a retrain gives figures within a few points of these.",
        "",
        "## Training",
        "",
        f"- sentences: {meta.get('sentences', '?'):,}, tokens: {meta.get('tokens', '?'):,}, vocabulary: {len(wv):,}",
        *([f"- {meta['carved']} (word2vec chooses nothing on it; its settings are compared on "
           "assets/word2vec_eval.toml, which is not drawn from the corpus, and dev is not used)"]
          if meta.get("carved") else []),
        f"- training time: {meta.get('train_seconds', '?')} s (after tokenizing; 2-core CPU)",
        "- loss after each epoch (negative-sampling loss on a fixed sample of 500 training sentences,",
        f"  measured between epochs): {', '.join(f'{x:.3f}' for x in meta.get('loss_per_epoch', []))}",
        "- stored as float16 in model.safetensors (`vectors`, `counts`) + vocab.json; computed in float32",
    ]
    q = meta.get("quality")
    if q:
        lines += [
            "",
            "## Quality (assets/word2vec_eval.toml, `tutor eval word2vec`)",
            "",
            f"- neighbour share (top-10 neighbours in the word's own group): {q['neighbour_share']:.3f} "
            f"(ceiling {q['ceiling']:.3f}; {q['coverage']:.0%} of group words in the vocabulary)",
            f"- the same for rare words (< 50 occurrences): {q.get('share_rare', 0):.3f}; "
            f"frequent words: {q.get('share_frequent', 0):.3f}",
            f"- analogy accuracy: top-1 {q['analogy_accuracy']:.3f}, top-5 {q['analogy_top5']:.3f} "
            f"({len(q['analogies'])} items)",
            "",
            "| analogy | expected | top answers |",
            "|---|---|---|",
        ]
        for a in q["analogies"]:
            got = "missing: " + ", ".join(a["missing"]) if a["missing"] else " ".join(a["answers"])
            lines.append(f"| {a['query']} | {a['expected']} | {got} |")
    return "\n".join(lines) + "\n"


def pca_2d(matrix: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Project rows onto their two main directions; returns (N, 2) and the variance share of each."""
    x = np.asarray(matrix, dtype=np.float64)
    x = x - x.mean(axis=0, keepdims=True)
    if len(x) < 2:
        return np.zeros((len(x), 2)), (0.0, 0.0)
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    coords = x @ vt[:2].T
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    total = float((s**2).sum()) or 1.0
    shares = [float(v**2 / total) for v in s[:2]] + [0.0, 0.0]
    # Fix the sign of each axis so a redraw does not mirror the picture.
    for j in range(2):
        if coords[np.argmax(np.abs(coords[:, j])), j] < 0:
            coords[:, j] = -coords[:, j]
    return coords, (shares[0], shares[1])
