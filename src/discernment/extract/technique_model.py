"""The persuasion-technique tagger at inference time: onnxruntime + ``tokenizers`` + numpy, no torch.

The model (trained by :mod:`discernment.train.techniques`) is a MiniLM encoder with two heads:

* a token head with 15 sigmoid outputs: column 0 is "inside any propaganda span" (span identification), columns
  1..14 one per technique (:data:`TECHNIQUES`); only column 0 is used for decoding spans;
* a span head (a linear layer shipped as ``span_head.npz``) that labels a span from the mean, first and last
  token vectors of the encoder plus two repetition features (does the span's text occur elsewhere in the
  article, and is this a later occurrence); its 15th class, "not propaganda", filters decoded spans.

An optional lexical token model (``lexicon.npz``, :mod:`discernment.extract.technique_lexicon`) adds its
logit, times ``lexical_weight``, to the encoder's span logit of each token before decoding.

Articles of any length are cut into overlapping token windows; each token takes its outputs from the window in
which it sits furthest from an edge. Spans are runs of tokens whose score passes a threshold (with hysteresis: a
run must reach ``span_threshold`` somewhere and extends over neighbours down to ``extend_threshold``), widened to
whole words, merged across small gaps, and always carry exact character offsets into the text.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..model import Technique
from .technique_lexicon import Lexicon

# The 14 labels of the PTC corpus, spelled as in propaganda-techniques-names-semeval2020task11.txt.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
REPETITION = TECHNIQUES.index("Repetition")
NONE = len(TECHNIQUES)  # index of the span head's "not propaganda" class, when it has one
MODEL_FILES = ("model.int8.onnx", "tokenizer.json", "span_head.npz", "settings.json")  # plus lexicon.npz, optional
LEXICON_FILE = "lexicon.npz"

_WORD_CHAR = re.compile(r"\w")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DecodeSettings:
    """How token scores become spans; defaults are overridden by the model's settings.json, then by config."""

    window: int = 256  # tokens per window, [CLS] and [SEP] included
    overlap: int = 32  # tokens shared by consecutive windows
    batch_size: int = 16  # windows per onnxruntime call
    span_threshold: float = 0.5  # token score needed to start a span
    extend_threshold: float = 0.0  # a span extends over neighbouring tokens scoring at least this (0: span_threshold)
    lexical_weight: float = 0.0  # weight of the lexicon's logit added to the encoder's span logit (0: off)
    merge_gap: int = 10  # spans closer than this many characters (no line break between) are joined
    min_chars: int = 2  # shorter spans are dropped
    second_label_threshold: float = 0.5  # further techniques of a span need at least this probability
    none_threshold: float = 0.5  # spans the span head calls "not propaganda" with this probability are dropped
    repetition_rule: bool = True  # a later repeat of an earlier span's text is labelled Repetition too

    def updated(self, values: dict[str, Any]) -> "DecodeSettings":
        known = {k: v for k, v in values.items() if k in self.__dataclass_fields__}
        return replace(self, **known)


@dataclass(frozen=True)
class ScoredSpan:
    start: int
    end: int
    score: float


