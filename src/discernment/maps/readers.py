"""Readers for dated control-of-terrain maps: GeoJSON files in, one ControlSnapshot per map date out.

Three kinds (docs/control-maps.md):

- ``deepstate``: DeepStateMap API snapshots named ``{unix seconds}.geojson``; the date is the UTC day of that
  time, each feature's status comes from its bilingual ``name`` through the status table
  (resources/en/control_status.toml); Point features (arrows, unit markers) are left out.
- ``occupied-daily``: ``deepstatemap_data_YYYYMMDD.geojson``, one MultiPolygon of the occupied area a day.
- ``geojson``: any FeatureCollection; date and status come from the file name or a property, as [maps] says.

Each status's areas are merged into one geometry (a union), lon/lat WGS84. A file that cannot be read raises
:class:`~discernment.errors.ReadError` E113 naming the file and why; :func:`read_paths` reports it and goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..config import defaults
from ..errors import ReadError

STATUSES = ("occupied", "liberated", "unknown")
KINDS = ("deepstate", "occupied-daily", "geojson")
SUFFIXES = (".geojson", ".json")

_DEEPSTATE_NAME = re.compile(r"^(\d{9,11})\.geojson$", re.IGNORECASE)
_DAILY_NAME = re.compile(r"deepstatemap_data_(\d{8})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _err(path: str | os.PathLike, reason: str) -> ReadError:
    return ReadError("E113", str(path), reason)


def parse_map_date(value: Any) -> dt.date | None:
    """A map date from ``YYYY-MM-DD``, ``YYYYMMDD``, an ISO time or unix seconds (a number or 9-11 digits, read
    as UTC); None when the value is none of these."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{9,11}", text):
            return dt.datetime.fromtimestamp(int(text), dt.timezone.utc).date()
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc)
    return stamp.date()


def normalise_name(text: str) -> str:
    """A status text as the word lists see it: NFKC, case-folded, NBSP/newlines as spaces, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


_D = defaults("maps")  # every default is written in default.toml's [maps], with what it means


@dataclass
class MapSettings:
    """The [maps] settings (default.toml) and the status table they name."""

    staleness_days: int = _D.staleness_days
    cache_snapshots: int = _D.cache_snapshots
    priority: tuple[str, ...] = tuple(_D.priority)
    status_property: str = _D.status_property
    default_status: str = _D.default_status
    unmatched: str = _D.unmatched
    date_property: str = _D.date_property
    date_from_filename: str = _D.date_from_filename
    status_file: str = _D.status_file
    words: dict[str, list[str]] = field(default_factory=dict)  # status -> extra words, tried first

    @classmethod
    def from_config(cls, config=None) -> "MapSettings":
        if config is None:
            return cls()
        m = config.settings("maps")
        return cls(staleness_days=m.staleness_days, cache_snapshots=m.cache_snapshots, priority=tuple(m.priority),
                   status_property=m.status_property, default_status=m.default_status, unmatched=m.unmatched,
                   date_property=m.date_property, date_from_filename=m.date_from_filename,
                   status_file=m.status_file,
                   words={k: list(getattr(m, k)) for k in ("ignore", "unknown", "liberated", "occupied")
                          if getattr(m, k)})

    def to_dict(self) -> dict[str, Any]:
        """What is stored with a layer (map_layers.settings), so an import can be explained later."""
        return {"status_property": self.status_property, "default_status": self.default_status,
                "unmatched": self.unmatched, "date_property": self.date_property,
                "date_from_filename": self.date_from_filename, "status_file": self.status_file,
                "words": self.words}

    def __post_init__(self) -> None:
        self._rules: list[tuple[str, str]] | None = None

    def rules(self) -> list[tuple[str, str]]:
        """(normalised word, status) pairs in the order they are tried: the settings' words, then the table's."""
        if self._rules is None:
            order = ("ignore", "unknown", "liberated", "occupied")
            rules = [(normalise_name(w), s) for s in order for w in self.words.get(s, [])]
            table = load_status_table(self.status_file)
            for status in table.get("order", order):
                rules += [(normalise_name(w), status) for w in table.get(status, [])]
            self._rules = [(w, s) for w, s in rules if w]
        return self._rules

    def classify(self, text: Any) -> str | None:
        """The status a feature's status text stands for: a member of STATUSES, "ignore", or None (no match)."""
        if not isinstance(text, str) or not text.strip():
            return None
        name = normalise_name(text)
        for word, status in self.rules():
            if word in name:
                return status
        return None


