"""A lexical token model beside the technique encoder: hashed logistic regression over word features.

Loaded language and name calling (about half of the PTC spans) are very lexical, and the small encoder has
seen few examples of most words. This model scores each word from its lower-cased form, its neighbours (one
and two words either side, and the two bigrams that contain it) and its capitalisation; the feature names
are hashed (crc32) into a fixed number of weights. At decoding time its logit is added, times a tuned
weight, to the encoder's span logit of every token of the word (:mod:`discernment.extract.technique_model`).

It is trained on the PTC training articles by :func:`fit_lexicon` (numpy only, full-batch Adam on the
L2-regularised log loss) from :func:`discernment.train.techniques.train_lexicon`, and shipped as
``lexicon.npz`` (weights and bias).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

WORD = re.compile(r"\w+|[^\w\s]")
BUCKETS = 1 << 19


def _bucket(name: str, buckets: int) -> int:
    return zlib.crc32(name.encode("utf-8")) % buckets


def word_feature_names(words: Sequence[str], i: int) -> list[str]:
    """Names of the features of word ``i`` of ``words`` (the words as written): binary features only."""
    low = [w.lower() for w in words[max(0, i - 2) : i + 3]]
    at = i - max(0, i - 2)

    def get(j: int) -> str:
        k = at + j
        return low[k] if 0 <= k < len(low) and 0 <= i + j < len(words) else "<s>"

    w = low[at]
    names = [f"w={w}", f"p={get(-1)}", f"n={get(1)}", f"pw={get(-1)}_{w}", f"wn={w}_{get(1)}", f"p2={get(-2)}",
             f"n2={get(2)}"]
    word = words[i]
    if word[:1].isupper():
        names.append("cap")
        if len(word) > 1 and word.isupper():
            names.append("allcap")
    return names


def text_words(text: str) -> tuple[list[str], np.ndarray]:
    """Words and punctuation marks of ``text`` and their start offsets."""
    matches = list(WORD.finditer(text))
    return [m.group() for m in matches], np.asarray([m.start() for m in matches], dtype=np.int64)


def word_of_token(word_starts: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """For each token (character offsets N x 2) the index of the word in which it starts."""
    if not len(word_starts):
        return np.zeros(len(offsets), dtype=np.int64)
    idx = np.searchsorted(word_starts, offsets[:, 0], side="right") - 1
    return np.clip(idx, 0, len(word_starts) - 1)


def feature_rows(words: Sequence[str], buckets: int) -> list[list[int]]:
    """Hashed feature indices of each word."""
    return [[_bucket(name, buckets) for name in word_feature_names(words, i)] for i in range(len(words))]


@dataclass
class Lexicon:
    weights: np.ndarray  # (buckets,) float32
    bias: float

    @property
    def buckets(self) -> int:
        return len(self.weights)

    def word_logits(self, words: Sequence[str]) -> np.ndarray:
        out = np.full(len(words), self.bias, dtype=np.float32)
        for i, row in enumerate(feature_rows(words, self.buckets)):
            out[i] += float(self.weights[row].sum())
        return out

    def token_logits(self, text: str, offsets: np.ndarray) -> np.ndarray:
        """The lexical logit of each token (the logit of the word in which the token starts)."""
        if not len(offsets):
            return np.zeros(0, dtype=np.float32)
        words, starts = text_words(text)
        if not words:
            return np.full(len(offsets), self.bias, dtype=np.float32)
        return self.word_logits(words)[word_of_token(starts, offsets)]

    def save(self, path) -> None:
        np.savez(path, weights=self.weights.astype(np.float32), bias=np.float32(self.bias))

    @classmethod
    def from_arrays(cls, arrays) -> "Lexicon":
        return cls(np.asarray(arrays["weights"], dtype=np.float32), float(arrays["bias"]))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit_lexicon(examples: Iterable[tuple[str, np.ndarray, np.ndarray]], buckets: int = BUCKETS,
                l2: float = 1e-5, iterations: int = 300, lr: float = 0.05) -> Lexicon:
    """Fit on ``(text, token offsets N x 2, token labels N)`` triples: one row per token.

    Minimises the mean log loss + ``l2 / 2 * |w|^2`` by full-batch Adam (deterministic, numpy only).
    """
    rows, cols, labels = [], [], []
    n = 0
    for text, offsets, y in examples:
        words, starts = text_words(text)
        if not words or not len(offsets):
            continue
        feats = feature_rows(words, buckets)
        for w in word_of_token(starts, offsets):
            rows.extend([n] * len(feats[w]))
            cols.extend(feats[w])
            n += 1
        labels.append(np.asarray(y, dtype=np.float64))
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    y = np.concatenate(labels) if labels else np.zeros(0)
    w = np.zeros(buckets, dtype=np.float64)
    b = float(np.log((y.mean() + 1e-6) / (1 - y.mean() + 1e-6))) if n else 0.0
    m_w, v_w, m_b, v_b = np.zeros(buckets), np.zeros(buckets), 0.0, 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        z = np.bincount(r, weights=w[c], minlength=n) + b
        resid = _sigmoid(z) - y
        g_w = np.bincount(c, weights=resid[r], minlength=buckets) / n + l2 * w
        g_b = float(resid.mean())
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w * g_w
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
        scale = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        w -= scale * m_w / (np.sqrt(v_w) + eps)
        b -= scale * m_b / (np.sqrt(v_b) + eps)
    return Lexicon(w.astype(np.float32), b)