@dataclass
class EncodedText:
    """Per-token character offsets, scores (N x 15) and encoder vectors (N x hidden) of one text."""

    offsets: np.ndarray
    scores: np.ndarray
    hidden: np.ndarray
    _starts: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._starts = self.offsets[:, 0] if len(self.offsets) else np.zeros(0, dtype=np.int64)

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens overlapping characters [start, end) as (first, last + 1); the nearest token if none do."""
        if not len(self.offsets):
            return 0, 0
        first = int(np.searchsorted(self.offsets[:, 1], start, side="right"))
        last = int(np.searchsorted(self._starts, end, side="left"))
        if first >= last:
            first = min(first, len(self.offsets) - 1)
            return first, first + 1
        return first, last


# ---------------------------------------------------------------------------------------------------- windows


def window_starts(n_tokens: int, content: int, overlap: int) -> list[int]:
    """First token of each window of ``content`` tokens covering ``n_tokens`` with ``overlap`` shared."""
    if n_tokens <= content:
        return [0]
    step = max(1, content - overlap)
    starts = list(range(0, n_tokens - content, step))
    starts.append(n_tokens - content)
    return starts


class _Assembly:
    """One text's token scores and vectors, put together window by window: each token from the window in which it
    is furthest from an edge (:func:`window_owner`)."""

    def __init__(self, enc: Any, plan: tuple[list[int], int]):
        self.n = len(enc.ids)
        self.offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(self.n, 2)
        self.starts, self.content = plan
        self.window = {begin: w for w, begin in enumerate(self.starts)}
        self.owner = window_owner(self.starts, self.content, self.n) if self.n else None
        self.logits: np.ndarray | None = None
        self.hidden: np.ndarray | None = None

    def take(self, begin: int, logits: np.ndarray, hidden: np.ndarray) -> None:
        if self.logits is None:
            self.logits = np.empty((self.n, logits.shape[1]), dtype=np.float32)
            self.hidden = np.empty((self.n, hidden.shape[1]), dtype=np.float32)
        end = min(begin + self.content, self.n)  # a token is owned only by a window holding it
        sel = begin + np.nonzero(self.owner[begin:end] == self.window[begin])[0]
        self.logits[sel] = logits[sel - begin]
        self.hidden[sel] = hidden[sel - begin]

    def result(self, hidden_size: int) -> "EncodedText":
        if self.n == 0:
            return EncodedText(self.offsets, np.zeros((0, 1 + len(TECHNIQUES)), np.float32),
                               np.zeros((0, hidden_size), np.float32))
        return EncodedText(self.offsets, 1.0 / (1.0 + np.exp(-self.logits)), self.hidden)


def window_owner(starts: Sequence[int], content: int, n_tokens: int) -> np.ndarray:
    """For each token, the index of the window in which it is furthest from an edge."""
    best = np.full(n_tokens, -1, dtype=np.int64)
    margin = np.full(n_tokens, -1, dtype=np.int64)
    for w, begin in enumerate(starts):
        end = min(begin + content, n_tokens)
        idx = np.arange(begin, end)
        m = np.minimum(idx - begin, end - 1 - idx)
        better = m > margin[begin:end]
        best[begin:end][better] = w
        margin[begin:end][better] = m[better]
    return best


# ---------------------------------------------------------------------------------------------------- decoding


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Whole words, an apostrophe between letters included ("Yurash’s", "didn’t")."""
    def inside(i: int) -> bool:  # text[i] continues the word of text[i - 1]
        if _WORD_CHAR.match(text[i]) and _WORD_CHAR.match(text[i - 1]):
            return True
        return (text[i] in "'’" and i + 1 < len(text) and text[i + 1].isalpha() and text[i - 1].isalpha()) or (
            text[i - 1] in "'’" and i >= 2 and text[i - 2].isalpha() and text[i].isalpha())

    while start > 0 and inside(start):
        start -= 1
    while end < len(text) and inside(end):
        end += 1
    return start, end


_OPENERS, _CLOSERS = "“‘«(", "”’»)"


