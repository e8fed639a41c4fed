"""Select RUWA subheadings (title and description of news items) as JSONL, a second corpus for cross-source findings.

    .venv/bin/python scripts/ruwa_corpus.py [--data ../shared/data] [--event nuclear,railway] [--since 2022-07-15] \
        [--until 2022-09-30] [-o OUT.jsonl]

``ukraine-war-news/ruwa/RUWA_04.08.23.csv`` (Khairova et al., LDK 2023; CC BY-NC-SA 4.0) holds no article bodies,
only each item's title and subheading, from Ukrinform and Censor.net (Ukrainian), RT and TASS (Russian state
media), Reuters, Al Jazeera, BBC and MSNBC, labelled by event. Each kept row becomes one short document: the title,
a blank line, the subheading; outlet is the site's name, published the row's date. Rows without a subheading are
left out. The output holds the outlets' text: write it outside the repository.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

OUTLETS = {"ukrinform.net": "Ukrinform", "censor.net": "Censor.net", "rt.com": "RT", "tass.com": "TASS",
           "reuters.com": "Reuters", "aljazeera.com": "Al Jazeera", "bbc.co.uk": "BBC", "www.msnbc.com": "MSNBC",
           "en.news-front.info": "News Front"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
    parser.add_argument("--event", default="nuclear", help="RUWA event labels, comma-separated (nuclear, railway, "
                                                            "theatre, supermarket ...)")
    parser.add_argument("--since", default="2022-07-15")
    parser.add_argument("--until", default="2022-09-30")
    parser.add_argument("-o", "--out", default=None)
    args = parser.parse_args()
    path = Path(args.data) / "ukraine-war-news" / "ruwa" / "RUWA_04.08.23.csv"
    kept = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Event"] not in args.event.split(",") or not row["desc"].strip():
                continue
            try:
                day = dt.datetime.strptime(row["Date"], "%m/%d/%Y").date().isoformat()
            except ValueError:
                continue
            if not args.since <= day <= args.until:
                continue
            title = row["title"].strip()
            text = (title + "\n\n" if title else "") + row["desc"].strip()
            kept.append({"text": text, "title": title or None, "url": row["src"], "published": day,
                         "outlet": OUTLETS.get(row["Site"], row["Site"])})
    kept.sort(key=lambda r: (r["published"], r["outlet"], r["url"]))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    for r in kept:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
    if args.out:
        out.close()
    counts: dict[str, int] = {}
    for r in kept:
        counts[r["outlet"]] = counts.get(r["outlet"], 0) + 1
    print(f"ruwa_corpus: kept {len(kept)} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
