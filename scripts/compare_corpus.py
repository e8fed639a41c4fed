"""Select real RT, AP and Reuters war news as JSONL, the corpus for evaluating cross-source comparison.

    .venv/bin/python scripts/compare_corpus.py [--data ../shared/data] [--since 2022-08-01] [--until 2022-10-31] \
        [--half dev|test] [--limit N] [--seed 19] [-o OUT.jsonl]

Reads the RT (two snapshots, deduplicated by URL: the newer snapshot wins), AP and Reuters CSVs of
``ukraine-war-news/r2nery-ukraine-media`` (columns ``Date,URL,Title,Text``). Rows whose URL is listed for that
source in ``RESERVED.md`` are dropped first, before their text is looked at: they are kept for independent
evaluation. Then rows outside [since, until] and off-topic rows (neither the title nor the first 3,000
characters of the text match the war keywords) are dropped. ``--limit N`` keeps a random sample of N rows
(``random.Random(seed)``). Each output line is ``{"text", "title", "url", "published", "outlet"}``, sorted by
date, outlet and URL; ``discern ingest`` reads it as is. The output holds article texts, which may not be
redistributed: write it outside the repository.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import hashlib
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

SOURCE = "ukraine-war-news/r2nery-ukraine-media"
# (outlet, file) in order of preference: a URL seen in an earlier file is a duplicate in a later one.
FILES = [("RT", "7b8972a/RT.csv"), ("RT", "584dfdb/RT.csv"), ("AP", "75a53f4/AssociatedPress.csv"),
         ("Reuters", "b642e4f/Reuters.csv")]
ON_TOPIC = re.compile(r"ukrain|russia|kiev|kyiv|putin|zelensk|donbas|kremlin", re.I)


def reserved_urls(path: Path) -> set[str]:
    """The URLs listed under this source's heading in RESERVED.md (lines starting with ``- http``)."""
    urls, inside = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = line.lstrip("#").strip().startswith(SOURCE)
        elif inside and line.startswith("- http"):
            urls.add(line[2:].strip())
    if not urls:
        sys.exit(f"compare_corpus: no reserved URLs found under {SOURCE!r} in {path}; refusing to go on")
    return urls


def iso_date(value: str) -> str | None:
    """YYYY-MM-DD from a CSV date (all ISO dates in these files; dateparser for anything else)."""
    value = (value or "").strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        import dateparser

        parsed = dateparser.parse(value, settings={"DATE_ORDER": "YMD"}) if value else None
        return parsed.date().isoformat() if parsed else None


def select(data: Path, since: str, until: str) -> tuple[list[dict], collections.Counter]:
    csv.field_size_limit(sys.maxsize)
    reserved = reserved_urls(data / "RESERVED.md")
    counts: collections.Counter = collections.Counter()
    seen: set[str] = set()
    rows = []
    for outlet, rel in FILES:
        with open(data / SOURCE / rel, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                counts["read"] += 1
                url = (row["URL"] or "").strip()
                if url in reserved:  # before anything reads the text
                    counts["reserved"] += 1
                    continue
                if url in seen:
                    counts["duplicate URL"] += 1
                    continue
                seen.add(url)
                published = iso_date(row["Date"])
                if published is None or not since <= published <= until:
                    counts["out of range"] += 1
                    continue
                title, text = row["Title"] or "", row["Text"] or ""
                if not (ON_TOPIC.search(title) or ON_TOPIC.search(text[:3000])):
                    counts["off-topic"] += 1
                    continue
                rows.append({"text": text, "title": title, "url": url, "published": published, "outlet": outlet})
    return rows, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"),
                        help="the shared data folder (holds RESERVED.md and ukraine-war-news/)")
    parser.add_argument("--since", default="2022-08-01", help="first publication date kept (YYYY-MM-DD)")
    parser.add_argument("--until", default="2022-10-31", help="last publication date kept (YYYY-MM-DD)")
    parser.add_argument("--limit", type=int, default=0, help="a random sample of this many rows (0: all)")
    parser.add_argument("--seed", type=int, default=19, help="seed of the --limit sample")
    parser.add_argument("--half", choices=("dev", "test"), default=None,
                        help="keep one half, split by the SHA-256 of the URL (even: dev, odd: test): fix rules on "
                             "the dev half, report the untouched test half")
    parser.add_argument("-o", "--out", default=None, help="output .jsonl (default: stdout)")
    args = parser.parse_args()
    since, until = iso_date(args.since), iso_date(args.until)

    rows, counts = select(Path(args.data), since, until)
    if args.half:
        parity = 0 if args.half == "dev" else 1
        rows = [r for r in rows if int(hashlib.sha256(r["url"].encode()).hexdigest(), 16) % 2 == parity]
    if args.limit and args.limit < len(rows):
        rows = random.Random(args.seed).sample(rows, args.limit)
    rows.sort(key=lambda r: (r["published"], r["outlet"], r["url"]))

    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") if args.out else contextlib.nullcontext(sys.stdout) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    per_outlet = collections.Counter(r["outlet"] for r in rows)
    print(f"compare_corpus: {counts['read']} rows read; left out: {counts['reserved']} reserved, "
          f"{counts['duplicate URL']} duplicate URL, {counts['out of range']} outside {since}..{until}, "
          f"{counts['off-topic']} off-topic", file=sys.stderr)
    print(f"compare_corpus: kept {len(rows)}" + (f" (sample of {args.limit}, seed {args.seed})" if args.limit else "")
          + ": " + ", ".join(f"{o} {per_outlet[o]}" for o in ("RT", "AP", "Reuters"))
          + (f" -> {args.out}" if args.out else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