def _trim_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop what cannot end or open a phrase: spaces, a trailing comma or opening quote mark ("neo-Nazi “"), a
    leading closing mark; straight quotes only when unpaired."""
    while start < end and (text[start].isspace() or text[start] in ",;:" or text[start] in _CLOSERS
                           or (text[start] in "\"'" and text.count(text[start], start, end) % 2)):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:" or text[end - 1] in _OPENERS
                           or (text[end - 1] in "\"'" and text.count(text[end - 1], start, end) % 2)):
        end -= 1
    return start, end


# Words that end no phrase: a span running onto them ("morally repugnant” and", "a great and") stops before them.
_TRAILING_WORDS = re.compile(r"\s+(?:and|or|but|nor|of|the|a|an|to|in|on|at|by|for|with|that|which|who|as)$", re.I)


def _trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """:func:`_trim_marks`, then trailing function words, and a closing mark whose opening mark lies outside; an
    opening mark whose closing mark follows right after the span takes it in ('"very wise man' -> '"very wise
    man"')."""
    start, end = _trim_marks(text, start, end)
    close = _CLOSERS[_OPENERS.index(text[start])] if start < end and text[start] in _OPENERS else None
    if close is not None and close not in text[start:end]:
        if text[end:end + 1] == close:
            end += 1
        elif text[end:end + 2] not in (f".{close}", f",{close}"):
            start += 1
    while True:
        m = _TRAILING_WORDS.search(text, start, end)
        if m and m.start() > start:
            end = m.start()
        elif end > start and text[end - 1] in _CLOSERS and _OPENERS[_CLOSERS.index(text[end - 1])] not in \
                text[start:end]:
            end -= 1
        else:
            break
        start, end = _trim_marks(text, start, end)
    return start, end


def decode_spans(text: str, offsets: np.ndarray, scores: np.ndarray, threshold: float,
                 merge_gap: int = 0, min_chars: int = 1, extend_threshold: float | None = None) -> list[ScoredSpan]:
    """Runs of tokens scoring >= ``threshold`` as character spans of ``text``.

    With ``extend_threshold`` (below ``threshold``), a run is a maximal run of tokens scoring at least
    ``extend_threshold`` that holds at least one token scoring ``threshold`` (hysteresis). Spans are widened to
    whole words and trimmed of stray marks (:func:`_trim_marks`); two spans at most ``merge_gap`` characters
    apart with no line break between them are joined;
    a span's score is the mean score of its tokens.
    """
    low = threshold if extend_threshold is None else min(threshold, extend_threshold)
    runs: list[list[int]] = []  # [first token, last token + 1]
    above = scores >= low
    i, n = 0, len(scores)
    while i < n:
        if not above[i]:
            i += 1
            continue
        j = i
        while j < n and above[j]:
            j += 1
        if scores[i:j].max() >= threshold:
            runs.append([i, j])
        i = j
    merged: list[list[int]] = []
    for run in runs:
        if merged:
            gap_start, gap_end = int(offsets[merged[-1][1] - 1, 1]), int(offsets[run[0], 0])
            if gap_end - gap_start <= merge_gap and "\n" not in text[gap_start:gap_end]:
                merged[-1][1] = run[1]
                continue
        merged.append(run)
    spans = []
    for first, last in merged:
        start, end = _trim_edges(text, *_widen_to_words(text, int(offsets[first, 0]), int(offsets[last - 1, 1])))
        for a, b in _sentence_pieces(text, start, end):
            a, b = _trim_edges(text, a, b)
            if b - a >= min_chars:
                spans.append(ScoredSpan(a, b, float(scores[first:last].mean())))
    return spans


_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9])[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])")


