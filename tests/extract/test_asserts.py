"""claims[].asserts: control, count and blame read from the parse of invented sentences (full pipeline)."""

from __future__ import annotations

import pytest

from discernment.extract.asserts import site_of
from discernment.model import Place
from discernment.resolve.sides import SideTable, side_table


def assertions(analyzer, text, published="2022-09-10", outlet="Wire"):
    doc = analyzer(text, published=published, outlet=outlet)
    out = []
    for c in doc.claims:
        assert c.asserts == (c.assertions[0] if c.assertions else None)
        for a in c.assertions:
            place = a.get("place")
            if a["aspect"] == "count" and a.get("event"):
                place = a["event"]["place"]
            out.append(dict(a, place_text=doc.places[place].text if place is not None else None,
                            claimant=(c.claimant.canonical or c.claimant.text) if c.claimant else None))
    return out


def only(found, aspect):
    return [a for a in found if a["aspect"] == aspect]


def test_capture_by_an_agent_gives_its_side_and_a_change(analyzer):
    found = only(assertions(analyzer, "Russian troops have taken full control of the town of Kupyansk in the "
                                      "Kharkov region, the Russian Defence Ministry said on Thursday."), "control")
    assert [(a["place_text"], a["holder"], a["change"], a["extent"]) for a in found] == [
        ("Kupyansk", "RU", True, "full")]
    assert found[0]["as_of"] == "2022-09-08"  # "on Thursday" governs the reported clause


def test_denial_is_the_deniers_assertion_of_the_opposite(analyzer):
    found = only(assertions(analyzer, "Ukraine's military on Thursday denied Russian claims that Moscow's forces "
                                      "had captured the northeastern town of Kupiansk."), "control")
    assert [(a["place_text"], a["holder"], a["denied"], a["change"]) for a in found] == [
        ("Kupiansk", "UA", True, False)]


def test_hold_with_first_person_and_the_city_named_before(analyzer):
    text = ("Fighting went on around Kupiansk on Friday.\n\n\"Our defenders continue to hold the city,\" a "
            "spokesman for Ukraine's General Staff told Reuters.")
    found = only(assertions(analyzer, text), "control")
    assert [(a["place_text"], a["holder"], a["change"]) for a in found] == [("Kupiansk", "UA", False)]


def test_under_control_of_a_possessor(analyzer):
    found = only(assertions(analyzer, "The regional capital Zaporozhye remains under Kiev's control, the "
                                      "governor said."), "control")
    assert [(a["place_text"], a["holder"], a["change"]) for a in found] == [("Zaporozhye", "UA", False)]


def test_withdrawal_gives_the_place_to_the_other_side(analyzer):
    found = only(assertions(analyzer, "Russian troops withdrew from Izium on Saturday, Ukrainian officials "
                                      "said."), "control")
    assert [(a["place_text"], a["holder"], a["change"]) for a in found] == [("Izium", "UA", True)]


def test_named_site_is_its_own_subject(analyzer):
    found = only(assertions(analyzer, "The Zaporizhzhia nuclear power plant has been occupied by Russian forces "
                                      "since March, the agency said."), "control")
    assert [(a["place_text"], a["site"], a["holder"], a["change"]) for a in found] == [
        ("Zaporizhzhia", "nuclear power plant", "RU", False)]


def test_site_of_normalises_wordings():
    text = "the Zaporizhzhia nuclear plant and the railway station in Chaplyne and Kharkiv itself"
    plant = Place(4, 16, "Zaporizhzhia")
    station = Place(text.index("Chaplyne"), text.index("Chaplyne") + 8, "Chaplyne")
    town = Place(text.index("Kharkiv"), text.index("Kharkiv") + 7, "Kharkiv")
    assert site_of(text, plant) == "nuclear power plant"
    assert site_of(text, station) == "railway station"
    assert site_of(text, town) is None


@pytest.mark.parametrize("text", [
    "Izium, which Russian forces captured in April, reopened its school on Monday, the mayor said.",
    "Russian forces will capture Pokrovsk within weeks, a Russian commander said on Monday.",
    "Moscow aims to take Pokrovsk before the winter, the analysts said.",
    "Russian businesses had entered Izium before the war, the mayor said.",
    "Did Russian forces capture Kupiansk on Monday?",
])
def test_background_forecasts_intents_and_questions_assert_no_control(analyzer, text):
    assert only(assertions(analyzer, text), "control") == []


