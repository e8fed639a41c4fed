"""Quantities: bounds, units and the ACLED conventions for vague counts (docs/conventions.md)."""

from __future__ import annotations

import pytest

from discernment.resolve.quantities import find_quantities, parse_number


def _one(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


@pytest.mark.parametrize("text, span, value, low, high, unit", [
    ("over 2,000 militants were eliminated", "over 2,000", 2000, 2000, None, "militants"),
    ("more than 100 units of equipment", "more than 100", 100, 100, None, "units"),
    ("100 fellow Ukrainian troops", "100", 100, 100, 100, "troops"),
    ("over 50 neo-Nazi fighters", "over 50", 50, 50, None, "fighters"),
    ("100 of them said tanks", "100", 100, 100, 100, None),
    ("as many as 3,000 Britons alone", "as many as 3,000", 3000, None, 3000, "britons"),
    ("10 HIMARS were sent", "10", 10, 10, 10, "himars"),
    ("15 remain in Ukraine", "15", 15, 15, 15, None),
    ("the rouble was stronger at 61.38 and had lost", "61.38", 61.38, 61.38, 61.38, None),
    ("Brent was up at $94.7 a barrel", "$94.7", 94.7, 94.7, 94.7, "dollars"),
    ("aid worth €1.5 billion", "€1.5 billion", 1.5e9, 1.5e9, 1.5e9, "euros"),
    ("4 thousand soldiers arrived", "4 thousand", 4000, 4000, 4000, "soldiers"),
    ("10 thousand more fighters were sent", "10 thousand", 10000, 10000, 10000, "fighters"),
    ("80% of the town is destroyed", "80%", 80, 80, 80, "percent"),
    ("dozens of drones were launched", "dozens", 12, 12, None, "drones"),
    ("hundreds of civilians fled", "hundreds", 100, 100, None, "civilians"),
    ("between 50 and 60 tanks were lost", "between 50 and 60", 50, 50, 60, "tanks"),
    ("up to 1.5 million people left", "up to 1.5 million", 1_500_000, None, 1_500_000, "people"),
    ("some 300 people gathered", "some 300", 300, None, None, "people"),
    ("tens of thousands of troops", "tens of thousands", 10000, 10000, None, "troops"),
])
def test_quantities_bounds_and_units(text, span, value, low, high, unit):
    q = _one(text)
    assert (q.text, q.value, q.low, q.high, q.unit) == (span, value, low, high, unit)


def test_quantities_duration_is_not_a_count():
    q = _one("the town fell within 72 hours")
    assert q.unit == "hours"
    assert q.text == "72 hours"


@pytest.mark.parametrize("text", ["On November 20th, 2023 at 10:30 the shelling began", "two T-72 variants",
                                  "the 92nd brigade held", "By 1225 GMT the rouble rose",
                                  "the 1 p.m. local time kickoff", "the festival goes ahead on 9-10 July"])
def test_quantities_skip_dates_times_and_designations(text):
    assert all(q.text not in ("2023", "30", "72", "92") for q in find_quantities(text))


def test_quantities_parse_number_words_and_scales():
    assert parse_number("twelve") == 12
    assert parse_number("1.5 million") == 1_500_000
    assert parse_number("10k") == 10_000
    assert parse_number("2,000") == 2000


@pytest.mark.parametrize("text, unit", [
    ("There were 412,300 open positions in Denmark in October.", "positions"),
    ("Ukraine will get 100 armored Humvee cars.", "cars"),
    ("The army lost 12 heavy artillery pieces.", "pieces"),
    ("A total of 26 launchers arrived.", "launchers"),
])
def test_quantities_unit_is_the_plural_noun_after_its_adjectives(text, unit):
    [q] = find_quantities(text)
    assert q.unit == unit


def test_quantities_a_span_of_years_is_no_count():
    found = find_quantities("Arrivals will rise by about 13% between 2023 and 2025.")
    assert [(q.text, q.unit) for q in found] == [("about 13%", "percent")]
    from discernment.resolve.dates import resolve_date
    assert resolve_date("between 2023 and 2025", "2022-11-01") == "2023-01-01"


def test_quantities_ages_are_no_counts():
    found = find_quantities("A 25-year-old woman and a nine-year-old boy died. Two soldiers aged 25 were killed.")
    assert [(q.text, q.unit) for q in found] == [("Two", "soldiers")]


@pytest.mark.parametrize("text", [
    "This is one of the reasons the troops left.",
    "Shares fell sharply at one point.",
    "The crime is set out in Article 8 bis of the statute.",
    "Currently in year three of the full-scale invasion, the army needs shells.",
])
def test_quantities_designations_and_one_of_are_no_counts(text):
    assert find_quantities(text) == []


def test_quantities_hyphenated_words_big_vague_counts_verbs_and_pronoun_one():
    [q] = find_quantities("Sixty-seven lawmakers voted for it.")
    assert (q.value, q.unit) == (67, "lawmakers")
    [q] = find_quantities("It cost hundreds of billions of dollars.")
    assert (q.value, q.low, q.high, q.unit) == (1e11, 1e11, None, "dollars")
    assert [q.unit for q in find_quantities("In the vote, 16 abstained and 60 standing; 12 wounded.")] == [
        None, None, "wounded"]
    assert find_quantities("One can argue the point.") == []


@pytest.mark.parametrize("text, expected", [
    ("The convoy stretched 80km along the road.", [("80km", 80, "km")]),
    ("The shelter covers 200 square meters.", [("200 square meters", 200, "square meters")]),
    ("A two-story building collapsed.", [("two-story", 2, "stories")]),
    ("They signed a 20-year lease.", [("20-year", 20, "years")]),
    # the unit is the noun after coordinated modifiers, never a preposition
    ("The ministry documented more than 30 artillery and drone strikes, and one during the visit.",
     [("more than 30", 30, "strikes"), ("one", 1, None)]),
])
def test_quantities_units_attached_hyphenated_and_two_words(text, expected):
    assert [(q.text, q.value, q.unit) for q in find_quantities(text)] == expected


@pytest.mark.parametrize("text", [
    "Daniel, 11, was celebrated by the team.",
    "Andy and his wife Grazyna, both 56, have a house.",
    "Gas flowed through the Nord Stream 1 pipeline.",
    "The club was promoted to League One on Monday.",
    "She was fined under the Airspace Act §12 for launching a drone.",
])
def test_quantities_ages_after_names_and_numbers_in_names_are_no_counts(text):
    assert find_quantities(text) == []


def test_quantities_two_numbers_joined_by_or_are_a_range():
    [q] = find_quantities("The power will be off for up to five or six hours.")
    assert (q.text, q.low, q.high, q.value, q.unit) == ("up to five or six hours", None, 6, 6, "hours")
    [q] = find_quantities("Russia lost 5 or 6 tanks.")
    assert (q.low, q.high, q.unit) == (5, 6, "tanks")
    assert find_quantities("The talks are on 9 or 10 July.") == []


@pytest.mark.parametrize("text", ["No one gave him the right to decide.", "He was the one who left the town."])
def test_quantities_one_as_a_pronoun_is_no_count(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text, expected", [
    ("a field thought to hold around 2.5 trillion cubic feet of gas",
     ("around 2.5 trillion cubic feet", 2.5e12, None, None, "cubic feet")),
    ("the war will cut its profits by up to £20m this year", ("up to £20m", 2e7, None, 2e7, "pounds")),
    ("the fund pledged over $2 bn in aid", ("over $2 bn", 2e9, 2e9, None, "dollars")),
])
def test_quantities_trillions_bounded_currencies_and_spaced_scales(text, expected):
    [q] = find_quantities(text)
    assert (q.text, q.value, q.low, q.high, q.unit) == expected


def test_quantities_a_title_of_a_number_and_a_duration_is_no_quantity():
    assert find_quantities("The talk show 60 Minutes airs twice a day on state TV.") == []
    assert [q.text for q in find_quantities("The talks lasted 60 minutes.")] == ["60 minutes"]


def test_quantities_a_time_ago_is_a_date_not_a_count():
    found = find_quantities("Russians drank 15.7 liters a year 13 years ago, the minister said.")
    assert [(q.value, q.unit) for q in found] == [(15.7, "liters")]


def test_quantities_an_early_year_opening_a_sentence_is_a_date():
    assert find_quantities("In 988, the prince had the people of Kyiv baptised.") == []
