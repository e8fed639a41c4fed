"""Time `compare` over a SQLite store of N articles (the target: 3,000 articles answer within 10 s).

    .venv/bin/python bench/compare_speed.py --from-store war.db [--articles 3000] [--shift-days 5] \
        [--out NEW.db] [--json RESULT.json]

Builds the store by cloning the analysed documents of an existing store (one built by ``discern ingest``), with
no re-analysis: copy 0 is each document as stored; copy k appends "\\n\\n[copy k]" to the text (a new id; every
offset stays valid, as they all point before the end) and shifts the publication date and every resolved claim
and event date by k * shift-days days, so copies fall in other date windows as a real three-month store's
articles would. Layers are kept as they are. Copies go in through ``Store.ingest`` under one run, the way
``discern ingest`` stores documents, until the new store holds N articles. ``Store.mark_duplicates`` is not run,
so copies count as distinct articles.

Then times ``compare(store)``: once cold (the first call in the process, with the store's pages not yet cached),
then three warm runs. Compare reads the store only (the assertions stored with each claim); nothing is computed
and cached at read time. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 10.0


def shifted(value: str | None, days: int) -> str | None:
    """An ISO date moved by ``days``; anything that is not YYYY-MM-DD is left as it is."""
    try:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat() if value else value
    except ValueError:
        return value


def clone(doc, copy: int, shift_days: int):
    """Copy ``copy`` of an analysed document: marker appended to the text, dates moved, the same layers."""
    from discernment.model import Document

    if copy == 0:
        return doc
    days = copy * shift_days
    data = doc.to_dict()
    del data["id"]  # the new text has a new id
    data["text"] += f"\n\n[copy {copy}]"
    data["source"]["published"] = shifted(data["source"].get("published"), days)
    for claim in data["claims"]:
        for date in claim.get("dates") or []:
            date["value"] = shifted(date.get("value"), days)
        for a in claim.get("assertions") or []:  # what each claim asserts is dated too
            a["as_of"] = shifted(a.get("as_of"), days)
            if a.get("event"):
                a["event"]["date"] = shifted(a["event"].get("date"), days)
        claim["asserts"] = claim["assertions"][0] if claim.get("assertions") else None
    for event in data["events"]:
        event["date"] = shifted(event.get("date"), days)
    return Document.from_dict(data)  # checks every offset against the new text


def build(source, target, articles: int, shift_days: int) -> int:
    """Fill ``target`` with copies of ``source``'s documents up to ``articles``; returns the most copies of one."""
    docs = [(source.stored_pipeline(doc_id), source.get_document(doc_id)) for doc_id in source.document_ids()]
    if not docs:
        sys.exit(f"compare_speed: {source.url} holds no documents")
    copies = -(-articles // len(docs))  # ceil: copy 0 of every document, then copy 1 of every document, ...
    wanted = [(pipeline, doc, k) for k in range(copies) for pipeline, doc in docs][:articles]
    last = (source.runs() or [{}])[-1]  # the source's run: its pipeline and config describe the layers
    run_id = target.start_run(last.get("pipeline") or docs[0][0], last.get("config") or {},
                              "bench/compare_speed.py: cloned from " + source.url)
    stats = None
    for pipeline in dict.fromkeys(p for p, _, _ in wanted):  # as a rule one pipeline
        stats = target.ingest((clone(doc, k, shift_days) for p, doc, k in wanted if p == pipeline), run_id,
                              pipeline, stats=stats)
    target.finish_run(run_id, stats)
    return copies - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-store", required=True, help="an analysed store (SQLite path or URL) to clone")
    parser.add_argument("--articles", type=int, default=3000, help="articles in the benchmark store")
    parser.add_argument("--shift-days", type=int, default=5, help="days each further copy's dates move by")
    parser.add_argument("--out", default=None, help="the new SQLite store file (default: in a temp dir)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument("--json", default=None, help="also write the figures as JSON here")
    args = parser.parse_args()

    from discernment.analysis.compare import compare
    from discernment.store import Store

    tmp = None
    if args.out is None:
        tmp = tempfile.TemporaryDirectory(prefix="compare-speed-")
        args.out = str(Path(tmp.name) / "compare.db")
    elif Path(args.out).exists():
        sys.exit(f"compare_speed: {args.out} exists; give a new file")
    source, store = Store(args.from_store), Store(args.out)

    t0 = time.perf_counter()
    copies = build(source, store, args.articles, args.shift_days)
    build_s = time.perf_counter() - t0
    articles, claims = store.count(), store.count("claims")
    print(f"compare_speed: {articles} articles ({source.count()} source documents, up to {copies} copies each), "
          f"{claims} claims in {store.url}, built in {build_s:.1f} s", file=sys.stderr)

    runs = []
    for i in range(1 + args.runs):
        t0 = time.perf_counter()
        findings = len(compare(store))
        runs.append({"run": "cold" if i == 0 else f"warm {i}", "seconds": round(time.perf_counter() - t0, 3),
                     "findings": findings})
    warm = statistics.median(r["seconds"] for r in runs[1:]) if args.runs else None

    print(f"# compare speed ({articles} articles, SQLite; target: within {TARGET_S:.0f} s)\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| run | articles | claims | findings | seconds |")
    print("| --- | --- | --- | --- | --- |")
    for r in runs:
        print(f"| {r['run']} | {articles} | {claims} | {r['findings']} | {r['seconds']:.2f} |")
    cold = runs[0]["seconds"]
    print(f"\ncold {cold:.2f} s ({'within' if cold <= TARGET_S else 'over'} target)"
          + (f", warm median {warm:.2f} s ({'within' if warm <= TARGET_S else 'over'} target)" if args.runs else ""))
    if args.json:
        result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                  "date": time.strftime("%Y-%m-%d"), "source": source.url, "source_documents": source.count(),
                  "articles": articles, "claims": claims, "copies": copies, "shift_days": args.shift_days,
                  "build_s": round(build_s, 1), "runs": runs, "warm_median_s": warm, "target_s": TARGET_S}
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    store.close()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
