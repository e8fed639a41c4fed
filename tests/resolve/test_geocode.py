"""Resolution on hand-made candidates: the co-location term and the rank of far larger namesakes."""

from __future__ import annotations

from discernment.resolve.gazetteer import Candidate
from discernment.resolve.geocode import Mention, Weights, resolve_mentions


def town(pid, name, lat, lon, state, population, match="exact", country="US"):
    return Candidate(pid, name, lat, lon, country, state, "P", "PPL", population, 10, match=match)


def county(pid, name, state):
    return Candidate(pid, name, None, None, "US", state, "A", "ADM2", 0, 5)


def mention(text, candidates, start=0):
    return Mention(start, start + len(text), text, text, candidates=list(candidates))


RICHMONDS = [town(1, "Richmond", 37.55, -77.46, "VA", 220_000), town(2, "Richmond", 37.75, -84.29, "KY", 31_000),
             town(3, "Richmond", 37.94, -122.35, "CA", 110_000)]
IRVINES = [town(4, "Irvine", 33.67, -117.82, "CA", 250_000), town(5, "Irvine", 37.70, -83.97, "KY", 2_500)]


BEREAS = [town(6, "Berea", 41.37, -81.85, "OH", 19_000), town(7, "Berea", 37.57, -84.30, "KY", 15_000)]


def test_geocode_nearby_readings_of_several_names_support_each_other():
    def run(weights):
        found = [mention("Richmond", RICHMONDS), mention("Irvine", IRVINES, 20), mention("Berea", BEREAS, 40)]
        resolve_mentions(found, weights)
        return [m.chosen.admin1 for m in found]

    assert run(Weights()) == ["KY", "KY", "KY"]
    # without the term, each name takes its largest reading
    assert run(Weights(cluster=0.0)) != ["KY", "KY", "KY"]


def test_geocode_county_without_point_meets_the_towns_of_its_state():
    lebanons = [Candidate(10, "Lebanon", 33.76, 35.71, "LB", "", "A", "PCLI", 4_000_000, 60),
                town(11, "Lebanon", 40.05, -86.47, "IN", 15_000), town(12, "Lebanon", 40.34, -76.41, "PA", 26_000)]
    boones = [county(20, "Boone County", "AR"), county(21, "Boone County", "IN")]
    lebanon, boone = mention("Lebanon", lebanons), mention("Boone County", boones, 20)
    resolve_mentions([lebanon, boone])
    assert boone.chosen.admin1 == "IN"
    assert lebanon.chosen.admin1 == "IN" and (lebanon.lat, lebanon.lon) == (40.05, -86.47)
    assert (boone.lat, boone.lon) == (40.05, -86.47)  # a county takes its state's resolved town


def test_geocode_alternate_name_of_a_far_larger_place_keeps_its_rank():
    meccas = [town(30, "Mecca", 33.57, -116.08, "CA", 8_500),
              town(31, "Makkah", 21.43, 39.83, "14", 1_500_000, match="alias", country="SA")]
    mecca = mention("Mecca", meccas)
    resolve_mentions([mecca])
    assert mecca.chosen.country == "SA"
    # a namesake of similar size keeps the penalty ("Victoria" is not an old name of Hong Kong's centre)
    victorias = [town(40, "Victoria", 48.43, -123.37, "02", 290_000, country="CA"),
                 town(41, "City of Victoria", 22.28, 114.16, "", 1_000_000, match="alias", country="HK")]
    victoria = mention("Victoria", victorias)
    resolve_mentions([victoria])
    assert victoria.chosen.country == "CA"


def test_geocode_surest_name_settles_first_and_unsettled_names_give_no_context():
    # "Queensland ... Edmonton": the state reading of Queensland is far surer than the Alberta reading of Edmonton,
    # so Queensland settles first and then pulls Edmonton to its Queensland namesake (not the other way round).
    queenslands = [Candidate(50, "Queensland", -20.5, 144.75, "AU", "04", "A", "ADM1", 9_500_000, 23),
                   town(51, "Queensland", 52.9, -113.2, "01", 4_500, country="CA")]
    edmontons = [town(52, "Edmonton", 53.55, -113.47, "01", 1_000_000, country="CA"),
                 town(53, "Edmonton", 51.62, -0.06, "ENG", 82_000, country="GB"),
                 town(54, "Edmonton", -17.02, 145.74, "04", 10_600, country="AU")]
    found = [mention("Queensland", queenslands), mention("Edmonton", edmontons, 20),
             mention("Queensland", queenslands, 40)]
    resolve_mentions(found)
    assert [m.chosen.id for m in found] == [50, 54, 50]


