"""``genre.v1``: is a document reporting, opinion or satire?

Transparent features (rates per word of first-person and second-person voice, attribution verbs, hedges,
obligation modals, evaluative words, intensifiers, argumentative connectives, negation, present and past copulas,
abstract nouns, time words, -ly adverbs, long words, proper nouns; opinion phrases, dates, questions and
exclamations per sentence; quote density; numbers; sentence length; and the mean and share of subjective
sentences from a bag-of-words sentence model trained on Färber et al., CIKM 2020; reporting verbs and a headline
that ends with its source, "... - Zelensky"; and the score of a style-word model over lowercase words and word
pairs, which leaves out names, places and outlets) feed a logistic regression
shipped as JSON (``models/genre/genre_lr.json``, trained by :mod:`discernment.train.genre` on distant labels from
URL sections and RT column bylines). The text model decides reporting vs opinion. Satire is recognised only from
the source URL (known satire sites and sections); so is an opinion section, when ``genre.use_url`` is on.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

from .. import registry
from ..config import Config
from ..lexicon import pattern, table
from ..model import Document, Genre
from ..pipeline import Component, Resources

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_QUOTED = re.compile(r"“[^”]{1,2000}”|\"[^\"\n]{1,2000}\"")
_CAPITALISED_INSIDE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
# Dates, a writer's opinion phrases and news reporting verbs: resources/en/genre.toml.
_DATE = pattern("date", file="genre")
_OPINION_PHRASE = pattern("opinion_phrase", file="genre", flags=re.I)
_REPORTING_VERB = pattern("reporting_verb", file="genre", flags=re.I)
# A headline that names its source at the end: "... - Zelensky", "...: IAEA chief".
_HEADLINE_SOURCE = re.compile(r"\s[-–—]\s*[A-Z][\w.’']+(?:\s[A-Z][\w.’']+){0,3}\s*$")
_HEADLINE_COLON_SOURCE = re.compile(r":\s*[A-Z][\w ]{2,30}$")
# Style words: lowercase words only, so names, places and outlets ("Putin", "Kyiv", "AP Photo") carry no weight.
_STYLE_WORD = re.compile(r"\b[a-z][a-z']+\b")

# Word classes whose rates per word are features (resources/en/genre.toml, [lexicons]), in the file's order.
LEXICONS: dict[str, frozenset[str]] = {
    name: frozenset(w.lower() for w in ws) for name, ws in table("genre")["lexicons"].items()}
MAX_CHARS = 15000
FEATURES: tuple[str, ...] = (
    *LEXICONS, "opinion_phrases", "ly_adverbs", "long_words", "proper_nouns", "dates", "quote_share",
    "numbers", "questions", "exclamations", "sentence_length", "subjective_mean", "subjective_share",
    "reporting_verbs", "headline_source", "style_words")

# Opinion sections and satire sites, read from the source URL.
OPINION_URL = pattern("opinion_url", file="genre", flags=re.I)
SATIRE_URL = pattern("satire_url", file="genre", flags=re.I)


def words_of(text: str) -> list[str]:
    """The words and numbers of a text, lower-cased, with typographic apostrophes made plain."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass(frozen=True)
class SubjectivityModel:
    """Sentence subjectivity: a bag-of-words logistic regression (trained on Färber et al., CIKM 2020)."""

    weights: dict[str, float]
    bias: float

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        out = []
        for sentence in sentences:
            tokens = set(words_of(sentence))
            z = self.bias + sum(self.weights.get(t, 0.0) for t in tokens)
            out.append(_sigmoid(z))
        return out


@dataclass(frozen=True)
class StyleWordModel:
    """A linear model over lowercase words and word pairs (L2-normalised counts): its score is one feature.

    Only lowercase tokens count, so the model learns register ("why", "should", "however", "said", "on
    tuesday") rather than who or where (names, places and outlet boilerplate are capitalised)."""

    weights: dict[str, float]
    bias: float

    def score(self, text: str) -> float:
        counts = style_terms(text)
        norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
        return self.bias + sum(self.weights.get(t, 0.0) * c for t, c in counts.items()) / norm


def style_terms(text: str) -> Counter:
    """Counts of lowercase words and adjacent pairs in the first ``MAX_CHARS`` characters."""
    words = _STYLE_WORD.findall(text[:MAX_CHARS].replace("’", "'"))
    return Counter(words) + Counter(f"{a} {b}" for a, b in zip(words, words[1:]))


def _headline_source(text: str) -> float:
    first = text.lstrip().split("\n", 1)[0][:300]
    headline = first.split(". ", 1)[0]
    return 1.0 if _HEADLINE_SOURCE.search(first) or _HEADLINE_COLON_SOURCE.search(headline) else 0.0


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) > 2]


