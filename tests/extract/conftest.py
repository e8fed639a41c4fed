"""Shared fixtures of the extractor tests: places.v1 over a small gazetteer built once per session, and stand-ins
for the technique tests (the shipped tokenizer and a keyword-scoring encoder session)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from discernment.config import Config
from discernment.extract.places import make_places
from discernment.extract.technique_model import TECHNIQUES, DecodeSettings, TechniqueModel
from discernment.pipeline import Resources
from discernment.resolve.gazetteer import BASE_FILENAME, Gazetteer
from discernment.resolve.gazetteer_build import build_gazetteer

HIDDEN = 4


@pytest.fixture(scope="session")
def places_component(tmp_path_factory):
    """places.v1 with the default settings over a gazetteer of towns of 5,000+ people (built once per session)."""
    path = tmp_path_factory.getbasetemp() / "gazetteer5000" / BASE_FILENAME
    if not path.exists():
        build_gazetteer(path, min_population=5000)
    config = Config.load()
    resources = Resources(config)
    resources.set("gazetteer", Gazetteer(path))
    return make_places(config, resources)


class KeywordSession:
    """A stand-in for the onnxruntime session: tokens of the keyword score high on the span column, everything
    else low; it records the shape of every call."""

    def __init__(self, keyword_ids: set[int]):
        self.keyword_ids = keyword_ids
        self.calls: list[tuple[int, int]] = []

    def run(self, names, feeds):
        ids = feeds["input_ids"]
        self.calls.append(ids.shape)
        logits = np.full(ids.shape + (15,), -6.0, dtype=np.float32)
        logits[..., 0][np.isin(ids, list(self.keyword_ids))] = 6.0
        return [logits, np.zeros(ids.shape + (HIDDEN,), dtype=np.float32)]


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer

    folder = resources.files("discernment").joinpath("models", "techniques")
    tok = Tokenizer.from_str(folder.joinpath("tokenizer.json").read_text(encoding="utf-8"))
    tok.no_truncation()
    tok.no_padding()
    return tok


@pytest.fixture
def keyword_model(tokenizer):
    """``make(technique=..., lexicon=None, **settings)``: a TechniqueModel whose encoder marks "traitors" and
    whose span head always prefers ``technique``."""

    def make(technique: str = "Name_Calling,Labeling", lexicon=None, **settings) -> TechniqueModel:
        keyword = set(tokenizer.encode("traitors", add_special_tokens=False).ids)
        weight = np.zeros((3 * HIDDEN + 2, 14), dtype=np.float32)
        bias = np.zeros(14, dtype=np.float32)
        bias[TECHNIQUES.index(technique)] = 3.0
        base = DecodeSettings(span_threshold=0.5, merge_gap=0, min_chars=1, repetition_rule=False)
        return TechniqueModel(KeywordSession(keyword), tokenizer, weight, bias, base.updated(settings),
                              lexicon=lexicon)

    return make