def load_status_table(path: str = "") -> dict[str, Any]:
    """The status table: ``path`` (a file in the format of resources/en/control_status.toml) or the bundled one."""
    try:
        if path:
            text = Path(path).expanduser().read_text(encoding="utf-8")
        else:
            text = resources.files("discernment").joinpath("resources/en/control_status.toml").read_text(
                encoding="utf-8")
        table = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        from ..errors import ConfigError

        raise ConfigError("E203", f"cannot read the control status table {path or '(bundled)'}: {err}") from err
    for status in list(table.get("order", [])):
        if status not in STATUSES + ("ignore",):
            from ..errors import ConfigError

            raise ConfigError("E205", f"control status table {path or '(bundled)'}: unknown status {status!r} "
                                      f"(use {', '.join(STATUSES)} or ignore)")
    return table


@dataclass
class ControlSnapshot:
    """One map of one date: each status's area as one shapely geometry (lon/lat), and where it came from."""

    source: str  # the layer name given on import, else the kind
    date: dt.date
    geometries: dict[str, Any]  # status -> shapely (Multi)Polygon
    path: str
    features: int = 0  # features read into a status
    ignored: Counter = field(default_factory=Counter)  # status text -> features left out (ignored or unmatched)


def detect_kind(path: str | os.PathLike) -> str:
    """``deepstate`` for ``{unix}.geojson``, ``occupied-daily`` for ``deepstatemap_data_YYYYMMDD``, else
    ``geojson``."""
    name = Path(path).name
    if _DEEPSTATE_NAME.match(name):
        return "deepstate"
    if _DAILY_NAME.search(name):
        return "occupied-daily"
    return "geojson"


def _polygons(geom) -> list:
    """The polygonal parts of any geometry (points and lines of a GeometryCollection are dropped)."""
    from shapely.geometry import MultiPolygon, Polygon

    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):  # GeometryCollection
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _feature_geometry(path: Path, index: int, raw: Any) -> list:
    """A feature's polygons, repaired with make_valid when invalid; E113 when that cannot be done."""
    import shapely
    from shapely.geometry import shape

    if not isinstance(raw, dict) or "type" not in raw:
        raise _err(path, f"feature {index}: no GeoJSON geometry")
    if raw["type"] in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        return []
    try:
        geom = shape(raw)
    except Exception as err:  # shapely raises several types for malformed coordinates
        raise _err(path, f"feature {index}: malformed {raw.get('type')} geometry ({err})") from None
    parts = _polygons(geom)
    if not parts:
        return []
    out = []
    for part in parts:
        if part.is_valid:
            out.append(part)
            continue
        try:
            fixed = _polygons(shapely.make_valid(part))
        except Exception as err:
            raise _err(path, f"feature {index}: invalid geometry that make_valid cannot repair ({err})") from None
        fixed = [p for p in fixed if p.is_valid and not p.is_empty]
        if not fixed and part.area > 0:
            raise _err(path, f"feature {index}: invalid geometry that make_valid cannot repair")
        out += fixed
    return out


def _load_json(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _err(path, f"cannot open ({err.strerror or err})") from None
    if not data.strip():
        raise _err(path, "empty file")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:
        raise _err(path, f"not JSON ({str(err).splitlines()[0][:120]})") from None


def _features(path: Path, doc: Any) -> list[dict]:
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        return doc["features"]
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc]
    raise _err(path, "not GeoJSON (expected a FeatureCollection or a Feature)")


def _file_date(path: Path, kind: str, settings: MapSettings) -> dt.date | None:
    name = path.name
    if kind == "deepstate":
        m = _DEEPSTATE_NAME.match(name) or re.search(r"(\d{9,11})", name)
    elif kind == "occupied-daily":
        m = _DAILY_NAME.search(name) or re.search(r"(\d{8})", name)
    else:
        m = re.search(settings.date_from_filename, name) if settings.date_from_filename else None
    if not m:
        return None
    return parse_map_date(m.group(1) if m.groups() else m.group(0))


