"""Work that grows with a document's length must grow linearly (or as n log n), never quadratically.

No timing: each test counts the Python lines executed inside the module under test (``sys.settrace``, local to
that module's frames) on an input of N units and on one of 4N, and requires the count to grow by at most about
5x (a quadratic one grows about 16x). A 1 MB article took minutes in the geocoder and the event coder when they
compared every place mention with every other and scanned the whole document once per event.
"""

from __future__ import annotations

import random
import sys

import pytest

from discernment.extract import events as events_module
from discernment.extract import quotemarks
from discernment.extract import quotes as quotes_module
from discernment.extract import reconcile as reconcile_module
from discernment.model import Document, Entity, Place, Source
from discernment.resolve import geocode, names
from discernment.resolve.gazetteer import Candidate

# 4x the input may cost at most this many times the work (linear: 4; n log n a little more; quadratic: 16).
MAX_GROWTH = 5.5


def lines_in(module, call) -> int:
    """The number of lines ``call()`` executes inside ``module``'s own source file."""
    target = module.__file__
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def on_call(frame, event, arg):
        return local if frame.f_code.co_filename == target else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def growth(module, make, run, n: int) -> float:
    """Work on an input of 4n units over work on one of n (inputs built outside the count)."""
    small, large = make(n), make(4 * n)
    return lines_in(module, lambda: run(large)) / max(1, lines_in(module, lambda: run(small)))


# --------------------------------------------------------------------------------------------- geocoder

def _town(pid: int, name: str, lat: float, lon: float, country: str = "UA", admin1: str = "01") -> Candidate:
    return Candidate(pid, name, lat, lon, country, admin1, "P", "PPL", 20_000 + pid, 5)


def _mentions(repeats: int) -> list[geocode.Mention]:
    """A news text's place names: 30 towns (two readings each, one in Ukraine, one far away) and a country,
    named again and again as the text goes on, as a long report or a concatenation of reports does."""
    rng = random.Random(7)
    names_ = [f"Town{k}" for k in range(30)]
    readings = {name: [_town(2 * k + 1, name, 46 + 6 * rng.random(), 24 + 14 * rng.random(), "UA", f"{k % 9:02d}"),
                       _town(2 * k + 2, name, 30 + 15 * rng.random(), -120 + 40 * rng.random(), "US", "CA")]
                for k, name in enumerate(names_)}
    ukraine = Candidate(1000, "Ukraine", 49.0, 32.0, "UA", "", "A", "PCLI", 44_000_000, 200)
    out, offset = [], 0
    for r in range(repeats):
        for name in names_ + ["Ukraine"]:
            cands = [ukraine] if name == "Ukraine" else readings[name]
            out.append(geocode.Mention(offset, offset + len(name), name, name, candidates=list(cands)))
            offset += len(name) + 20
    return out


def test_geocoder_work_grows_linearly_with_the_mentions():
    assert growth(geocode, _mentions, geocode.resolve_mentions, 8) <= MAX_GROWTH


def test_geocoder_distance_calls_grow_linearly(monkeypatch):
    calls = []
    km = geocode._km
    monkeypatch.setattr(geocode, "_km", lambda *a: calls.append(1) or km(*a))
    counts = []
    for n in (8, 32):
        calls.clear()
        geocode.resolve_mentions(_mentions(n))
        counts.append(len(calls))
    assert counts[1] <= MAX_GROWTH * max(1, counts[0])


# --------------------------------------------------------------------------------------------- names, reconcile

def _people(n: int) -> list[names.NameMention]:
    out, offset = [], 0
    for k in range(n):
        for name in (f"Ivan Petrov{k % 40}", f"Petrov{k % 40}", "Vladimir Putin", "Putin"):
            out.append(names.NameMention(offset, "PERSON", name))
            offset += 30
    return out


def test_canonical_names_grow_linearly():
    assert growth(names, _people, lambda ms: names.canonicalise(ms, {}), 100) <= MAX_GROWTH


def _entities_and_places(n: int) -> Document:
    text = "Troops left Kupiansk and Izium. " * n
    doc = Document(text, source=Source())
    step = len("Troops left Kupiansk and Izium. ")
    doc.set_layer("entities", [Entity(k * step + 12, k * step + 20, "Kupiansk", "PERSON", "Kupiansk") for k in range(n)]
                  + [Entity(k * step + 25, k * step + 30, "Izium", "ORG", "Izium") for k in range(n)])
    doc.set_layer("places", [Place(k * step + 12, k * step + 20, "Kupiansk", name="Kupiansk", lat=49.7, lon=37.6)
                             for k in range(n)])
    return doc