def genre_features(text: str, subjectivity: SubjectivityModel | None = None,
                   style: StyleWordModel | None = None) -> dict[str, float]:
    """Rates of the feature words per word, and the other features, for one text (its first
    ``MAX_CHARS`` characters: rates settle well before that, and it bounds the cost per article)."""
    text = text[:MAX_CHARS]
    words = words_of(text)
    counts = Counter(words)
    n = max(len(words), 1)
    sentences = max(len(_SENTENCE_END.findall(text)), 1)
    out = {name: sum(counts[w] for w in lexicon if w in counts) / n for name, lexicon in LEXICONS.items()}
    out["opinion_phrases"] = len(_OPINION_PHRASE.findall(text)) / sentences
    out["ly_adverbs"] = sum(c for w, c in counts.items() if len(w) > 4 and w.endswith("ly")) / n
    out["long_words"] = sum(c for w, c in counts.items() if len(w) >= 10) / n
    out["proper_nouns"] = len(_CAPITALISED_INSIDE.findall(text)) / n
    out["dates"] = len(_DATE.findall(text)) / sentences
    out["quote_share"] = sum(len(m) for m in _QUOTED.findall(text)) / max(len(text), 1)
    out["numbers"] = sum(c for w, c in counts.items() if w[0].isdigit()) / n
    out["questions"] = text.count("?") / sentences
    out["exclamations"] = text.count("!") / sentences
    out["sentence_length"] = math.log1p(len(words) / sentences)
    probs = subjectivity.probabilities(sentences_of(text)) if subjectivity else []
    out["subjective_mean"] = sum(probs) / len(probs) if probs else 0.0
    out["subjective_share"] = sum(p >= 0.5 for p in probs) / len(probs) if probs else 0.0
    out["reporting_verbs"] = len(_REPORTING_VERB.findall(text)) / n
    out["headline_source"] = _headline_source(text)
    out["style_words"] = style.score(text) if style else 0.0
    return out


def feature_vector(text: str, subjectivity: SubjectivityModel | None = None,
                   style: StyleWordModel | None = None) -> list[float]:
    feats = genre_features(text, subjectivity, style)
    return [feats[name] for name in FEATURES]


@dataclass(frozen=True)
class GenreModel:
    """Standardised features -> logistic regression probability of opinion."""

    mean: Sequence[float]
    scale: Sequence[float]
    weights: Sequence[float]
    bias: float
    threshold: float = 0.5
    subjectivity: SubjectivityModel | None = None
    style: StyleWordModel | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "GenreModel":
        if list(data["features"]) != list(FEATURES):
            raise ValueError("genre model features differ from this version's FEATURES")
        subj = data.get("subjectivity")
        subjectivity = SubjectivityModel(dict(subj["weights"]), float(subj["bias"])) if subj else None
        words = data.get("style_words")
        style = StyleWordModel(dict(words["weights"]), float(words["bias"])) if words else None
        return cls(data["mean"], data["scale"], data["weights"], data["bias"], data.get("threshold", 0.5),
                   subjectivity, style)

    def opinion_probability(self, text: str) -> float:
        x = feature_vector(text, self.subjectivity, self.style)
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return _sigmoid(z)


def load_genre_model(resources_: Resources | None = None) -> GenreModel:
    path = resources.files("discernment").joinpath("models", "genre", "genre_lr.json")
    return GenreModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def classify_genre(text: str, url: str | None, model: GenreModel, use_url: bool = True,
                   threshold: float | None = None) -> Genre:
    """The document's genre: URL rules first (when allowed), then the text model."""
    if use_url and url:
        if SATIRE_URL.search(url):
            return Genre("satire", 0.99)
        if OPINION_URL.search(url):
            return Genre("opinion", 0.99)
    p = model.opinion_probability(text)
    cut = threshold if threshold else model.threshold
    return Genre("opinion" if p >= cut else "reporting", round(label_confidence(p, cut), 4))


def label_confidence(p: float, cut: float) -> float:
    """The score shown with the label: 0.5 at the decision cut, rising to 1.0 at p = 1 (opinion) or p = 0
    (reporting). The cut sits well above 0.5 (opinion is the rarer class), so 1 - p would show "reporting" with a
    score under 0.5 for p between 0.5 and the cut."""
    cut = min(max(cut, 1e-6), 1.0 - 1e-6)
    if p >= cut:
        return 0.5 + 0.5 * (p - cut) / (1.0 - cut)
    return 0.5 + 0.5 * (cut - p) / cut


class GenreComponent(Component):
    name = "genre.v1"
    requires = ("doc.text",)
    assigns = ("doc.genre",)

    def __init__(self, resources_: Resources, use_url: bool, threshold: float):
        self.resources = resources_
        self.use_url = use_url
        self.threshold = threshold

    def __call__(self, doc: Document) -> Document:
        model = self.resources.get("genre_model")
        doc.genre = classify_genre(doc.text, doc.source.url, model, self.use_url, self.threshold or None)
        return doc


@registry.components.register("genre.v1")
def make_genre(config: Config, resources_: Resources) -> GenreComponent:
    resources_.provide("genre_model", load_genre_model)
    return GenreComponent(resources_, config["genre.use_url"], config["genre.opinion_threshold"])