def _sentence_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut where a sentence ends inside it ("... towards Syria. So it's not exactly ...")."""
    out, at = [], start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, end))
    return out


def normalise_span_text(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip(" .,;:!?\"'“”‘’()")


_LOWERED: tuple[str, str] = ("", "")  # the last text lowered, and its lower case


def _lowered(text: str) -> str:
    """``text.lower()``, made once per text rather than once per span (a long text has thousands of spans)."""
    global _LOWERED
    held = _LOWERED
    if held[0] is not text:
        held = _LOWERED = (text, text.lower())
    return held[1]


def repetition_features(text: str, start: int, end: int) -> tuple[float, float]:
    """(log1p of how often the span's text occurs elsewhere, 1.0 if an earlier occurrence exists)."""
    needle = normalise_span_text(text[start:end])
    if len(needle) < 3:
        return 0.0, 0.0
    haystack = _lowered(text)
    count, earlier, pos = 0, False, haystack.find(needle)
    while pos >= 0:
        count += 1
        earlier = earlier or pos < start
        pos = haystack.find(needle, pos + 1)
    return float(np.log1p(max(count - 1, 0))), float(earlier and count > 1)


def span_features(enc: EncodedText, text: str, start: int, end: int) -> np.ndarray:
    """Input of the span head: [mean, first, last token vectors, repetition features]."""
    first, last = enc.token_range(start, end)
    vectors = enc.hidden[first:last]
    rep = np.asarray(repetition_features(text, start, end), dtype=np.float32)
    return np.concatenate([vectors.mean(axis=0), vectors[0], vectors[-1], rep])


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(q / (1 - q))


def combine_scores(encoder: np.ndarray, lexical_logits: np.ndarray | None, weight: float) -> np.ndarray:
    """sigmoid(logit(encoder score) + weight * lexical logit), token by token; the encoder's scores if no lexicon."""
    if lexical_logits is None or not weight or not len(encoder):
        return encoder
    return 1.0 / (1.0 + np.exp(-(_logit(encoder) + weight * lexical_logits)))


def thresholds(settings: "DecodeSettings") -> tuple[float, float]:
    """(start, extend) thresholds: the extend threshold is the start threshold unless set (> 0) below it."""
    start = settings.span_threshold
    extend = settings.extend_threshold if 0 < settings.extend_threshold < start else start
    return start, extend


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------------- model


def _shipped_files() -> Any:
    return resources.files("discernment").joinpath("models", "techniques")


def _read(folder: Any, name: str) -> bytes:
    return folder.joinpath(name).read_bytes()


class TechniqueModel:
    """The encoder session, tokenizer, span head and decoding settings; ``encode`` then decode or classify."""

    def __init__(self, session: Any, tokenizer: Any, span_weight: np.ndarray, span_bias: np.ndarray,
                 settings: DecodeSettings, source: str = "", lexicon: Lexicon | None = None):
        self.session = session
        self.lexicon = lexicon
        self.tokenizer = tokenizer
        self.span_weight = span_weight.astype(np.float32)
        self.span_bias = span_bias.astype(np.float32)
        self.settings = settings
        self.source = source
        self._cls = tokenizer.token_to_id("[CLS]")
        self._sep = tokenizer.token_to_id("[SEP]")

    @classmethod
    def load(cls, model_dir: str | Path | None = None, threads: int = 0,
             overrides: dict[str, Any] | None = None) -> "TechniqueModel":
        """Load from ``model_dir`` (a folder holding :data:`MODEL_FILES`) or, when None, the shipped model."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(model_dir) if model_dir else _shipped_files()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        session = ort.InferenceSession(_read(folder, "model.int8.onnx"), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_str(_read(folder, "tokenizer.json").decode("utf-8"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        head = np.load(io.BytesIO(_read(folder, "span_head.npz")))
        tuned = json.loads(_read(folder, "settings.json").decode("utf-8"))
        settings = DecodeSettings().updated(tuned.get("decode", {})).updated(overrides or {})
        lexicon = None
        if folder.joinpath(LEXICON_FILE).is_file():
            lexicon = Lexicon.from_arrays(np.load(io.BytesIO(_read(folder, LEXICON_FILE))))
        return cls(session, tokenizer, head["weight"], head["bias"], settings, source=str(folder), lexicon=lexicon)

    # -- encoding

    def _windows(self, ids: np.ndarray) -> tuple[list[int], int]:
        content = self.settings.window - 2
        return window_starts(len(ids), content, min(self.settings.overlap, content - 1)), content

    def _run(self, batch: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(x) for x in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, x in enumerate(batch):
            ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        logits, hidden = self.session.run(["token_logits", "hidden"], {"input_ids": ids, "attention_mask": mask})
        return logits, hidden

    def encode(self, texts: Sequence[str]) -> list[EncodedText]:
        """Token offsets, sigmoid scores and encoder vectors for each text (windows batched within a text)."""
        encodings = [self.tokenizer.encode(t, add_special_tokens=False) for t in texts]
        jobs: list[tuple[int, int, np.ndarray]] = []  # (text index, window start, ids with specials)
        plans = []
        for t, enc in enumerate(encodings):
            ids = np.asarray(enc.ids, dtype=np.int64)
            starts, content = self._windows(ids)
            plans.append((starts, content))
            for begin in starts:
                piece = ids[begin : begin + content]
                if len(piece):
                    jobs.append((t, begin, np.concatenate([[self._cls], piece, [self._sep]])))
        size = max(1, self.settings.batch_size)
        # Each onnxruntime call holds windows of one text only: the int8 model quantises activations with one
        # scale per call, so windows of other texts in the same call would shift this text's scores.
        by_text: dict[int, list[tuple[int, int, np.ndarray]]] = {}
        for job in jobs:
            by_text.setdefault(job[0], []).append(job)
        chunks = [mine[at : at + size] for mine in by_text.values() for at in range(0, len(mine), size)]
        # Each window's rows go into its text's arrays as soon as its call returns (keeping every window's output
        # until the end held about twice a long text's encoder vectors: 0.8 GB more for a 1 MB text).
        assembly = [_Assembly(enc, plan) for enc, plan in zip(encodings, plans)]
        for chunk in chunks:
            logits, hidden = self._run([job[2] for job in chunk])
            for row, (t, begin, x) in enumerate(chunk):
                n = len(x) - 2
                assembly[t].take(begin, logits[row, 1 : n + 1], hidden[row, 1 : n + 1])
        hidden_size = (self.span_weight.shape[0] - 2) // 3
        return [a.result(hidden_size) for a in assembly]

    # -- decoding

    @property
    def has_none_class(self) -> bool:
        return self.span_weight.shape[1] > len(TECHNIQUES)

    def span_scores(self, text: str, enc: EncodedText) -> np.ndarray:
        """Each token's "inside a propaganda span" score: the encoder's, with the lexicon's logit when set."""
        if not len(enc.scores):
            return np.zeros(0, dtype=np.float32)
        weight = self.settings.lexical_weight
        lexical = self.lexicon.token_logits(text, enc.offsets) if self.lexicon is not None and weight else None
        return combine_scores(enc.scores[:, 0], lexical, weight)

    def candidate_spans(self, text: str, enc: EncodedText, scores: np.ndarray | None = None) -> list[ScoredSpan]:
        """Spans decoded from the token scores (:meth:`span_scores` unless given), before the span head's filter."""
        s = self.settings
        if not len(enc.scores):
            return []
        if scores is None:
            scores = self.span_scores(text, enc)
        start, extend = thresholds(s)
        return decode_spans(text, enc.offsets, scores, start, s.merge_gap, s.min_chars, extend_threshold=extend)

    def scored_spans(self, text: str, enc: EncodedText) -> tuple[list[ScoredSpan], np.ndarray]:
        """Propaganda spans and their span-head probabilities, spans the head rejects removed."""
        spans = self.candidate_spans(text, enc)
        probs = self.span_probabilities(text, enc, [(s.start, s.end) for s in spans])
        if self.has_none_class and len(spans):
            keep = probs[:, NONE] < self.settings.none_threshold
            spans = [span for span, k in zip(spans, keep) if k]
            probs = probs[keep]
        return spans, probs

    def propaganda_spans(self, text: str, enc: EncodedText) -> list[ScoredSpan]:
        return self.scored_spans(text, enc)[0]

    def span_probabilities(self, text: str, enc: EncodedText, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Class probabilities (len(spans) x 14, or 15 with the "not propaganda" class) from the span head."""
        if not spans or not len(enc.scores):
            return np.zeros((len(spans), self.span_weight.shape[1]), dtype=np.float32)
        feats = np.stack([span_features(enc, text, s, e) for s, e in spans])
        return softmax(feats @ self.span_weight + self.span_bias)

    def classify(self, text: str, enc: EncodedText, spans: Sequence[tuple[int, int]],
                 counts: Sequence[int] | None = None) -> list[list[str]]:
        """The ``counts[i]`` most likely techniques of each span (one when counts is None)."""
        probs = self.span_probabilities(text, enc, spans)[:, : len(TECHNIQUES)]
        out = []
        for i, (start, end) in enumerate(spans):
            k = counts[i] if counts is not None else 1
            ranked = list(np.argsort(-probs[i]))
            if (
                self.settings.repetition_rule
                and repetition_features(text, start, end)[1]
                and REPETITION in ranked[k - 1 :]
            ):
                ranked.remove(REPETITION)
                ranked.insert(0, REPETITION)
            out.append([TECHNIQUES[j] for j in ranked[:k]])
        return out

    def techniques(self, text: str, enc: EncodedText) -> list[Technique]:
        """Technique spans: each propaganda span with its best technique and any other likely ones."""
        spans, probs = self.scored_spans(text, enc)
        out: list[Technique] = []
        for span, full in zip(spans, probs):
            p = full[: len(TECHNIQUES)] / max(float(full[: len(TECHNIQUES)].sum()), 1e-9)
            confidence = 1.0 - float(full[NONE]) if self.has_none_class else span.score
            chosen = {int(np.argmax(p))}
            chosen.update(int(j) for j in np.nonzero(p >= self.settings.second_label_threshold)[0])
            if self.settings.repetition_rule and repetition_features(text, span.start, span.end)[1]:
                chosen.add(REPETITION)
            for j in sorted(chosen, key=lambda j: -p[j]):
                score = round(confidence * max(float(p[j]), 0.5 if j == REPETITION else 0.0), 4)
                out.append(Technique(span.start, span.end, text[span.start : span.end], TECHNIQUES[j], score))
        return out