def test_geocode_capital_of_a_country_named_in_the_text():
    # A Kentucky dateline and Kentucky towns, but "France" is named: "Paris" is its capital, not Paris, Kentucky.
    paris = [Candidate(60, "Paris", 48.85, 2.35, "FR", "11", "P", "PPLC", 2_100_000, 100),
             town(61, "Paris", 38.21, -84.25, "KY", 9_900)]
    france = [Candidate(62, "France", 46.5, 2.0, "FR", "", "A", "PCLI", 67_000_000, 100)]
    georgetowns = [town(63, "Georgetown", 38.21, -84.56, "KY", 33_000)]
    kentuckys = [Candidate(64, "Kentucky", 37.9, -84.9, "US", "KY", "A", "ADM1", 4_500_000, 30)]
    europe = [Candidate(67, "Europe", 48.7, 9.1, "", "", "L", "CONT", 0, 100)]
    found = [mention("Georgetown", georgetowns), mention("Kentucky", kentuckys, 12), mention("France", france, 30),
             mention("Paris", paris, 40), mention("Europe", europe, 50), mention("Paris", paris, 60)]
    resolve_mentions(found)
    assert found[3].chosen.country == found[5].chosen.country == "FR"
    # a name that is also its country's name keeps the country reading ("Mexico" beside "Mexico")
    mexicos = [Candidate(65, "Mexico", 23.0, -102.0, "MX", "", "A", "PCLI", 128_000_000, 100),
               Candidate(66, "Mexico City", 19.43, -99.13, "MX", "09", "P", "PPLC", 12_000_000, 100, match="alias")]
    found = [mention("Mexico", mexicos), mention("Mexico", mexicos, 20)]
    resolve_mentions(found)
    assert [m.chosen.fcode for m in found] == ["PCLI", "PCLI"]


def test_geocode_names_listed_together_are_of_one_kind():
    def state(pid, name, lat, lon, code, population):
        return Candidate(pid, name, lat, lon, "US", code, "A", "ADM1", population, 22)

    wyomings = [state(70, "Wyoming", 43.0, -107.5, "WY", 430_000), town(71, "Wyoming", 42.91, -85.71, "MI", 200_000)]
    ohios = [state(72, "Ohio", 40.25, -83.0, "OH", 11_700_000)]
    montanas = [state(73, "Montana", 47.0, -109.5, "MT", 1_000_000)]

    def run(siblings):
        found = [mention("Ohio", ohios), mention("Montana", montanas, 10), mention("Wyoming", wyomings, 20)]
        if siblings:
            for k, m in enumerate(found):
                m.siblings = tuple(j for j in range(3) if j != k)
        resolve_mentions(found)
        return found[2].chosen.fcode

    assert run(True) == "ADM1"
    assert run(False) == "PPL"  # alone, the larger town of Michigan outranks the thinly peopled state


def test_geocode_capital_of_the_documents_own_country_gets_no_capital_bonus():
    def state(pid, name, lat, lon, code, population):
        return Candidate(pid, name, lat, lon, "US", code, "A", "ADM1", population, 22)

    washingtons = [Candidate(80, "Washington", 38.9, -77.04, "US", "DC", "P", "PPLC", 690_000, 28),
                   state(81, "Washington", 47.5, -120.5, "WA", 6_500_000)]
    usa = [Candidate(82, "United States", 39.8, -98.6, "US", "", "A", "PCLI", 330_000_000, 100)]
    found = [mention("United States", usa), mention("Ohio", [state(83, "Ohio", 40.25, -83.0, "OH", 11_700_000)], 20),
             mention("Texas", [state(84, "Texas", 31.1, -99.6, "TX", 29_000_000)], 30),
             mention("Washington", washingtons, 40)]
    for k in (1, 2, 3):
        found[k].siblings = tuple(j for j in (1, 2, 3) if j != k)
    resolve_mentions(found)
    assert found[3].chosen.fcode == "ADM1"


def test_geocode_alternate_name_beside_hamlets_needs_less_to_keep_its_rank():
    # "Jenin": the Polish village bears it as its own name, the West Bank city (30 times larger) as an alternate one
    jenins = [town(90, "Jenin", 52.5, 15.1, "76", 1_100, country="PL"),
              Candidate(91, "Janin", 32.46, 35.3, "PS", "WE", "P", "PPL", 34_700, 17, match="alias")]
    jenin = mention("Jenin", jenins)
    resolve_mentions([jenin])
    assert jenin.chosen.country == "PS"


def test_geocode_a_bare_oblast_name_is_its_city_in_ukraine_and_russia():
    oblast = Candidate(-1, "Kherson Oblast", 46.69, 33.44, "UA", "08", "A", "ADM1", 593_927, 23)
    city = town(706448, "Kherson", 46.64, 32.61, "08", 66_000, country="UA")
    [bare] = [mention("Kherson", [oblast, city])]
    resolve_mentions([bare])
    assert bare.chosen.fcode == "PPL"
    # "Zaporizhzhia": the oblast and a village bear the name, the city its variant "Zaporizhzhya"
    oblast = Candidate(-2, "Zaporizhzhia Oblast", 47.22, 35.68, "UA", "26", "A", "ADM1", 1_522_881, 24)
    village = town(1, "Zaporizhzhia", 46.96, 35.04, "26", 656, country="UA")
    city = town(687700, "Zaporizhzhya", 47.85, 35.12, "26", 710_052, match="alias", country="UA")
    [bare] = [mention("Zaporizhzhia", [oblast, village, city])]
    resolve_mentions([bare])
    assert bare.chosen.id == 687700
    # elsewhere a province far larger than its namesake town keeps its rank
    province = Candidate(-3, "Ontario", 50.0, -85.0, "CA", "08", "A", "ADM1", 12_000_000, 30)
    namesake = town(2, "Ontario", 34.06, -117.65, "CA", 170_000)
    [bare] = [mention("Ontario", [province, namesake])]
    resolve_mentions([bare])
    assert bare.chosen.fcode == "ADM1"