def test_reconcile_grows_linearly():
    assert growth(reconcile_module, _entities_and_places, reconcile_module.Reconcile(), 200) <= MAX_GROWTH


# --------------------------------------------------------------------------------------------- quotes

def _quoted_text(n: int) -> str:
    return "He said: “We hold the line,” and ‘nothing’ else. The ‘plan’ was “secret ‘code’ here”.\n" * n


def test_quote_marks_grow_linearly():
    assert growth(quotemarks, _quoted_text, quotemarks.find_quoted_spans, 100) <= MAX_GROWTH


def _merge_input(n: int):
    from discernment.extract.quote_base import Candidate as QuoteCandidate

    text = "x" * (100 * n + 100)
    indirect = [QuoteCandidate(100 * k + 10, 100 * k + 60, "indirect", (100 * k + 2, 100 * k + 6)) for k in range(n)]
    direct = [QuoteCandidate(100 * k + 20, 100 * k + 40, "direct") for k in range(n)]
    direct += [QuoteCandidate(100 * k + 70, 100 * k + 90, "direct") for k in range(n)]
    return indirect, direct, text


def test_quote_merge_grows_linearly():
    assert growth(quotes_module, _merge_input, lambda args: quotes_module.merge(*args), 200) <= MAX_GROWTH


# --------------------------------------------------------------------------------------------- events

@pytest.fixture(scope="module")
def parsed():
    """Reports of fighting (places, dates, an event in most sentences) repeated n times, parsed and with places."""
    from discernment.config import Config
    from discernment.extract.parse import load_nlp
    from discernment.pipeline import Resources

    nlp = load_nlp(Resources(Config.load()))
    paragraph = ("Russian forces shelled Kharkiv on Monday, killing three civilians, the governor said. "
                 "Ukrainian troops repelled an assault near Bakhmut on 12 May. Drones struck Odesa overnight.\n")
    cache: dict[int, Document] = {}

    def make(n: int) -> Document:
        if n not in cache:
            text = paragraph * n
            doc = Document(text, source=Source(published="2024-05-13"))
            sdoc = nlp(text)
            doc.cache["spacy"] = sdoc
            step = len(paragraph)
            found = []
            for k in range(n):
                for name, lat, lon in (("Kharkiv", 50.0, 36.2), ("Bakhmut", 48.6, 38.0), ("Odesa", 46.5, 30.7)):
                    at = paragraph.index(name) + k * step
                    found.append(Place(at, at + len(name), name, name=name, lat=lat, lon=lon, feature="PPL"))
            doc.set_layer("places", found)
            doc.set_layer("entities", [Entity(p.start, p.end, p.text, "GPE", p.text) for p in found])
            doc.set_layer("claims", [])
            cache[n] = doc
        return cache[n]

    return make


def test_events_grow_linearly_with_the_sentences(parsed):
    component = events_module.Events()
    assert growth(events_module, parsed, component, 15) <= MAX_GROWTH


# --------------------------------------------------------------------------------------------- claims and assertions

def test_claims_and_assertions_grow_linearly(analyzer):
    """Claims of a long report (a control or count assertion in every sentence, a region and a date beside
    it): each claim's places and dates, and each sentence's held-adjectives, regions and dates, were picked from
    every place and date of the whole document."""
    from discernment.extract import asserts as asserts_module
    from discernment.extract import claims as claims_module

    components = {c.name: c for c in analyzer.pipeline.components}
    before = [c for c in analyzer.pipeline.components if c.name in
              ("parse.v1", "entities.v1", "places.v1", "reconcile.v1", "quotes.v1")]
    paragraph = ("Ukraine's military said on 12 May that Russian troops had withdrawn from the village of Pisky in "
                 "the Donetsk region. The Russian-held town of Svatove was shelled, killing three civilians, "
                 "the governor of the Luhansk region said on Monday.\n")
    cache: dict[int, Document] = {}

    def make(n: int) -> Document:
        if n not in cache:
            doc = Document(paragraph * n, source=Source(published="2024-05-13"))
            for component in before:
                doc = component(doc)
            cache[n] = doc
        return cache[n]

    claims = components["claims.v1"]
    assert make(2).claims == () and len(claims(make(2)).claims) >= 2
    for module in (claims_module, asserts_module):
        assert growth(module, make, claims, 15) <= MAX_GROWTH, module.__name__