def test_captured_then_retaken_gives_two_dated_states(analyzer):
    found = only(assertions(analyzer, "Pravdyne, a village in Kherson region, was captured by Russian forces in "
                                      "March and retaken by Ukrainian forces in November, officials said.",
                            published="2022-12-15"), "control")
    assert [(a["holder"], a["as_of"]) for a in found] == [("RU", "2022-03-01"), ("UA", "2022-11-01")]


def test_region_named_in_the_sentence_is_kept(analyzer):
    found = only(assertions(analyzer, "Russia's Defence Ministry said its forces had captured the village of "
                                      "Kamianka in Ukraine's eastern Donetsk region."), "control")
    assert found and found[0]["region"] == "Donetsk Oblast"


def test_count_finds_its_event_in_an_earlier_sentence(analyzer):
    text = ("A Russian missile struck the railway station in Chaplyne, Dnipropetrovsk region, on Wednesday. "
            "Several carriages caught fire. Twenty-two civilians were killed, President Volodymyr Zelensky said.")
    counts = only(assertions(analyzer, text, published="2022-08-24"), "count")
    assert len(counts) == 1
    c = counts[0]
    assert (c["what"], c["of"], c["quantity"]["text"], c["place_text"]) == ("killed", "civilians", "Twenty-two",
                                                                           "Chaplyne")
    assert c["event"]["site"] == "railway station" and c["event"]["sentences_back"] == 2


def test_count_keeps_the_figure_as_given_and_the_victims_side(analyzer):
    counts = only(assertions(analyzer, "A Russian missile strike at Chaplyne railway station killed more than 200 "
                                       "Ukrainian servicemen, the Russian Defence Ministry said."), "count")
    assert [(c["what"], c["of"], c["side"], c["quantity"]["low"], c["quantity"]["high"]) for c in counts] == [
        ("killed", "soldiers", "UA", 200.0, None)]


def test_a_daily_tally_has_no_event(analyzer):
    counts = only(assertions(analyzer, "Russia has lost about 1,230 soldiers near Bakhmut in the past 24 hours, "
                                       "the General Staff said."), "count")
    assert counts and counts[0]["tally"] and counts[0]["event"] is None


def test_death_toll_rising_to_a_number(analyzer):
    counts = only(assertions(analyzer, "The death toll from the Russian missile strike on the railway station in "
                                       "Chaplyne has risen to 25, Zelensky said."), "count")
    assert [(c["what"], c["of"], c["quantity"]["value"]) for c in counts] == [("killed", "people", 25.0)]


@pytest.mark.parametrize("text,blamed", [
    ("Russia's Defence Ministry accused Ukraine of shelling the Zaporizhzhia nuclear power plant on Sunday.", "UA"),
    ("Ukrainian shelling hit the centre of Donetsk on Monday, the city's Russian-installed mayor said.", "UA"),
    ("Russian troops struck Kryvyi Rih with drones overnight, the Air Force said.", "RU"),
    ("Energoatom blames Russian shelling for damage at Zaporizhzhia nuclear plant", "RU"),
])
def test_blame(analyzer, text, blamed):
    found = only(assertions(analyzer, text), "blame")
    assert found and found[0]["blamed"] == blamed


def test_side_table_matches_longest_name_and_reads_user_rows(tmp_path):
    t = side_table()
    assert t.find("spokesman for Ukraine's General Staff").source == "General Staff of Ukraine"
    assert t.find("Igor Konashenkov").source == "Russian Defence Ministry"
    assert t.find("Russian forces").side == "RU" and t.find("Russian forces").generic
    assert t.find("satellite image") is None
    user = tmp_path / "sides.tsv"
    user.write_text("# mine\nRybar\tRU\tRybar\tmedia\nReuters\tUNK\tReuters\twire\n", encoding="utf-8")
    mine = SideTable.load(user)
    assert mine.find("Rybar").side == "RU"
    assert mine.find("Reuters").side == "UNK"  # the user's row wins


