"""Draw the quotes-and-claims sample that docs/accuracy.md ("Quotes and claims on war news") judges by hand.

    .venv/bin/python scripts/quotes_sample.py [--data ../shared/data/ukraine-war-news] [--n 80] [--seed 5] \
        --quotes QUOTES.json --claims CLAIMS.json

Sample: the article pool of ``scripts/events_sample.py`` (on-topic articles under 6,000 characters of
``r2nery-ukraine-media``: AP, Reuters, RT, BBC) shuffled with ``random.Random(seed)``; at most three quotes and
three claims per article, taken in text order, until N of each. Every article runs the default pipeline with its
CSV date as the publication date. Each record carries the text before it (up to 700 characters, from the
paragraph start where possible) so a judge can resolve pronouns. The dumps hold article text: write them outside
the repository (the judgements, paraphrased, stay outside too).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from events_sample import articles  # noqa: E402

PER_ARTICLE = 3


def _context(text: str, start: int, width: int = 700) -> str:
    begin = max(0, start - width)
    cut = text.find("\n", begin, start)
    if 0 <= cut < start - 200:
        begin = cut + 1
    return text[begin:start]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                              / "ukraine-war-news"))
    parser.add_argument("--n", type=int, default=80)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--quotes", required=True)
    parser.add_argument("--claims", required=True)
    args = parser.parse_args()

    from discernment.api import Analyzer

    start = time.time()
    analyzer = Analyzer()
    pool = articles(Path(args.data))
    random.Random(args.seed).shuffle(pool)
    quotes: list[dict] = []
    claims: list[dict] = []
    used = 0
    for outlet, url, date, title, text in pool:
        if len(quotes) >= args.n and len(claims) >= args.n:
            break
        used += 1
        doc = analyzer(text, published=date, outlet=outlet, url=url, title=title)
        for q in list(doc.quotes)[:PER_ARTICLE]:
            if len(quotes) >= args.n:
                break
            quotes.append({
                "i": len(quotes) + 1, "outlet": outlet, "url": url, "kind": q.kind,
                "cue": q.cue.text if q.cue else None,
                "speaker": q.speaker.text if q.speaker else None,
                "canonical": q.speaker.canonical if q.speaker else None,
                "content": q.text, "before": _context(text, q.start), "after": text[q.end:q.end + 200],
            })
        for c in list(doc.claims)[:PER_ARTICLE]:
            if len(claims) >= args.n:
                break
            claims.append({
                "i": len(claims) + 1, "outlet": outlet, "url": url, "published": date, "type": c.type,
                "claimant": (c.claimant.canonical or c.claimant.text) if c.claimant else None,
                "via": list(c.via), "hedged": c.hedged, "checkworthy": round(c.checkworthy, 2),
                "quantities": [{"text": x.text, "value": x.value, "low": x.low, "high": x.high, "unit": x.unit}
                               for x in c.quantities],
                "dates": [{"text": d.text, "value": d.value} for d in c.dates],
                "claim": c.text, "before": _context(text, c.start),
            })
    Path(args.quotes).write_text(json.dumps(quotes, indent=1, ensure_ascii=False), encoding="utf-8")
    Path(args.claims).write_text(json.dumps(claims, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(quotes)} quotes and {len(claims)} claims from {used} articles in {time.time() - start:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
