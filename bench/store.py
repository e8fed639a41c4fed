"""Query latency of the store on a real corpus, on SQLite and (optionally) PostgreSQL.

    .venv/bin/python bench/store.py --db /path/war.db [--pg postgresql://...]

With --pg, documents are copied from the SQLite store into the PostgreSQL one first (no re-analysis) when it
is empty, so both backends answer the same queries over the same rows. Prints a Markdown table (median of 5
runs per query, after one warm-up) for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

QUERIES = [
    ("search: Kupiansk", lambda st, q: q.search(st, "Kupiansk", q.Filters(limit=20))),
    ('search: "2,000" militants', lambda st, q: q.search(st, '"2,000" militants', q.Filters(limit=20))),
    ("search: drone, outlet RT, date range", lambda st, q: q.search(
        st, "drone", q.Filters(outlet="RT", since="2022-08-01", until="2022-09-30", limit=20))),
    ("search: Izium, place filter", lambda st, q: q.search(st, "Izium", q.Filters(place="Izium", limit=20))),
    ("claims: place Kupiansk", lambda st, q: q.claims(st, q.Filters(place="Kupiansk", limit=100))),
    ("claims: type casualties, Sep 2022", lambda st, q: q.claims(
        st, q.Filters(type="casualties", since="2022-09-01", until="2022-09-30", limit=100))),
    ("timeline: Balakliia", lambda st, q: q.timeline(st, "Balakliia")),
    ("sources", lambda st, q: q.sources(st)),
]


def copy_store(source, target) -> int:
    run = target.start_run("copied from " + source.url, {}, "bench/store.py")
    pipelines = {}
    from sqlalchemy import select

    from discernment.store import schema as s

    with source.engine.connect() as conn:
        for doc_id, pipeline in conn.execute(select(s.documents.c.id, s.documents.c.pipeline)):
            pipelines[doc_id] = pipeline
    n = 0
    for doc_id, pipeline in pipelines.items():
        target.ingest([source.get_document(doc_id)], run, pipeline)
        n += 1
    return n


def time_queries(store) -> list[tuple[str, float, int]]:
    from discernment.store import queries as q

    out = []
    for name, fn in QUERIES:
        rows = fn(store, q)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            fn(store, q)
            times.append(time.perf_counter() - t0)
        out.append((name, statistics.median(times) * 1000, len(rows)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite store (a path or sqlite:/// URL)")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL to compare with")
    args = parser.parse_args()
    from discernment.store import Store

    sqlite_store = Store(args.db)
    results = {"SQLite": time_queries(sqlite_store)}
    docs = sqlite_store.count()
    if args.pg:
        pg_store = Store(args.pg)
        if pg_store.count() == 0:
            t0 = time.perf_counter()
            copied = copy_store(sqlite_store, pg_store)
            print(f"copied {copied} documents to PostgreSQL in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        results["PostgreSQL"] = time_queries(pg_store)
    print(f"# store query latency ({docs} documents, {sqlite_store.count('claims')} claims)\n")
    backends = list(results)
    print("| query | " + " | ".join(f"{b} ms (rows)" for b in backends) + " |")
    print("| --- | " + " | ".join("---" for _ in backends) + " |")
    for i, (name, _, _) in enumerate(results["SQLite"]):
        cells = [f"{results[b][i][1]:.1f} ({results[b][i][2]})" for b in backends]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
