"""Control-map benchmark: import the 248 DeepState history snapshots, then answer 10,000 random point/date queries.

    .venv/bin/python bench/control_maps.py [--data ../shared/data/control-maps] [--n 10000] [--db sqlite-url]

Targets (issue): import under a minute, 10,000 assertions judged against 250 snapshots under 5 s. Queries are
uniform over the bounding box of the occupied areas and over 2022-04-04 .. 2025-07-28 (seed 7); answered three
ways: ``status_many`` (grouped by snapshot), ``status_at`` one by one in date order (as a claims checker walks a
sorted ledger), and ``status_at`` in random order (the LRU cache at its default size, so mostly misses). Then
10,000 control assertions (2,000 distinct places, as a store repeats its towns; a random holder and date each) are
judged in full, later snapshots included, the way ``discern maps import`` judges a store: one pass over the
snapshots for all places (``Timelines``), then the verdict rule. Writes bench/results/control_maps.json.
The data is never copied into the repository; the store is a temporary SQLite file unless --db names one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "control-maps"))
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    folder = Path(args.data) / "deepstate-history"
    if not folder.is_dir():
        print(f"no data at {folder}; skipped", file=sys.stderr)
        return
    from discernment.maps import MapStore
    from discernment.store import Store

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'maps.db'}"
    store = Store(url)
    maps = MapStore(store)
    t0 = time.perf_counter()
    stats = maps.import_paths("deepstate", [folder])
    import_s = time.perf_counter() - t0

    boxes = [e.boxes["occupied"] for e in maps._entries("deepstate") if "occupied" in e.boxes]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    first, last = maps.dates("deepstate")[0], maps.dates("deepstate")[-1]
    rng = random.Random(7)
    span = (last - first).days
    queries = [(rng.uniform(x0, x1), rng.uniform(y0, y1), first + dt.timedelta(days=rng.randint(0, span)))
               for _ in range(args.n)]
    results = {}

    fresh = MapStore(store)
    t0 = time.perf_counter()
    many = fresh.status_many(queries, layer="deepstate")
    results["status_many_s"] = round(time.perf_counter() - t0, 3)
    results["status_many_loads"] = fresh.loads

    fresh = MapStore(store)
    t0 = time.perf_counter()
    ordered = {i: fresh.status_at(*queries[i], layer="deepstate") for i in sorted(range(len(queries)),
                                                                              key=lambda i: queries[i][2])}
    results["status_at_date_order_s"] = round(time.perf_counter() - t0, 3)
    results["status_at_date_order_loads"] = fresh.loads
    assert [ordered[i] for i in range(len(queries))] == many

    fresh = MapStore(store)
    k = min(args.n, 2000)
    t0 = time.perf_counter()
    for q in queries[:k]:
        fresh.status_at(*q, layer="deepstate")
    per = (time.perf_counter() - t0) / k
    results["status_at_random_order_s_per_10000"] = round(per * 10000, 2)
    results["status_at_random_order_measured_on"] = k
    results["status_at_random_order_loads"] = fresh.loads

    from types import SimpleNamespace

    from discernment.analysis.verdicts import Timelines, _Asserted, check_control

    places = [(rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(2000)]
    asserted = []
    for i in range(args.n):
        lon, lat = places[i % len(places)]
        day = (first + dt.timedelta(days=rng.randint(0, span))).isoformat()
        asserted.append(_Asserted(SimpleNamespace(as_of=day, published=day), "control",
                                  {"holder": rng.choice(("RU", "UA"))}, f"p{i % len(places)}", lat, lon, "UA", None,
                                  0, None))
    t0 = time.perf_counter()
    timelines = Timelines(MapStore(store)).add((a.lon, a.lat) for a in asserted)
    verdicts = check_control(asserted, timelines.readers())
    results["verdicts_10000_s"] = round(time.perf_counter() - t0, 3)
    results["verdicts_places"] = len(places)
    results["verdicts"] = dict(Counter(v.map.verdict for v in verdicts))

    t0 = time.perf_counter()
    walks = [list(maps.statuses_after(x, y, d, layer="deepstate")) for x, y, d in queries[:100]]
    results["statuses_after_100_points_s"] = round(time.perf_counter() - t0, 3)
    results["statuses_after_snapshots_per_point"] = round(sum(map(len, walks)) / 100, 1)

    out = {
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "date": dt.date.today().isoformat(),
        "snapshots_imported": stats.snapshots, "files_failed": stats.failed,
        "import_s": round(import_s, 2),
        "queries": args.n,
        "statuses": dict(Counter(m.status for m in many)),
        **results,
        "cache_snapshots": maps.cache_size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "store": "postgresql" if url.startswith("postgres") else "sqlite",
    }
    path = ROOT / "bench" / "results" / "control_maps.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))
    store.close()


if __name__ == "__main__":
    main()
