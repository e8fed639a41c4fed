from discernment.extract.entities import find_units
from discernment.resolve.names import NameMention, canonicalise, clean_name


def test_entities_surname_takes_the_full_name_from_the_document(analyzer):
    doc = analyzer("Vladimir Putin met officials in Moscow. Later, Putin said the talks went well.")
    people = [(e.text, e.canonical) for e in doc.entities if e.label == "PERSON"]
    assert ("Putin", "Vladimir Putin") in people and ("Vladimir Putin", "Vladimir Putin") in people


def test_entities_known_alias_fills_in_an_absent_first_name(analyzer):
    doc = analyzer("Gerasimov reported that the operation was going to plan.")
    [ger] = [e for e in doc.entities if e.text == "Gerasimov"]
    assert ger.canonical == "Valery Gerasimov"


def test_entities_military_units_are_labelled_UNIT(analyzer):
    text = "The 92nd Separate Mechanised Brigade and the Azov Regiment held the line near the 1st Guards Tank Army."
    doc = analyzer(text)
    units = [e.text for e in doc.entities if e.label == "UNIT"]
    assert units == ["92nd Separate Mechanised Brigade", "Azov Regiment", "1st Guards Tank Army"]


def test_entities_offsets_point_at_their_text(analyzer):
    doc = analyzer("\u201cWe will win,\u201d Zelensky said in Kyiv on Friday \U0001f1fa\U0001f1e6.")
    assert doc.entities
    for e in doc.entities:
        assert doc.text[e.start:e.end] == e.text


def test_entities_organisation_aliases_are_canonical(analyzer):
    doc = analyzer("The Russian Ministry of Defence said on Monday that it had repelled the attack.")
    orgs = [e.canonical for e in doc.entities if e.label == "ORG"]
    assert "Russian Defence Ministry" in orgs


def test_names_clean_name_strips_titles_articles_and_possessives():
    assert clean_name("President Vladimir Putin's") == "Vladimir Putin"
    assert clean_name("the  Kremlin") == "Kremlin"
    # an occupation the tagger joined to the name, and a possessive written with an acute accent
    assert clean_name("Medic David Anderson") == "David Anderson"
    assert clean_name("Yoon´s") == "Yoon"


def test_names_canonicalise_prefers_the_nearest_earlier_full_name():
    mentions = [NameMention(0, "PERSON", "Anna Smith"), NameMention(20, "PERSON", "John Smith"),
                NameMention(40, "PERSON", "Smith"), NameMention(60, "ORG", "NATO")]
    assert canonicalise(mentions, {}) == ["Anna Smith", "John Smith", "John Smith", "NATO"]


def test_names_canonicalise_uses_a_later_full_name_when_none_precedes():
    mentions = [NameMention(0, "PERSON", "Syrskyi"), NameMention(30, "PERSON", "Oleksandr Syrskyi")]
    assert canonicalise(mentions, {}) == ["Oleksandr Syrskyi", "Oleksandr Syrskyi"]


def test_units_regex_does_not_fire_on_plain_words():
    assert find_units("The army said the regiment was tired.") == []


def test_entities_names_with_particles_are_one_person_and_no_place(analyzer):
    doc = analyzer("The President of the European Commission, Ursula von der Leyen, met Lula da Silva. "
                   "\u201cWe are partners,\u201d said von der Leyen.")
    people = [(e.text, e.canonical) for e in doc.entities if e.label == "PERSON"]
    assert ("Ursula von der Leyen", "Ursula von der Leyen") in people
    assert ("von der Leyen", "Ursula von der Leyen") in people
    assert not [p for p in doc.places if p.text == "Leyen"]
    [quote] = doc.quotes
    assert quote.speaker.canonical == "Ursula von der Leyen"


def test_entities_a_titled_name_is_a_person_and_an_office_stays_an_organisation():
    from discernment.extract.entities import _person_by_title

    assert _person_by_title("Major General Igor Konashenkov", "ORG") == "PERSON"
    assert _person_by_title("President Zelensky's office", "ORG") == "ORG"
    assert _person_by_title("General Staff of the Armed Forces", "ORG") == "ORG"
    assert _person_by_title("Chief General Staff’s", "ORG") == "ORG"  # possessive of an organisation noun
    assert _person_by_title("Major General Igor Konashenkov", "GPE") == "GPE"
