"""boilerplate.v1: page furniture (ads, newsletter calls, links to other stories) yields no quotes or claims."""

from discernment.extract.boilerplate import Boilerplate, boilerplate_ranges
from discernment.model import Claim, Document, Event, Place, Quote

STORY = (
    "Shelling hit Kharkiv overnight, the regional governor said.\n\n"
    "Advertisement\n\n"
    "JOIN US ON TELEGRAM! Follow our coverage of the war on our channel.\n\n"
    "Other Topics of Interest Minister Says Talks Are Over Kallas said that the talks would not resume, adding "
    "that Moscow had lost its chance in Odesa.\n\n"
    "Related: Grain ship leaves Odesa, officials say\n\n"
    "Photo: Ministry of Defence\n\n"
    "The governor said two people were wounded in Kharkiv.\n"
)


def test_ranges_are_whole_furniture_paragraphs_only():
    ranges = [STORY[s:e] for s, e in boilerplate_ranges(STORY)]
    assert ranges[0] == "Advertisement"
    assert ranges[1].startswith("JOIN US ON TELEGRAM!")
    assert ranges[2].startswith("Other Topics of Interest") and ranges[2].endswith("in Odesa.")
    assert ranges[3] == "Related: Grain ship leaves Odesa, officials say"
    assert ranges[4] == "Photo: Ministry of Defence"
    assert len(ranges) == 5
    # a story's own sentence that merely mentions an advertisement or a photo is kept
    assert boilerplate_ranges("The advertisement ran for weeks.\nPhotos of the blast spread online.") == []


def test_layers_inside_furniture_are_dropped_and_indexes_renumbered():
    text = "Advertisement\nTroops left Izium, the ministry said.\nRelated: Troops left Lyman\nTroops left Lyman.\n"
    doc = Document(text)
    izium, lyman1, lyman2 = text.index("Izium"), text.index("Lyman"), text.rindex("Lyman")
    doc.set_layer("places", [Place(izium, izium + 5, "Izium", "Izium", 49.2, 37.3),
                             Place(lyman1, lyman1 + 5, "Lyman", "Lyman", 48.9, 37.8),
                             Place(lyman2, lyman2 + 5, "Lyman", "Lyman", 48.9, 37.8)])
    c1 = text.index("Troops left Izium")
    c2 = text.index("Troops left Lyman")
    c3 = text.rindex("Troops left Lyman")
    doc.set_layer("claims", [Claim(c1, c1 + 17, text[c1:c1 + 17], "territorial_control", places=(0,)),
                             Claim(c2, c2 + 17, text[c2:c2 + 17], "territorial_control", places=(1,)),
                             Claim(c3, c3 + 17, text[c3:c3 + 17], "territorial_control", places=(2,))])
    doc.set_layer("events", [Event("retreat", c2, c2 + 17, claim=1), Event("retreat", c3, c3 + 17, claim=2)])
    doc.set_layer("quotes", [Quote(c1, c1 + 17, text[c1:c1 + 17], "indirect")])
    out = Boilerplate()(doc)
    assert [p.start for p in out.places] == [izium, lyman2]
    assert [(c.start, c.places) for c in out.claims] == [(c1, (0,)), (c3, (1,))]
    assert [(e.start, e.claim) for e in out.events] == [(c3, 1)]
    assert len(out.quotes) == 1


def test_the_pipeline_attributes_nothing_to_a_teaser(analyzer):
    doc = analyzer(STORY, published="2022-07-26")
    teaser = STORY.index("Other Topics")
    teaser_end = STORY.index("\n", teaser)
    assert doc.quotes, "the story's own quotes are kept"
    for layer in (doc.quotes, doc.claims, doc.events, doc.places, doc.entities):
        assert not [x for x in layer if teaser <= x.start < teaser_end]
    assert not any("Kallas" in (q.speaker.canonical or "") for q in doc.quotes if q.speaker)
    assert any(p.text == "Kharkiv" for p in doc.places)


def test_an_embedded_posts_note_is_furniture_even_glued_to_a_line():
    text = ("Skip Twitter post. The post praised the unit. © 2022 BBC. The BBC is not responsible for the content of "
            "external sites. Read about our approach to external linking.\nTroops left the town.")
    ranges = [text[s:e] for s, e in boilerplate_ranges(text)]
    assert ranges == ["© 2022 BBC. The BBC is not responsible for the content of external sites. Read about our "
                      "approach to external linking."]
