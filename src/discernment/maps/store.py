"""Control maps in the project store, and the point query: what did map L show at (lon, lat) on date D?

Snapshots are kept as WKB with their bounding boxes (tables ``map_layers``, ``map_snapshots``; no PostGIS). A
:class:`MapStore` keeps a small index in memory (every snapshot's date and per-status bounding box, a few bytes
each) and loads geometries lazily: a bounded LRU cache of whole snapshots, each status prepared for fast
point-in-polygon tests. A point outside every bounding box of a snapshot is answered without loading it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from sqlalchemy import and_, delete, func, insert, select

from ..errors import ReadError
from ..store import schema as s
from .readers import STATUSES, ControlSnapshot, MapSettings, detect_kind, iter_files, read_file

NO_MAP = "no_map"
OUTSIDE = "outside"
STATUS_CODES = (OUTSIDE, *STATUSES)  # the codes of status_series


class MapStatus(NamedTuple):
    """What a map showed at a point: ``status`` is occupied, liberated, unknown or outside (in none of the map's
    areas), or ``no_map`` when the layer has no snapshot on or before the date within the staleness;
    ``date`` is the snapshot's date (for no_map: the stale snapshot's, or None), ``layer`` the layer asked."""

    status: str
    date: dt.date | None
    layer: str | None


@dataclass
class ImportStats:
    files: int = 0
    snapshots: int = 0
    failed: int = 0
    ignored: int = 0  # features left out (ignored or unmatched status text)
    errors: list[ReadError] = field(default_factory=list)


@dataclass
class _Entry:  # one snapshot in the in-memory index
    date: dt.date
    boxes: dict[str, tuple[float, float, float, float]]


def as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class MapStore:
    """Control-map layers in the project store ``store`` (a :class:`~discernment.store.Store`, or its URL)."""

    def __init__(self, store: Any = None, settings: MapSettings | None = None, cache_snapshots: int | None = None):
        if store is None or isinstance(store, str):
            from ..store import Store

            store = Store(store)
        self.store = store
        self.engine = store.engine
        self.settings = settings or MapSettings.from_config()
        self.cache_size = max(1, cache_snapshots or self.settings.cache_snapshots)
        self._cache: OrderedDict[tuple[str, dt.date], dict[str, Any]] = OrderedDict()
        self._index: dict[str, list[_Entry]] = {}
        self._date_lists: dict[str, list[dt.date]] = {}
        self._names: list[str] | None = None
        self.loads = 0  # snapshots read from the database (cache misses), for tests and benchmarks

    # -- import -------------------------------------------------------------------------------------------
    def write_layer(self, name: str, kind: str, settings: dict[str, Any] | None = None) -> None:
        from ..store.store import now

        self._names = None
        with self.engine.begin() as conn:
            row = dict(kind=kind, imported_at=now(), settings=settings or {})
            if conn.execute(select(s.map_layers.c.name).where(s.map_layers.c.name == name)).first():
                conn.execute(s.map_layers.update().where(s.map_layers.c.name == name).values(**row))
            else:
                conn.execute(insert(s.map_layers).values(name=name, **row))

    def write_snapshot(self, layer: str, snap: ControlSnapshot) -> None:
        """Store one snapshot; one already stored for the same layer and date is replaced (re-import is
        idempotent)."""
        import shapely

        rows = []
        for status, geom in snap.geometries.items():
            minx, miny, maxx, maxy = geom.bounds
            rows.append(dict(layer=layer, date=snap.date.isoformat(), status=status,
                             geometry=shapely.to_wkb(geom), minx=minx, miny=miny, maxx=maxx, maxy=maxy,
                             path=snap.path))
        t = s.map_snapshots
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(and_(t.c.layer == layer, t.c.date == snap.date.isoformat())))
            if rows:
                conn.execute(insert(t), rows)
        self._forget(layer)

    def import_paths(self, name: str, paths: Iterable[str], kind: str | None = None,
                     on_error: Callable[[ReadError], None] | None = None,
                     progress: Callable[[ControlSnapshot], None] | None = None) -> ImportStats:
        """Read files and folders into layer ``name`` (created or updated); bad files are reported, not fatal."""
        stats = ImportStats()

        def failed(err: ReadError) -> None:
            stats.failed += 1
            stats.errors.append(err)
            if on_error:
                on_error(err)

        files = list(iter_files(paths, failed))
        layer_kind = kind or (detect_kind(files[0]) if files else "geojson")
        self.write_layer(name, layer_kind, self.settings.to_dict())
        for path in files:
            stats.files += 1
            try:
                snaps = read_file(path, kind=kind, settings=self.settings, source=name)
            except ReadError as err:
                failed(err)
                continue
            for snap in snaps:
                self.write_snapshot(name, snap)
                stats.snapshots += 1
                stats.ignored += sum(snap.ignored.values())
                if progress:
                    progress(snap)
        return stats

    # -- listing ------------------------------------------------------------------------------------------
    def layers(self) -> list[dict[str, Any]]:
        """Each layer: name, kind, imported_at, snapshots (dates), first and last date."""
        t, lt = s.map_snapshots, s.map_layers
        with self.engine.connect() as conn:
            stats = {r.layer: r for r in conn.execute(
                select(t.c.layer, func.count(func.distinct(t.c.date)).label("n"), func.min(t.c.date).label("first"),
                       func.max(t.c.date).label("last")).group_by(t.c.layer))}
            rows = conn.execute(select(lt.c.name, lt.c.kind, lt.c.imported_at).order_by(lt.c.name)).all()
        out = []
        for r in rows:
            st = stats.get(r.name)
            out.append({"name": r.name, "kind": r.kind, "imported_at": r.imported_at,
                        "snapshots": st.n if st else 0, "first": st.first if st else None,
                        "last": st.last if st else None})
        return out

    def layer_names(self) -> list[str]:
        if self._names is None:
            with self.engine.connect() as conn:
                self._names = [r[0] for r in conn.execute(select(s.map_layers.c.name).order_by(s.map_layers.c.name))]
        return list(self._names)

    def dates(self, layer: str) -> list[dt.date]:
        return [e.date for e in self._entries(layer)]

    # -- index and cache ----------------------------------------------------------------------------------
    def _forget(self, layer: str) -> None:
        self._index.pop(layer, None)
        self._date_lists.pop(layer, None)
        for key in [k for k in self._cache if k[0] == layer]:
            del self._cache[key]

    def _entries(self, layer: str) -> list[_Entry]:
        if layer not in self._index:
            t = s.map_snapshots
            entries: dict[str, _Entry] = {}
            with self.engine.connect() as conn:
                for r in conn.execute(select(t.c.date, t.c.status, t.c.minx, t.c.miny, t.c.maxx, t.c.maxy)
                                      .where(t.c.layer == layer).order_by(t.c.date)):
                    entry = entries.setdefault(r.date, _Entry(dt.date.fromisoformat(r.date), {}))
                    entry.boxes[r.status] = (r.minx, r.miny, r.maxx, r.maxy)
            self._index[layer] = sorted(entries.values(), key=lambda e: e.date)
        return self._index[layer]

    def _dates(self, layer: str) -> list[dt.date]:
        if layer not in self._date_lists:
            self._date_lists[layer] = [e.date for e in self._entries(layer)]
        return self._date_lists[layer]

    def _geometries(self, layer: str, date: dt.date) -> dict[str, Any]:
        """The snapshot's status -> prepared geometry, from the LRU cache or the database."""
        import shapely

        key = (layer, date)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        t = s.map_snapshots
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.status, t.c.geometry).where(
                and_(t.c.layer == layer, t.c.date == date.isoformat()))).all()
        geoms = {}
        for r in rows:
            geom = shapely.from_wkb(bytes(r.geometry))
            shapely.prepare(geom)
            geoms[r.status] = geom
        self.loads += 1
        self._cache[key] = geoms
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return geoms

    def latest(self, layer: str, date: dt.date | str) -> dt.date | None:
        """The date of the layer's latest snapshot on or before ``date`` (no staleness applied), else None."""
        dates = self._dates(layer)
        i = bisect.bisect_right(dates, as_date(date))
        return dates[i - 1] if i else None

    def snapshot(self, layer: str, date: dt.date | str) -> tuple[dt.date | None, dict[str, Any]]:
        """The layer's latest snapshot on or before ``date`` (no staleness applied): its date and status ->
        geometry; (None, {}) when the layer has none that early."""
        found = self.latest(layer, date)
        return (found, self._geometries(layer, found)) if found else (None, {})

    def cached(self) -> list[tuple[str, dt.date]]:
        """The snapshots whose geometry is in memory now (least recently used first)."""
        return list(self._cache)

    def _status_in(self, layer: str, entry: _Entry, lon: float, lat: float) -> str:
        import shapely

        candidates = [st for st, (x0, y0, x1, y1) in entry.boxes.items() if x0 <= lon <= x1 and y0 <= lat <= y1]
        if not candidates:
            return OUTSIDE
        geoms = self._geometries(layer, entry.date)
        for status in self._order(candidates):
            if shapely.intersects_xy(geoms[status], lon, lat):
                return status
        return OUTSIDE

    def _order(self, statuses: Iterable[str]) -> list[str]:
        rank = {st: i for i, st in enumerate(self.settings.priority)}
        return sorted(statuses, key=lambda st: (rank.get(st, len(rank)), st))

    def _pick_layer(self, date: dt.date, layer: str | None) -> str | None:
        if layer is not None:
            return layer
        best, best_date = None, None
        for name in self.layer_names():
            entries = self._entries(name)
            i = bisect.bisect_right(self._dates(name), date)
            if i and (best_date is None or entries[i - 1].date > best_date):
                best, best_date = name, entries[i - 1].date
        if best is None and len(self.layer_names()) == 1:  # one layer: name it even when it has no map yet
            return self.layer_names()[0]
        return best

    # -- queries ------------------------------------------------------------------------------------------
    def snapshot_on(self, date: dt.date | str, layer: str, staleness_days: int | None = None) -> dt.date | None:
        """The date of the layer's latest snapshot on or before ``date`` within the staleness, else None."""
        found = self.latest(layer, date)
        stale = self.settings.staleness_days if staleness_days is None else staleness_days
        return found if found is not None and (as_date(date) - found).days <= stale else None

    def status_at(self, lon: float, lat: float, date: dt.date | str, layer: str | None = None,
                  staleness_days: int | None = None) -> MapStatus:
        """What the latest map on or before ``date`` showed at (lon, lat); ``no_map`` when the layer has none, or
        only one older than ``staleness_days`` (default [maps] staleness_days). Without ``layer``: the layer whose
        latest snapshot on or before the date is newest."""
        date = as_date(date)
        layer = self._pick_layer(date, layer)
        if layer is None:
            return MapStatus(NO_MAP, None, None)
        entries = self._entries(layer)
        i = bisect.bisect_right(self._dates(layer), date)
        if not i:
            return MapStatus(NO_MAP, None, layer)
        entry = entries[i - 1]
        stale = self.settings.staleness_days if staleness_days is None else staleness_days
        if (date - entry.date).days > stale:
            return MapStatus(NO_MAP, entry.date, layer)
        return MapStatus(self._status_in(layer, entry, lon, lat), entry.date, layer)

    def statuses_after(self, lon: float, lat: float, date: dt.date | str, until: dt.date | str | None = None,
                       layer: str | None = None) -> Iterator[MapStatus]:
        """The status at (lon, lat) in each of the layer's snapshots after ``date`` (up to ``until``), oldest
        first. Snapshots whose bounding boxes miss the point are answered "outside" without loading them; the
        others are read one status at a time and tested unprepared, so a long run does not flush the cache."""
        import shapely

        date = as_date(date)
        until = as_date(until) if until is not None else None
        layer = layer or self._pick_layer(until or dt.date.max, None)
        if layer is None:
            return
        t = s.map_snapshots
        for entry in self._entries(layer):
            if entry.date <= date or (until is not None and entry.date > until):
                continue
            candidates = self._order(st for st, (x0, y0, x1, y1) in entry.boxes.items()
                                     if x0 <= lon <= x1 and y0 <= lat <= y1)
            status = OUTSIDE
            cached = self._cache.get((layer, entry.date))
            for st in candidates:
                if cached is not None:
                    geom = cached[st]
                else:
                    with self.engine.connect() as conn:
                        wkb = conn.execute(select(t.c.geometry).where(and_(
                            t.c.layer == layer, t.c.date == entry.date.isoformat(), t.c.status == st))).scalar()
                    geom = shapely.from_wkb(bytes(wkb))
                if shapely.intersects_xy(geom, lon, lat):
                    status = st
                    break
            yield MapStatus(status, entry.date, layer)

    def status_series(self, points: Sequence[tuple[float, float]], layer: str) -> tuple[list[dt.date], Any]:
        """The status at each of ``points`` (lon, lat) on every snapshot of ``layer``: the snapshots' dates, oldest
        first, and a matrix ``codes[i, j]`` (an index into :data:`STATUS_CODES`) for point i on snapshot j.

        Each snapshot is read once, only the statuses whose bounding box holds one of the points, and tested for
        all points at once; nothing is kept in memory but the matrix (one byte per point and snapshot). This is
        how a whole store's claims are judged: 10,000 places against 250 snapshots is one pass over the maps."""
        import numpy as np
        import shapely

        entries = self._entries(layer)
        xs = np.array([p[0] for p in points], dtype=float)
        ys = np.array([p[1] for p in points], dtype=float)
        codes = np.zeros((len(points), len(entries)), dtype=np.int8)  # 0: outside
        code = {st: i for i, st in enumerate(STATUS_CODES)}
        t = s.map_snapshots
        for j, entry in enumerate(entries):
            inside = {st: np.flatnonzero((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))
                      for st, (x0, y0, x1, y1) in entry.boxes.items()}
            inside = {st: idx for st, idx in inside.items() if idx.size}
            if not inside:
                continue
            cached = self._cache.get((layer, entry.date))
            if cached is not None:
                geoms = {st: cached[st] for st in inside}
            else:
                with self.engine.connect() as conn:
                    rows = conn.execute(select(t.c.status, t.c.geometry).where(and_(
                        t.c.layer == layer, t.c.date == entry.date.isoformat(), t.c.status.in_(list(inside))))).all()
                geoms = {r.status: shapely.from_wkb(bytes(r.geometry)) for r in rows}
                self.loads += 1
            for st in reversed(self._order(geoms)):  # highest priority written last, so it wins
                idx = inside[st]
                hit = shapely.intersects_xy(geoms[st], xs[idx], ys[idx])
                codes[idx[hit], j] = code.get(st, 0)
        return [e.date for e in entries], codes

    def status_many(self, queries: Iterable[tuple[float, float, dt.date | str]], layer: str | None = None,
                    staleness_days: int | None = None) -> list[MapStatus]:
        """status_at for many (lon, lat, date) at once: grouped by snapshot, each loaded once, tested vectorised."""
        import numpy as np
        import shapely

        queries = [(float(x), float(y), as_date(d)) for x, y, d in queries]
        out: list[MapStatus | None] = [None] * len(queries)
        groups: dict[tuple[str, dt.date], list[int]] = {}
        for i, (_x, _y, d) in enumerate(queries):
            chosen = self._pick_layer(d, layer)
            if chosen is None:
                out[i] = MapStatus(NO_MAP, None, None)
                continue
            entries = self._entries(chosen)
            j = bisect.bisect_right(self._dates(chosen), d)
            stale = self.settings.staleness_days if staleness_days is None else staleness_days
            if not j or (d - entries[j - 1].date).days > stale:
                out[i] = MapStatus(NO_MAP, entries[j - 1].date if j else None, chosen)
                continue
            groups.setdefault((chosen, entries[j - 1].date), []).append(i)
        for (name, date), idx in groups.items():
            xs = np.array([queries[i][0] for i in idx])
            ys = np.array([queries[i][1] for i in idx])
            result = np.full(len(idx), OUTSIDE, dtype=object)
            geoms = self._geometries(name, date)
            for status in reversed(self._order(geoms)):  # highest priority written last, so it wins
                result[shapely.intersects_xy(geoms[status], xs, ys)] = status
            for k, i in enumerate(idx):
                out[i] = MapStatus(str(result[k]), date, name)
        return out  # type: ignore[return-value]
