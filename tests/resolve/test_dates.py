"""Date mentions resolved against the publication date (prefer the past)."""

from __future__ import annotations

import pytest

from discernment.resolve.dates import find_dates, resolve_date

PUBLISHED = "2023-12-05"


@pytest.mark.parametrize("text, mention, value", [
    ("On November 20th, the drones returned.", "On November 20th", "2023-11-20"),
    ("The bridge was hit in October by missiles.", "in October", "2023-10-01"),
    ("The offensive ran from September 6 to 10 without pause.", "from September 6 to 10", "2023-09-06"),
    ("Yesterday the governor spoke.", "Yesterday", "2023-12-04"),
    ("Three days ago the column moved.", "Three days ago", "2023-12-02"),
    ("Overnight, air defences were busy.", "Overnight", "2023-12-04"),
    ("In December 2022 the lines froze.", "In December 2022", "2022-12-01"),
    ("between 10 and 12 November the town was shelled", "between 10 and 12 November", "2023-11-10"),
    ("Fighting intensified in mid-July near the river.", "mid-July", "2023-07-01"),
])
def test_dates_resolved_against_publication(text, mention, value):
    found = find_dates(text, PUBLISHED)
    assert [(d.text, d.value) for d in found] == [(mention, value)]
    assert text[found[0].start:found[0].end] == mention


def test_dates_bare_year_is_its_first_day_and_a_decade_is_null():
    assert resolve_date("in 2014", PUBLISHED) == resolve_date("2014", PUBLISHED) == "2014-01-01"
    assert resolve_date("the 1990s", PUBLISHED) is None
    assert resolve_date("37", PUBLISHED) is None


def test_dates_stacked_leads_are_all_stripped():
    assert resolve_date("in mid-July", PUBLISHED) == "2023-07-01"
    assert resolve_date("in early March 2022", PUBLISHED) == "2022-03-01"


def test_dates_month_after_publication_goes_to_previous_year():
    assert resolve_date("in December", "2023-03-01") == "2022-12-01"


def test_dates_unresolvable_keeps_text_with_null():
    found = find_dates("Months earlier, the town had fallen.", PUBLISHED)
    assert [(d.text, d.value) for d in found] == [("Months earlier", None)]


def test_dates_relative_without_publication_is_null():
    assert resolve_date("yesterday", None) is None
    assert resolve_date("November 20, 2023", None) == "2023-11-20"


def test_dates_may_the_verb_is_not_a_month():
    assert find_dates("Troops may advance further. The march was long.", PUBLISHED) == []


def test_dates_a_weekday_includes_the_day_of_publication():
    from discernment.resolve.dates import resolve_date

    assert resolve_date("on Wednesday", "2022-09-14") == "2022-09-14"  # published on a Wednesday
    assert resolve_date("Tuesday", "2022-09-14") == "2022-09-13"
    assert resolve_date("on Thursday", "2022-09-14") == "2022-09-08"


def test_dates_a_bare_small_number_is_not_a_year():
    from discernment.resolve.dates import resolve_date

    assert resolve_date("37", "2022-09-14") is None
    assert resolve_date("7", "2022-09-14") is None
    assert resolve_date("1225", "2022-09-14") is None


def test_dates_a_date_entity_needs_a_word_of_time():
    text = "By 1225 GMT the rouble may weaken past 62, as it did last week."
    spans = [(text.index("1225"), text.index("1225") + 4), (text.index("past 62"), text.index("past 62") + 7),
             (text.index("last week"), text.index("last week") + 9)]
    found = find_dates(text, PUBLISHED, extra_spans=spans)
    assert [d.text for d in found] == ["last week"]


@pytest.mark.parametrize("mention, value", [
    ("next year", "2024-01-01"), ("last year", "2022-01-01"), ("this year", "2023-01-01"),
    ("next month", "2023-07-01"), ("last month", "2023-05-01"), ("next week", "2023-06-20"),
    ("tomorrow", "2023-06-14"), ("On August 6-8, 2016", "2016-08-06"), ("August 6-8", "2022-08-06"),
])
def test_dates_relative_units_look_back_or_ahead(mention, value):
    from discernment.resolve.dates import resolve_date

    assert resolve_date(mention, "2023-06-13") == value


def test_dates_month_day_range_keeps_its_year():
    found = find_dates("On August 6-8, 2016, a group landed on the coast.", "2023-06-13")
    assert [(d.text, d.value) for d in found] == [("On August 6-8, 2016", "2016-08-06")]


@pytest.mark.parametrize("mention", ["three years", "two weeks", "a week", "48 hours", "three days later"])
def test_dates_lengths_of_time_and_later_are_null(mention):
    from discernment.resolve.dates import resolve_date

    assert resolve_date(mention, "2022-08-23") is None


def test_dates_months_ago_keep_their_day():
    from discernment.resolve.dates import resolve_date

    assert resolve_date("10 months ago", "2022-08-23") == "2021-10-23"
    assert resolve_date("three days ago", "2022-08-23") == "2022-08-20"


