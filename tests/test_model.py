import json

import pytest

from discernment.errors import DiscernError
from discernment.model import (
    Claim, Claimant, DateMention, Document, Entity, Event, EventPlace, Genre, Mention, Place, Quantity, Quote,
    Source, Technique, TextSpan, normalise_text, text_id,
)

TEXT = "Gerasimov reported that over 2,000 fighters left Kupyansk on November 20th. \u201cWe hold it,\u201d he said."


def full_document() -> Document:
    t = TEXT
    q_start = t.index("We hold it")
    return Document(
        t,
        source=Source(path="a.txt", outlet="RT", published="2022-11-21"),
        genre=Genre("reporting", 0.9),
        entities=[Entity(0, 9, "Gerasimov", "PERSON", "Valery Gerasimov")],
        places=[Place(t.index("Kupyansk"), t.index("Kupyansk") + 8, "Kupyansk", "Kupiansk", 49.71, 37.62, "UA",
                      "Kharkiv Oblast", 706524, "PPLA2", 0.9)],
        quotes=[Quote(q_start, q_start + 10, "We hold it", "direct", TextSpan(t.index("said"), t.index("said") + 4, "said"),
                      Mention(t.index("he said"), t.index("he said") + 2, "he", "Valery Gerasimov"))],
        claims=[Claim(24, 75, t[24:75], "movement", Claimant("Gerasimov", "Valery Gerasimov", 0, 9), ("RIA Novosti",),
                      False, 0.8, (Quantity(24, 34, "over 2,000", 2000, 2000, None, "people"),),
                      (DateMention(t.index("November"), t.index("November") + 13, "November 20th", "2022-11-20"),), (0,))],
        events=[Event("RETREAT", 24, 75, "Ukrainian forces", None, EventPlace("Kupyansk", 49.71, 37.62), "2022-11-20", 0, None)],
        techniques=[Technique(q_start, q_start + 10, "We hold it", "Slogans", 0.4)],
    )


def test_model_roundtrip_is_lossless():
    doc = full_document()
    data = doc.to_dict()
    again = Document.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again == doc


def test_model_to_dict_has_every_contract_field():
    data = Document("Some text.").to_dict()
    for key in ("id", "source", "text", "language", "genre", "entities", "places", "quotes", "claims", "events",
                "techniques"):
        assert key in data
    assert set(data["source"]) == {"path", "outlet", "url", "title", "published", "author"}
    assert data["entities"] == [] and data["genre"] == {"label": "reporting", "score": 0.0}


def test_model_rejects_offsets_that_do_not_match_text():
    doc = Document("Kyiv was shelled.")
    with pytest.raises(DiscernError) as err:
        doc.set_layer("entities", [Entity(0, 4, "Kiev", "GPE", "Kyiv")])
    assert err.value.code == "E005"
    with pytest.raises(DiscernError):
        doc.set_layer("entities", [Entity(10, 40, "x", "GPE", "x")])


def test_model_rejects_nested_offsets_that_do_not_match():
    doc = Document("He said yes.")
    bad = Quote(8, 11, "yes", "direct", TextSpan(3, 7, "said"), Mention(0, 2, "She", None))
    with pytest.raises(DiscernError):
        doc.set_layer("quotes", [bad])


def test_model_rejects_wrong_record_type_and_unknown_layer():
    doc = Document("Text")
    with pytest.raises(DiscernError):
        doc.set_layer("places", [Entity(0, 4, "Text", "GPE", "Text")])
    with pytest.raises(DiscernError):
        doc.set_layer("rumours", [])


def test_model_text_is_read_only():
    doc = Document("abc")
    with pytest.raises(AttributeError):
        doc.text = "xyz"  # type: ignore[misc]


def test_model_id_is_sha256_of_normalised_text():
    assert text_id("a  b\r\n") == text_id("a b")
    assert normalise_text("  caf\u0065\u0301\n\nx ") == "caf\u00e9 x"
    assert len(Document("x").id) == 64


def test_model_from_dict_rejects_a_foreign_id():
    data = Document("abc").to_dict()
    data["id"] = "0" * 64
    with pytest.raises(DiscernError):
        Document.from_dict(data)


def test_model_source_fill_keeps_own_values():
    src = Source(outlet="TASS").fill(outlet="RT", published="2022-01-01")
    assert src.outlet == "TASS" and src.published == "2022-01-01"