def test_side_table_rejects_a_malformed_row(tmp_path):
    from discernment.errors import ConfigError

    bad = tmp_path / "sides.tsv"
    bad.write_text("Rybar\tRUSSIA\tRybar\tmedia\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        SideTable.load(bad)
    assert "E204" in str(err.value) and "sides.tsv:1" in str(err.value)


@pytest.mark.parametrize("text", [
    "Ukraine refuses to surrender the besieged city of Mariupol, the mayor said on Monday.",
    "Russian troops withdrew heavy equipment from Mariupol on Monday, the mayor said.",
    "Russian forces entered the outskirts of Sievierodonetsk on Monday, the governor said.",
])
def test_refusals_equipment_and_outskirts_assert_no_control(analyzer, text):
    assert only(assertions(analyzer, text), "control") == []


def test_the_wounded_are_counted_as_wounded(analyzer):
    counts = only(assertions(analyzer, "One person was killed and 5 wounded in a Russian strike on Kramatorsk on "
                                       "Monday, the governor said."), "count")
    assert ("wounded", 5.0) in [(c["what"], c["quantity"]["value"]) for c in counts]
    assert ("killed", 5.0) not in [(c["what"], c["quantity"]["value"]) for c in counts]


def test_the_plant_or_the_facility_named_before_is_the_site(analyzer):
    """A site named in one sentence and called "the plant" or "the facility" in the next is the subject of the
    next one's control claim (the sentence names no place itself)."""
    for later in ("The plant has been under Russian control since March.",
                  "Russian troops have occupied the facility since March."):
        found = only(assertions(analyzer, "Shelling hit the Zaporizhzhia nuclear power plant again on Friday. " + later,
                                published="2022-08-20"), "control")
        assert [(a["place_text"], a["site"], a["holder"]) for a in found] == [
            ("Zaporizhzhia", "nuclear power plant", "RU")], later


def test_a_dateline_is_never_what_the_claim_is_about(analyzer):
    """"KYIV, Aug 20 - The ... plant has been under Russian control": the subject is the plant, not Kyiv."""
    found = only(assertions(analyzer, "KYIV, Aug 20 - The Zaporizhzhia nuclear power plant has been under Russian "
                                      "control since March.", published="2022-08-20"), "control")
    assert [(a["place_text"], a["site"], a["holder"]) for a in found] == [("Zaporizhzhia", "nuclear power plant", "RU")]
    found = only(assertions(analyzer, "KYIV, Ukraine (AP) — Russian troops remain in control of the city, "
                                      "officials said.", published="2022-08-20"), "control")
    assert all(a["place_text"] != "KYIV" for a in found)


def test_places_joined_by_and_are_each_held(analyzer):
    found = only(assertions(analyzer, "Russian troops withdrew from Balakliia and Izium to regroup, the Russian "
                                      "Defence Ministry said on Saturday."), "control")
    assert [(a["place_text"], a["holder"], a["change"]) for a in found] == [
        ("Balakliia", "UA", True), ("Izium", "UA", True)]


def test_an_unknown_town_hung_on_the_verb_is_still_its_object(analyzer):
    """The parser makes "Lyman" a modifier of "recaptured", not its object: still the place taken."""
    found = only(assertions(analyzer, "Ukrainian troops have recaptured Lyman, the army said on Saturday.",
                            published="2022-10-02"), "control")
    assert [(a["place_text"], a["holder"], a["as_of"]) for a in found] == [("Lyman", "UA", "2022-10-01")]


def test_a_year_alone_does_not_date_a_state_and_parts_of_a_month_do(analyzer):
    found = only(assertions(analyzer, "Now in 2022, Ukraine has lost Kherson.", published="2022-08-18"), "control")
    assert [(a["place_text"], a["holder"], a["as_of"]) for a in found] == [("Kherson", "RU", "2022-08-18")]
    found = only(assertions(analyzer, "Russian forces took control of the city of Svetlodarsk in late May.",
                            published="2022-08-18"), "control")
    assert [a["as_of"] for a in found] == ["2022-05-25"]
    found = only(assertions(analyzer, "Russian troops captured Kherson in early March.", published="2022-08-18"),
                 "control")
    assert [a["as_of"] for a in found] == ["2022-03-05"]