def test_dates_march_after_a_time_word_is_the_month():
    found = find_dates("The dam has been held by Russian soldiers since early March, and troops left by May.",
                       "2022-09-01")
    assert [(d.text, d.value) for d in found] == [("early March", "2022-03-01"), ("May", "2022-05-01")]
    assert find_dates("The march to the plant was long and troops may rest.", "2022-09-01") == []


@pytest.mark.parametrize("text, value", [
    ("The talks will go ahead on 9-10 July in Istanbul.", "2024-07-09"),
    ("The summit is scheduled for March 3.", "2024-03-03"),
    ("On 14 January, the delegations will meet again.", "2024-01-14"),
    ("Zelensky will visit Kyiv's hospitals on Monday.", "2023-12-11"),
    # a reporting verb after the future one: the date is the report's, in the past
    ("Russia will respond, Peskov said on Monday.", "2023-12-04"),
    ("The column entered the town on 9 July.", "2023-07-09"),
    ("On 14 January, the delegations met in Geneva.", "2023-01-14"),
])
def test_dates_in_a_clause_about_the_future_look_ahead(text, value):
    # published on Tuesday 2023-12-05
    assert [d.value for d in find_dates(text, PUBLISHED)] == [value]


@pytest.mark.parametrize("text, value", [
    # the sentence before ends with a quotation mark after its full stop
    ("“The war will end at the table.” In March, Turkey hosted talks.", "2023-03-01"),
    ("The vote had been planned for June yet was postponed.", "2023-06-01"),
    ("Ukraine will fight on until it retakes its February borders.", "2023-02-01"),
    # the month of publication, ahead: this year's
    ("A trade mission will travel to Seoul at the end of December.", "2023-12-01"),
])
def test_dates_future_context_stops_at_clause_and_tense(text, value):
    assert [d.value for d in find_dates(text, PUBLISHED)] == [value]


def test_dates_a_two_year_span_is_its_first_year():
    assert resolve_date("2014-15", "2022-06-09") == "2014-01-01"
    assert resolve_date("since 2021/22", "2022-06-09") == "2021-01-01"
    assert resolve_date("2022-05-03", "2022-06-09") == "2022-05-03"


def test_dates_an_age_is_no_date():
    text = "A nine-year-old boy died in the ritual."
    assert find_dates(text, "2022-06-01", extra_spans=[(2, 15)]) == []


def test_dates_year_three_of_a_war_is_no_date():
    text = "Currently in year three of the full-scale invasion, the army needs shells."
    assert find_dates(text, "2024-05-11", extra_spans=[(13, 23)]) == []


def test_dates_in_march_after_a_place_and_a_named_committee():
    text = "a theater in Mariupol in March, a mall in Kremenchuk in June"
    assert [d.value for d in find_dates(text, "2022-08-01")] == ["2022-03-01", "2022-06-01"]
    assert find_dates("hearings of the House January 6 Committee were held", "2022-08-01") == []


def test_dates_lengths_of_time_among_date_entities_are_no_dates():
    text = "They signed a 20-year lease two weeks ago and talked for two weeks over the past two weeks."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("20-year", "two weeks ago", "for two weeks",
                                                               "the past two weeks")]
    found = find_dates(text, "2022-09-14", extra_spans=spans)
    assert [(d.text, d.value) for d in found] == [("two weeks ago", "2022-08-31")]


def test_dates_coordinated_months_month_of_last_year_and_earlier_this_month():
    text = "Talks took place in late February and March. In mid-December last year, and earlier this month, too."
    found = find_dates(text, "2022-09-14")
    assert [(d.text, d.value) for d in found] == [
        ("late February", "2022-02-01"), ("March", "2022-03-01"), ("mid-December last year", "2021-12-01"),
        ("earlier this month", "2022-09-01")]
    assert resolve_date("earlier this year", "2022-09-14") == "2022-01-01"


@pytest.mark.parametrize("mention", ["more than three months", "just over a month", "weeks", "just days"])
def test_dates_qualified_lengths_of_time_are_no_dates(mention):
    text = f"The siege lasted {mention} before the town fell."
    start = text.index(mention)
    assert find_dates(text, "2022-09-14", extra_spans=[(start, start + len(mention))]) == []


def test_dates_a_plan_told_in_the_past_perfect_with_an_adverb_looks_back():
    [d] = find_dates("Their meeting had originally been planned for June but was put off.", "2023-08-01")
    assert d.value == "2023-06-01"


@pytest.mark.parametrize("text, value", [
    ("Russia wants to capture Mariupol by May 9, officials said.", "2022-05-09"),  # a deadline ahead
    ("Russia aims to take the region by the end of May.", "2022-05-01"),
    ("By May 9, Russia will hold a parade.", "2022-05-09"),
    ("By May 9 the troops had taken the city.", "2021-05-09"),  # told as past: the last 9 May
    ("Officials said the town was captured by May 9.", "2021-05-09"),
    ("By March 3, Russian forces controlled the city.", "2022-03-03"),
])
def test_dates_a_deadline_looks_ahead_unless_told_as_past(text, value):
    from discernment.resolve.dates import find_dates

    assert [d.value for d in find_dates(text, "2022-04-20")] == [value]
