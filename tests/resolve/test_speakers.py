"""Speaker resolution (resolve/speakers.py) on hand-written passages: several names in one mention, and a
definite person noun after a named speaker."""

from __future__ import annotations

import pytest

from discernment.extract.entities import Entities
from discernment.extract.quotes import Quotes
from discernment.resolve.names import load_aliases


@pytest.fixture(scope="module")
def quotes_of(parsed):
    entities = Entities(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "UNIT"], load_aliases(None, True))
    component = Quotes()
    return lambda text: list(component(entities(parsed(text))).quotes)


def _speaker(quotes, fragment):
    return next(q.speaker for q in quotes if fragment in q.text)


def test_speakers_the_last_person_of_a_mention_is_its_head(quotes_of):
    quotes = quotes_of("\u201cWe have rules in case of an alarm,\u201d Shakhtar captain Taras Stepanenko said on "
                       "Monday.")
    assert _speaker(quotes, "We have rules").canonical == "Taras Stepanenko"


def test_speakers_the_official_is_the_person_just_quoted(quotes_of):
    text = ("The remnants of the brigade fled their positions, ministry spokesman Major General Igor Konashenkov "
            "said. Fighters of the regiment executed the deserters near the village, the official said.")
    quotes = quotes_of(text)
    assert _speaker(quotes, "executed the deserters").canonical == "Igor Konashenkov"


def test_speakers_the_official_without_a_named_speaker_stays_itself(quotes_of):
    quotes = quotes_of("The village was shelled overnight, the official said.")
    assert _speaker(quotes, "The village was shelled").canonical == "official"
