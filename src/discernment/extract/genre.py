"""``genre.v1``: is a document reporting, opinion or satire?

Transparent features (rates per word of first-person and second-person voice, evaluative words, hedges,
obligation modals, intensifiers, argumentative connectives; quote density; attribution verbs; numbers; question
and exclamation marks; sentence length) feed a logistic regression shipped as JSON
(``models/genre/genre_lr.json``, trained by :mod:`discernment.train.genre` on labels taken from URL sections).
The text model decides reporting vs opinion. Satire is recognised only from the source URL (known satire sites
and sections); so is an opinion section, when ``genre.use_url`` is on.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

from .. import registry
from ..config import Config
from ..model import Document, Genre
from ..pipeline import Component, Resources

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_QUOTED = re.compile(r"“[^”]{1,2000}”|\"[^\"\n]{1,2000}\"")

LEXICONS: dict[str, frozenset[str]] = {
    "first_singular": frozenset("i me my mine myself i'm i've i'd i'll".split()),
    "first_plural": frozenset("we us our ours ourselves we're we've we'll".split()),
    "second_person": frozenset("you your yours yourself yourselves you're you've".split()),
    "attribution": frozenset("said says told according reported announced stated added confirmed claimed "
                             "spokesman spokeswoman spokesperson statement".split()),
    "hedge": frozenset("may might perhaps possibly probably likely seems seem seemed apparently arguably "
                       "suggests suppose presumably maybe".split()),
    "obligation": frozenset("should must ought shouldn't mustn't needs".split()),
    "evaluative": frozenset(
        "absurd shameful disgraceful outrageous appalling brilliant terrible tragic foolish stupid naive "
        "cynical hypocritical hypocrisy ridiculous pathetic disastrous catastrophic reckless shameless "
        "dishonest cowardly heroic noble wise unwise wrong right evil madness insane sinister grotesque "
        "despicable admirable remarkable extraordinary astonishing scandalous shocking deplorable "
        "irresponsible dangerous delusional arrogant blatant bizarre cruel barbaric betrayal folly".split()),
    "intensifier": frozenset("very really truly utterly simply deeply entirely totally absolutely clearly "
                             "obviously surely indeed extremely".split()),
    "argument": frozenset("but however yet instead rather therefore thus because although though "
                          "nevertheless nonetheless why".split()),
    "time": frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today "
                      "tonight earlier".split()),
}
FEATURES: tuple[str, ...] = (*LEXICONS, "quote_share", "numbers", "questions", "exclamations", "sentence_length")

OPINION_URL = re.compile(r"/(commentisfree|op-?ed|opinions?|comment|columnists?|editorials?|think/opinion)/", re.I)
SATIRE_URL = re.compile(
    r"(theonion\.com|babylonbee\.com|thebeaverton\.com|waterfordwhispersnews\.com|newsthump\.com|"
    r"duffelblog\.com|clickhole\.com|panorama\.pub|thedailymash\.co\.uk|/satire/)", re.I)


def genre_features(text: str) -> dict[str, float]:
    """Rates of the feature words per word, and the other features, for one text."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    n = max(len(words), 1)
    sentences = max(len(_SENTENCE_END.findall(text)), 1)
    out = {name: sum(w in lexicon for w in words) / n for name, lexicon in LEXICONS.items()}
    out["quote_share"] = sum(len(m) for m in _QUOTED.findall(text)) / max(len(text), 1)
    out["numbers"] = sum(w[0].isdigit() for w in words) / n
    out["questions"] = text.count("?") / sentences
    out["exclamations"] = text.count("!") / sentences
    out["sentence_length"] = math.log1p(len(words) / sentences)
    return out


def feature_vector(text: str) -> list[float]:
    feats = genre_features(text)
    return [feats[name] for name in FEATURES]


@dataclass(frozen=True)
class GenreModel:
    """Standardised features -> logistic regression probability of opinion."""

    mean: Sequence[float]
    scale: Sequence[float]
    weights: Sequence[float]
    bias: float
    threshold: float = 0.5

    @classmethod
    def from_dict(cls, data: dict) -> "GenreModel":
        if list(data["features"]) != list(FEATURES):
            raise ValueError("genre model features differ from this version's FEATURES")
        return cls(data["mean"], data["scale"], data["weights"], data["bias"], data.get("threshold", 0.5))

    def opinion_probability(self, text: str) -> float:
        x = feature_vector(text)
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


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
    return Genre("opinion", round(p, 4)) if p >= cut else Genre("reporting", round(1.0 - p, 4))


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
