"""Re-score a store's control assertions against a hand-judged territorial draw (docs/judged/territorial-*.jsonl).

    .venv/bin/python scripts/territorial_rescore.py docs/judged/territorial-2022.jsonl docs/judged/territorial-2022.md \
        war.db [other.db ...]

The draw's articles are those listed under "Draw, in order" in the .md file (by URL); the store must hold them
(built with scripts/compare_corpus.py and discern batch). A control assertion of the store matches a gold claim
when it is in the same article, its claim's span overlaps the gold sentence (or a verbatim repeat of it), and its
point (the place's, or the named site's from map_sites.toml) lies within 15 km of the gold point; each assertion
matches at most one claim. Prints, per store: assertions in the drawn articles, matched, recall, and holder and
date agreement on the matched pairs. On the store the draw was judged on, it gives the judged numbers back
(6 of 72, holder 6, date 5), which is how the matching is checked.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3

from discernment.analysis.verdicts import site_point


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(math.radians(lon1 - lon2))
    return 6371 * math.acos(max(-1.0, min(1.0, cos)))


def assertions(db: str, urls: list[str]) -> list[dict]:
    conn = sqlite3.connect(db)
    out = []
    for url in urls:
        row = conn.execute("select id from documents where url = ?", (url,)).fetchone()
        if not row:
            continue
        places = {i: (n, lat, lon) for i, n, lat, lon in
                  conn.execute("select idx, name, lat, lon from places where doc_id = ?", (row[0],))}
        for start, end, extra in conn.execute("select start, end, extra from claims where doc_id = ?", (row[0],)):
            for a in (json.loads(extra).get("assertions") or []) if extra else []:
                if a.get("aspect") != "control" or a.get("place") is None:
                    continue
                name, lat, lon = places.get(a["place"], (None, None, None))
                point = site_point(a["site"], name) if a.get("site") else None
                if point:
                    lon, lat = point
                out.append(dict(url=url, start=start, end=end, place=name, lat=lat, lon=lon, holder=a["holder"],
                                as_of=a.get("as_of")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", help="the judged claims (.jsonl)")
    ap.add_argument("draw", help="the judged draw's description (.md, with its 'Draw, in order' list)")
    ap.add_argument("stores", nargs="+", help="SQLite store files holding the drawn articles")
    args = ap.parse_args()
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8")]
    urls = re.findall(r"^\d+\.\s+\*?\s*\w+ \d{4}-\d\d-\d\d (\S+)", open(args.draw, encoding="utf-8").read(), re.M)
    for db in args.stores:
        found = assertions(db, urls)
        used, matched, holder, date = set(), 0, 0, 0
        for g in gold:
            spans = [(g["start"], g["end"])] + [tuple(x) for x in g.get("also_at") or [] if isinstance(x, list)]
            for k, s in enumerate(found):
                if k in used or s["url"] != g["url"] or s["lat"] is None or g.get("lat") is None:
                    continue
                if not any(st is not None and s["start"] < e and st < s["end"] for st, e in spans):
                    continue
                if km(s["lat"], s["lon"], g["lat"], g["lon"]) > 15:
                    continue
                used.add(k)
                matched += 1
                holder += s["holder"] == g["holder"]
                date += s["as_of"] == g["as_of"]
                break
        print(f"{db}: {len(urls)} articles, {len(found)} control assertions, {matched} matched; "
              f"recall {matched}/{len(gold)}, precision (strict) {matched}/{len(found)}; "
              f"holder {holder}/{matched}, as_of {date}/{matched}")


if __name__ == "__main__":
    main()
