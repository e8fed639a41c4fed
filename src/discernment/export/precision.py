"""How precise an event's or a place's location is, from its GeoNames feature code.

``place_precision`` names it ("settlement", "site", "admin2", "admin1", "country", "unknown"); ``acled_precision``
gives ACLED's ``geo_precision`` for it (1: the town or site itself; 2: a district or region below a province;
3: a province, a country, or unknown). A place resolved to a country's centroid ("Ukraine") is "country", 3.
"""

from __future__ import annotations

# GeoNames feature codes of sites (a point, like a town) and of divisions below a province.
_SITES = frozenset("PS MFG BDG ISL SPIT AIRP AIRB AIRF PRT DAM PP BRDG RSTN MILB INSM CMP PRN".split())
_ADMIN2 = frozenset("ADM2 ADM3 ADM4 ADM5 ADMD ADM2H ADM3H RGN AREA PRK RESV".split())


def place_precision(feature: str | None) -> str:
    """How precise a location with this GeoNames feature code is: "settlement" (a populated place), "site" (a
    plant, an airport, an island, ...), "admin2" (a district, a raion or a region below an oblast), "admin1" (an
    oblast, a state), "country" (a whole country: a place resolved to Ukraine's centroid) or "unknown" (no
    feature code: an unresolved place, or another kind of feature such as a river)."""
    code = (feature or "").upper()
    if not code:
        return "unknown"
    if code.startswith("PPL"):
        return "settlement"
    if code in _SITES:
        return "site"
    if code in _ADMIN2:
        return "admin2"
    if code.startswith("ADM1"):
        return "admin1"
    if code.startswith("PCL") or code in ("CONT", "TERR"):
        return "country"
    return "unknown"


_ACLED = {"settlement": 1, "site": 1, "admin2": 2}


def acled_precision(feature: str | None) -> int:
    """ACLED's geo_precision for a location with this feature code."""
    return _ACLED.get(place_precision(feature), 3)
