"""Cross-source comparison on hand-built claims stored in a real SQLite store (and PostgreSQL when present)."""

import pytest

from discernment.analysis.compare import cluster_claims, compare
from discernment.analysis.claims import load_claims
from discernment.analysis.stance import control_holder, quantity_range, ranges_overlap
from discernment.model import Claim, Claimant, Document, Place, Quantity, Source
from discernment.store import Store
from discernment.store.queries import Filters

KUP = 706524


def claim_doc(text, outlet, published, claimant, ctype, place, gid=KUP, quantity=None, unit="people"):
    p = text.index(place)
    places = [Place(p, p + len(place), place, "Kupiansk" if gid == KUP else place, 49.7, 37.6, "UA", None, gid,
                    "PPL", 0.9)]
    quantities = ()
    if quantity:
        q = text.index(quantity[0])
        quantities = (Quantity(q, q + len(quantity[0]), quantity[0], *quantity[1:], unit),)
    claim = Claim(0, len(text), text, ctype, Claimant(claimant, claimant), (), False, 0.8, quantities, (), (0,))
    return Document(text, source=Source(outlet=outlet, published=published), places=places, claims=[claim])


@pytest.fixture
def store(store_url):
    docs = [
        claim_doc("Russian troops have taken full control of Kupyansk, the Russian Defence Ministry said.", "RT",
                  "2022-09-09", "Russian Defence Ministry", "territorial_control", "Kupyansk"),
        claim_doc("Ukraine's General Staff denied Russian claims that Moscow's forces had captured Kupiansk.",
                  "Reuters", "2022-09-10", "Ukrainian General Staff", "territorial_control", "Kupiansk"),
        claim_doc("Russian forces captured Kupiansk after months of fighting, officials in Moscow said.", "TASS",
                  "2023-02-01", "Russian officials", "territorial_control", "Kupiansk"),
        claim_doc("Over 2,000 Ukrainian soldiers were killed near Kupyansk, the ministry said.", "RT", "2022-09-09",
                  "Russian Defence Ministry", "casualties", "Kupyansk", quantity=("Over 2,000", 2000, 2000, None)),
        claim_doc("About 400 Ukrainian soldiers were killed near Kupiansk, the General Staff said.", "Reuters",
                  "2022-09-10", "Ukrainian General Staff", "casualties", "Kupiansk",
                  quantity=("About 400", 400, 360, 440)),
    ]
    st = Store(store_url)
    st.ingest(docs, st.start_run("p", {}), "p")
    yield st
    st.close()


def test_stance_reads_holders_and_denials():
    assert control_holder("Russian troops have taken full control of Kupyansk.") == "RU"
    assert control_holder("Kyiv denied Russian claims that Moscow's forces had captured Kupiansk.") == "UA"
    assert control_holder("Russian forces withdrew from Izium.") == "UA"
    assert control_holder("Our defenders still hold the city.", "Ukrainian General Staff") == "UA"
    assert control_holder("Shelling hit Izium overnight.") is None


def test_stance_quantity_ranges():
    assert quantity_range({"value": 2000, "low": 2000, "high": None}) == (2000.0, float("inf"))
    assert quantity_range({"value": 400, "low": None, "high": None}) == (400.0, 400.0)
    assert not ranges_overlap((2000, float("inf")), (360, 440))
    assert ranges_overlap((100, 100), (105, 105))


def test_compare_finds_contradiction_change_and_quantity_clash(store):
    findings = compare(store)
    kinds = {(f.kind, f.aspect, f.a.outlet, f.b.outlet) for f in findings}
    assert ("contradiction", "control", "RT", "Reuters") in kinds
    assert ("change", "control", "Reuters", "TASS") in kinds
    assert ("contradiction", "quantity", "RT", "Reuters") in kinds
    # a change is never also reported as a contradiction
    assert not any(f.kind == "contradiction" and {f.a.outlet, f.b.outlet} == {"Reuters", "TASS"} for f in findings)
    clash = next(f for f in findings if f.aspect == "quantity")
    assert store.get_document(clash.a.doc_id).text[clash.a.start:clash.a.end] == clash.a.text


def test_compare_respects_the_window(store):
    findings = compare(store, window_days=0)
    kinds = {(f.kind, f.aspect, f.a.outlet, f.b.outlet) for f in findings}
    assert ("change", "control", "RT", "Reuters") in kinds
    assert not any(f.kind == "contradiction" and f.aspect == "control" for f in findings)


def test_clusters_group_the_same_fact_across_outlets(store):
    claims = load_claims(store, Filters(limit=100, type="casualties"))
    [cluster] = cluster_claims(store, claims)
    assert cluster.outlets == ["RT", "Reuters"] and cluster.place == "Kupiansk"
    # vectors are cached in the store after the first run
    assert store.count("claim_vectors") == 2


def test_compare_control_needs_a_shared_town_not_just_a_country(store_url):
    def country_claim(text, outlet, claimant):
        p = text.index("Ukraine")
        place = Place(p, p + 7, "Ukraine", "Ukraine", 49.0, 32.0, "UA", None, 690791, "PCLI", 0.9)
        claim = Claim(0, len(text), text, "territorial_control", Claimant(claimant, claimant), (), False, 0.5,
                      (), (), (0,))
        return Document(text, source=Source(outlet=outlet, published="2022-09-10"), places=[place], claims=[claim])

    st = Store(store_url)
    st.ingest([country_claim("Russian troops captured a village in eastern Ukraine, the ministry said.", "RT",
                             "Russian Defence Ministry"),
               country_claim("Ukrainian forces retook ground in northern Ukraine, officials said.", "Reuters",
                             "Ukrainian officials")], st.start_run("p", {}), "p")
    assert [f for f in compare(st) if f.aspect == "control"] == []
    st.close()


def test_stance_reads_the_words_around_the_town():
    from discernment.analysis.stance import holder_near

    assert holder_near("A raid on the Russian-held town of Energodar failed.", "Energodar") == "RU"
    assert holder_near("Energodar, a city under the control of Russian troops since March.", "Energodar") == "RU"
    assert holder_near("Izyum, a city that was until recently held by Russian troops.", "Izyum") == "UA"
    assert holder_near("Balakleya and Izium have come under Ukrainian control.", "Izium") == "UA"
    assert holder_near("Kupiansk was captured by Ukrainian forces.", "Kupiansk") == "UA"
    assert holder_near("Shelling hit Izium overnight.", "Izium") is None
    assert holder_near("Russian forces captured Kupiansk.", "Vovchansk") is None
