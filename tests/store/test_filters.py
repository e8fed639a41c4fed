"""The shared filters of every list (issue "the four daily loops"): publication dates vs a claim's own date,
places through the gazetteer (any spelling, several, an oblast's settlements), techniques in any spelling and
overlapping the claim, totals, the events ledger. Each runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from discernment.model import (
    Claim, Claimant, DateMention, Document, Event, EventPlace, Place, Source, Technique,
)
from discernment.store import Store
from discernment.store.queries import (
    Filters, Places, claims, count_claims, count_documents, count_events, count_places, event_keys, events,
    gazetteer, list_documents, place_ids, place_summary, places, plausible_date, resolve_place, technique_labels,
    timeline,
)

IZIUM = 707292  # the GeoNames id the gazetteer gives Izium, Izyum, Izjum and Изюм


def _doc(text: str, outlet: str, published: str, places_: list[Place], claims_: list[Claim],
         events_: list[Event] = (), techniques: list[Technique] = (), url: str | None = None) -> Document:
    return Document(text, source=Source(outlet=outlet, published=published, title=text[:30], url=url),
                    places=places_, claims=claims_, events=list(events_), techniques=list(techniques))


def _place(text: str, word: str, name: str, gid: int | None, admin1: str, feature: str = "PPL",
           lat: float = 49.2, lon: float = 37.3, country: str = "UA") -> Place:
    at = text.index(word)
    return Place(at, at + len(word), word, name, lat, lon, country, admin1, gid, feature, 0.9)


def _claim(text: str, sentence: str, ctype: str, claimant: str, place_idx: tuple[int, ...] = (0,),
           date: tuple[str, str] | None = None) -> Claim:
    start = text.index(sentence)
    dates = ()
    if date:
        at = text.index(date[0])
        dates = (DateMention(at, at + len(date[0]), date[0], date[1]),)
    return Claim(start, start + len(sentence), sentence, ctype, Claimant(claimant, claimant), (), False, 0.5, (),
                 dates, place_idx)


def ap_forecast() -> Document:
    """An AP article of 26 Aug 2024 whose claims are dated 2045 and 20 Aug 2024 (as the date resolver does)."""
    t = ("Ukraine aims to rebuild Izyum by 2045, the minister said. "
         "Russian forces shelled Izyum on 20 August, officials said.")
    s1, s2 = t.split(". ")[0] + ".", t.split(". ")[1]
    return _doc(t, "AP", "2024-08-26", [_place(t, "Izyum", "Izyum", IZIUM, "Kharkiv Oblast")],
                [_claim(t, s1, "statement", "the minister", date=("by 2045", "2045-01-01")),
                 _claim(t, s2, "strike", "officials", date=("20 August", "2024-08-20"))],
                [Event("ASSAULT", t.index(s2), t.index(s2) + len(s2), "Russian forces", None,
                       EventPlace("Izyum", 49.2, 37.3), "2024-08-20", 1, 2)])


def kupiansk_news() -> Document:
    t = "Russian troops attacked Kupiansk on Tuesday, the General Staff said. It was a loud, heroic defence."
    s1 = t.split(". ")[0] + "."
    s2 = t.split(". ")[1]
    heroic = t.index("heroic defence")
    return _doc(t, "Reuters", "2024-08-27", [_place(t, "Kupiansk", "Kupiansk", 703656, "Kharkiv Oblast", "PPLA2")],
                [_claim(t, s1, "territorial_control", "General Staff"), _claim(t, s2, "other", "General Staff", ())],
                [Event("ASSAULT", 0, len(s1), "Russian troops", None, EventPlace("Kupiansk", 49.7, 37.6),
                       "2024-08-27", 0, None)],
                [Technique(heroic, heroic + len("heroic defence"), "heroic defence", "Loaded_Language", 0.7)],
                url="https://www.reuters.com/world/x")


def kherson_news() -> Document:
    t = ("Ukrainian drones hit a depot in Kherson, the army said. Talks with Russia are a sham, "
         "the spokesman said, calling them puppets.")
    s1 = t.split(". ")[0] + "."
    s2 = t.split(". ")[1]
    name = t.index("puppets")
    return _doc(t, "TASS", "2024-08-25", [_place(t, "Kherson", "Kherson", 706448, "Kherson Oblast", "PPLA",
                                                  46.6, 32.6),
                                           _place(t, "Russia", "Russia", 2017370, "", "PCLI", 60.0, 100.0, "RU")],
                [_claim(t, s1, "strike", "the army"), _claim(t, s2, "statement", "the spokesman", (1,))],
                [Event("ASSAULT", 0, len(s1), "Ukrainian drones", None, EventPlace("Kherson", 46.6, 32.6),
                       "2024-08-25", 0, None),
                 Event("PROTEST", t.index(s2), t.index(s2) + len(s2), None, None, EventPlace("Russia", 60.0, 100.0),
                       "2024-08-25", 1, None)],
                [Technique(name, name + len("puppets"), "puppets", "Name_Calling,Labeling", 0.8)])


def oblast_news() -> Document:
    t = "Shelling continued across Kharkiv Oblast overnight, the governor said."
    return _doc(t, "Ukrinform", "2024-08-24",
                [_place(t, "Kharkiv Oblast", "Kharkiv Oblast", None, "Kharkiv Oblast", "ADM1", 49.5, 36.5)],
                [_claim(t, t, "strike", "the governor")])


@pytest.fixture
def store(store_url):
    st = Store(store_url)
    st.ingest([ap_forecast(), kupiansk_news(), kherson_news(), oblast_news()], st.start_run("p", {}), "p")
    yield st
    st.close()


def need_gazetteer():
    if gazetteer() is None:
        pytest.skip("the default gazetteer cannot be opened here")


# -- 1. dates ------------------------------------------------------------------------------------------------
def test_filters_ledger_sorts_by_publication_not_by_a_forecast_date(store):
    rows = claims(store)
    # before: the "by 2045" claim of 26 Aug came first, sorted by its resolved date
    assert [r.published for r in rows] == sorted((r.published for r in rows), reverse=True)
    assert rows[0].outlet == "Reuters"
    forecast = next(r for r in rows if r.date == "2045-01-01")
    assert forecast.as_of is None and forecast.published == "2024-08-26"
    assert next(r for r in rows if r.date == "2024-08-20").as_of == "2024-08-20"


def test_filters_since_until_are_the_publication_date(store):
    # before: since compared the claim's date, so the AP claim "dated" 2045 answered "since 27 August"
    assert {r.outlet for r in claims(store, Filters(since="2024-08-27"))} == {"Reuters"}
    assert {r.outlet for r in claims(store, Filters(since="2024-08-26", until="2024-08-26"))} == {"AP"}
    assert {r.outlet for r in events(store, Filters(since="2024-08-26", until="2024-08-26"))} == {"AP"}
    assert {d.outlet for d in list_documents(store, Filters(until="2024-08-25"))} == {"TASS", "Ukrinform"}


def test_filters_claim_dates_use_only_a_plausible_own_date(store):
    assert [r.text for r in claims(store, Filters(claim_since="2024-08-20", claim_until="2024-08-20"))] == [
        "Russian forces shelled Izyum on 20 August, officials said."]
    assert claims(store, Filters(claim_since="2030-01-01")) == []  # "by 2045" is no claim date
    # a claim without a date of its own is dated at its publication (as stored): Reuters' two of 27 August
    assert count_claims(store, Filters(claim_since="2024-08-26")) == 2
    assert plausible_date("2045-01-01", "2024-08-26") is None
    assert plausible_date("2024-09-20", "2024-08-26") == "2024-09-20"  # 25 days after: kept
    assert plausible_date("2024-10-01", "2024-08-26") is None
    assert plausible_date("2020-01-01", "2024-08-26") is None
    with pytest.raises(Exception, match="claim_since"):
        Filters(claim_since="2024-13-01")


def test_filters_sort_keys(store):
    oldest = claims(store, Filters(sort="published"))
    assert oldest[0].outlet == "Ukrinform" and oldest[-1].outlet == "Reuters"
    by_date = claims(store, Filters(sort="date"))
    assert by_date[0].outlet == "AP" and by_date[0].as_of == "2024-08-20"  # the forecast sorts at 26 Aug
    assert [r.outlet for r in claims(store, Filters(sort="outlet"))][0] == "AP"
    assert claims(store, Filters(sort="nonsense")) == claims(store)


# -- 2. places -----------------------------------------------------------------------------------------------
def test_filters_place_matches_every_spelling_through_the_gazetteer(store):
    need_gazetteer()
    expected = ["Russian forces shelled Izyum on 20 August, officials said.", "Ukraine aims to rebuild Izyum by 2045, "
                "the minister said."]
    for spelling in ("Izyum", "Izium", "Izjum", "Изюм", "izium"):
        assert sorted(r.text for r in claims(store, Filters(place=spelling))) == expected, spelling
        assert [e.place for e in events(store, Filters(place=spelling))] == ["Izyum"], spelling
        assert [d.outlet for d in list_documents(store, Filters(place=spelling))] == ["AP"], spelling
    assert IZIUM in place_ids(store, "Изюм")
    assert place_summary(store, "Izium").geonames_id == IZIUM


def test_filters_place_repeats_and_any_matches(store):
    need_gazetteer()
    assert Filters(place="Izium").place == Places(("Izium",)) and str(Filters(place="Izium").place) == "Izium"
    assert Filters(place=["Kupiansk", " ", "Kupiansk"]).place == ("Kupiansk",)
    assert Filters(place=[]).place is None and Filters(place="").place is None
    both = claims(store, Filters(place=["Kupiansk", "Izium"]))
    assert {r.outlet for r in both} == {"Reuters", "AP"}
    assert count_claims(store, Filters(place=("Kupiansk", "Izium"))) == len(both) == 3


def test_filters_oblast_takes_in_its_settlements(store):
    need_gazetteer()
    outlets = {r.outlet for r in claims(store, Filters(place="Kharkiv Oblast"))}
    assert outlets == {"AP", "Reuters", "Ukrinform"}  # Izyum, Kupiansk and the oblast itself; not Kherson
    assert {e.outlet for e in events(store, Filters(place="Kharkiv Oblast"))} == {"AP", "Reuters"}
    assert {p.name for p in places(store, Filters(place="Kharkiv Oblast"))} == {"Izyum", "Kupiansk",
                                                                                "Kharkiv Oblast"}
    match = resolve_place(store, "Kharkiv Oblast")
    assert ("ua", "kharkiv oblast") in match.regions
    # a city that shares its name with its oblast is the city, not the whole oblast
    assert resolve_place(store, "Kharkiv").regions == frozenset()


def test_filters_timeline_accepts_any_spelling(store):
    need_gazetteer()
    entries = timeline(store, "Изюм")
    assert {(e.kind, e.date) for e in entries} == {("claim", "2024-08-26"), ("claim", "2024-08-20"),
                                                   ("event", "2024-08-20")}


# -- 3. techniques, totals, lists ----------------------------------------------------------------------------
def test_filters_technique_any_spelling(store):
    for spelling in ("name calling", "Name_Calling,Labeling", "NAME-CALLING", "labeling"):
        assert technique_labels(store, spelling) == ["Name_Calling,Labeling"], spelling
        assert [d.outlet for d in list_documents(store, Filters(technique=spelling))] == ["TASS"]
    assert technique_labels(store, "loaded language") == ["Loaded_Language"]


def test_filters_technique_matches_only_the_claim_it_overlaps(store):
    # before: every claim of a document holding the technique matched
    rows = claims(store, Filters(technique="loaded language"))
    assert [r.text for r in rows] == ["It was a loud, heroic defence."]
    assert [r.claimant for r in claims(store, Filters(technique="name calling"))] == ["the spokesman"]


def test_filters_documents_honour_place_technique_claimant_type(store):
    # before: the document list ignored everything but outlet and dates
    assert [d.outlet for d in list_documents(store, Filters(claimant="spokesman"))] == ["TASS"]
    assert {d.outlet for d in list_documents(store, Filters(type="strike"))} == {"AP", "TASS", "Ukrinform"}
    assert count_documents(store, Filters(type="strike")) == 3
    assert [d.outlet for d in list_documents(store, Filters(sort="outlet"))] == ["AP", "Reuters", "TASS",
                                                                                "Ukrinform"]


def test_filters_counts_match_the_unpaged_lists(store):
    for f in (Filters(), Filters(type="strike"), Filters(outlet="TASS"), Filters(since="2024-08-26")):
        big = Filters(**{**f.__dict__, "limit": 1000})
        assert count_claims(store, f) == len(claims(store, big))
        assert count_events(store, f) == len(events(store, big))
        assert count_documents(store, f) == len(list_documents(store, big))
        assert count_places(store, f) == len(places(store, big))
    assert count_claims(store, Filters(limit=1)) == 7


# -- the events ledger ---------------------------------------------------------------------------------------
def test_filters_events_ledger_rows_and_filters(store):
    rows = events(store)
    assert [r.published for r in rows] == sorted((r.published for r in rows), reverse=True)
    kup = rows[0]
    assert (kup.outlet, kup.type, kup.place, kup.precision, kup.url) == ("Reuters", "ASSAULT", "Kupiansk",
                                                                         "settlement", "https://www.reuters.com/world/x")
    assert kup.text.startswith("Russian troops attacked Kupiansk")
    assert {r.type for r in events(store, Filters(type="assault"))} == {"ASSAULT"}
    assert len(events(store, Filters(type="ASSAULT"))) == 3
    assert [r.claimant for r in events(store, Filters(claimant="officials"))] == ["officials"]
    russia = events(store, Filters(type="PROTEST"))[0]
    assert russia.precision == "country" and russia.country_code == "RU"
    assert event_keys(store, Filters(type="ASSAULT", place="Kherson")) == {kherson_news().id: {0}}
