"""Re-score the canonical speakers of hand-judged quote samples with the current code (docs/accuracy.md).

    .venv/bin/python scripts/quotes_rescore.py QUOTES.json VERDICTS.json [QUOTES.json VERDICTS.json ...] \
        [--data ../shared/data/ukraine-war-news]

Each pair is a dump of ``scripts/quotes_sample.py --quotes`` and a judge's verdicts on it (objects with
``quote_ok``, ``canonical`` and ``expected_canonical``). Scored: the judged real attributions with a speaker;
gold is the dumped canonical where the judge found it right, else the judge's expected one (compared without
case, either containing the other). The articles are analysed again and a quote is found again by its first 50
characters. Prints the counts and every disagreement. The dumps hold article text and stay outside the
repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from events_sample import articles  # noqa: E402


def _same(gold: str | None, name: str | None) -> bool:
    return bool(gold and name) and (gold.lower() in name.lower() or name.lower() in gold.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="pairs of QUOTES.json VERDICTS.json")
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                              / "ukraine-war-news"))
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("give the quote dumps and their verdicts in pairs")

    from discernment.api import Analyzer

    records = []
    for dump, verdicts in zip(args.files[::2], args.files[1::2]):
        for r, v in zip(json.loads(Path(dump).read_text()), json.loads(Path(verdicts).read_text())):
            if v["quote_ok"] != "yes" or v["canonical"] not in ("yes", "no"):
                continue
            gold = r["canonical"] if v["canonical"] == "yes" else v.get("expected_canonical")
            records.append((r["url"], r["content"], gold, r["canonical"]))
    urls = {r[0] for r in records}
    analyzer = Analyzer()
    docs = {url: analyzer(text, published=date, outlet=outlet, url=url, title=title)
            for outlet, url, date, title, text in articles(Path(args.data)) if url in urls}
    found = right = right_before = 0
    lines = []
    for url, content, gold, old in records:
        right_before += _same(gold, old)
        quote = next((q for q in (docs[url].quotes if url in docs else ()) if q.text[:50] == content[:50]), None)
        if quote is None:
            lines.append(f"not found | {content[:80]}")
            continue
        found += 1
        now = quote.speaker.canonical if quote.speaker else None
        right += _same(gold, now)
        if not _same(gold, now):
            lines.append(f"canonical | gold {gold} | now {now} | {content[:60]}")
    print(f"{len(records)} judged speakers, {found} found again; canonical right {right} (judged: {right_before})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