def read_file(path: str | os.PathLike, kind: str | None = None, settings: MapSettings | None = None,
              source: str | None = None) -> list[ControlSnapshot]:
    """The snapshots in one file (one, or one per date for a generic layer dated by a property), oldest first."""
    import shapely

    path = Path(path)
    settings = settings or MapSettings.from_config()
    kind = kind or detect_kind(path)
    if kind not in KINDS:
        raise _err(path, f"unknown map kind {kind!r} (use {', '.join(KINDS)})")
    features = _features(path, _load_json(path))
    file_date = _file_date(path, kind, settings)
    by_date: dict[dt.date, dict[str, list]] = {}
    counts: Counter = Counter()
    ignored: Counter = Counter()
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _err(path, f"feature {i}: not a GeoJSON Feature")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        geometry = feature.get("geometry")
        if geometry is None:
            continue
        date = file_date
        if kind == "geojson" and settings.date_property:
            date = parse_map_date(props.get(settings.date_property)) or file_date
        if kind == "occupied-daily":
            status = "occupied"
            text = ""
        else:
            text = props.get(settings.status_property if kind == "geojson" else "name")
            status = settings.classify(text)
            if status is None and kind == "geojson" and settings.default_status:
                status = settings.default_status
            if status is None:
                status = settings.unmatched
        parts = _feature_geometry(path, i, geometry)
        if not parts:
            continue
        if status not in STATUSES:
            ignored[str(text)] += 1
            continue
        if date is None:
            where = f"property {settings.date_property!r} or " if kind == "geojson" and settings.date_property else ""
            raise _err(path, f"no date: none in {where}the file name")
        by_date.setdefault(date, {}).setdefault(status, []).extend(parts)
        counts[date] += 1
    if not by_date:
        if file_date is None and not (kind == "geojson" and settings.date_property):
            raise _err(path, "no date in the file name")
        raise _err(path, "no control areas in it (no polygon of a known status)")
    snapshots = []
    for date in sorted(by_date):
        geometries = {}
        for status, parts in by_date[date].items():
            try:
                merged = shapely.union_all(parts)
            except Exception:  # a topology error in the union: repair the parts, then merge again
                try:
                    merged = shapely.union_all([shapely.make_valid(p.buffer(0)) for p in parts])
                except Exception as err:
                    raise _err(path, f"the {status} areas cannot be merged ({err})") from None
            merged = shapely.MultiPolygon(_polygons(merged)) if merged.geom_type == "GeometryCollection" else merged
            if not merged.is_empty:
                geometries[status] = merged
        snapshots.append(ControlSnapshot(source=source or kind, date=date, geometries=geometries, path=str(path),
                                         features=counts[date], ignored=ignored))
    return snapshots


def iter_files(paths: Iterable[str | os.PathLike], on_error: Callable[[ReadError], None] | None = None
               ) -> Iterator[Path]:
    """The map files among ``paths``: files as given, folders walked (``.geojson``/``.json``, by name)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, onerror=lambda e, path=path: on_error and on_error(
                    _err(getattr(e, "filename", path), f"cannot walk ({e.strerror or e})"))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if not f.startswith(".") and f.lower().endswith(SUFFIXES)]
            yield from sorted(found)
        else:
            yield path


def read_paths(paths: Iterable[str | os.PathLike], kind: str | None = None, settings: MapSettings | None = None,
               source: str | None = None, on_error: Callable[[ReadError], None] | None = None
               ) -> Iterator[ControlSnapshot]:
    """Every snapshot in ``paths`` (files and folders); a bad file goes to ``on_error`` (or raises when none)
    and the others are still read."""
    settings = settings or MapSettings.from_config()
    for path in iter_files(paths, on_error):
        try:
            yield from read_file(path, kind=kind, settings=settings, source=source)
        except ReadError as err:
            if on_error is None:
                raise
            on_error(err)
