"""Draw the events sample that docs/accuracy.md ("## Events") judges by hand, and dump each event with its sentence.

    .venv/bin/python scripts/events_sample.py [--data ../shared/data/ukraine-war-news] [--n 50] --out FILE.json

Sample: the on-topic articles ("ukrain" or "russia" in the title or text) under 6,000 characters of
``r2nery-ukraine-media`` (AP, Reuters, RT, BBC files in that order), shuffled with ``random.Random(4)``; the first
N events of the pipeline ``parse, entities, places, quotes, claims, events`` in that order, each article analysed
with its CSV date as the publication date. The dump holds article texts' sentences: write it outside the
repository (the judgements, paraphrased, stay outside too).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from pathlib import Path

FILES = [("AP", "75a53f4/AssociatedPress.csv"), ("Reuters", "b642e4f/Reuters.csv"),
         ("RT", "7b8972a/RT.csv"), ("BBC", "d0f2d7e/bbc.csv")]
ON_TOPIC = re.compile(r"ukrain|russia", re.I)
COMPONENTS = ["parse.v1", "entities.v1", "places.v1", "quotes.v1", "claims.v1", "events.v1"]


def articles(root: Path) -> list[tuple[str, str, str | None, str, str]]:
    csv.field_size_limit(sys.maxsize)
    out = []
    for outlet, rel in FILES:
        with open(root / "r2nery-ukraine-media" / rel, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = row["Text"] or ""
                if len(text) < 6000 and ON_TOPIC.search((row.get("Title") or "") + " " + text):
                    out.append((outlet, row["URL"], (row.get("Date") or "")[:10] or None, row.get("Title") or "",
                                text))
    random.Random(4).shuffle(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                              / "ukraine-war-news"))
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from discernment.api import Analyzer
    from discernment.config import Config
    from discernment.extract.events import event_type_of

    start = time.time()
    analyzer = Analyzer(Config.load().updated({"pipeline.components": COMPONENTS}))
    dump, used = [], 0
    for outlet, url, date, title, text in articles(Path(args.data)):
        if len(dump) >= args.n:
            break
        used += 1
        doc = analyzer(text, published=date, outlet=outlet, url=url, title=title)
        for event in doc.events[: args.n - len(dump)]:
            kind = event_type_of(event, text)
            claim = doc.claims[event.claim] if event.claim is not None else None
            dump.append({
                "i": len(dump) + 1, "outlet": outlet, "url": url, "published": date, "type": event.type,
                "acled": f"{kind.acled_type}/{kind.acled_sub_type}",
                "trigger": event.trigger.text if event.trigger else None, "actor": event.actor,
                "target": event.target, "place": event.place.to_dict() if event.place else None,
                "date": event.date, "fatalities": event.fatalities,
                "claimant": (claim.claimant.text if claim.claimant else None) if claim else "(no claim)",
                "sentence": text[event.start : event.end],
            })
    Path(args.out).write_text(json.dumps(dump, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(dump)} events from {used} articles in {time.time() - start:.1f} s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
