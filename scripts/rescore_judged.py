"""Re-score hand-judged samples of claims or quotes with the current code (docs/accuracy.md).

    .venv/bin/python scripts/rescore_judged.py claims CLAIMS.json VERDICTS.json [CLAIMS.json VERDICTS.json ...]
    .venv/bin/python scripts/rescore_judged.py quotes QUOTES.json VERDICTS.json [...] [--data DIR]

Each pair is a dump of ``scripts/quotes_sample.py`` (``--claims`` or ``--quotes``) and a judge's verdicts on it.
Gold is the dumped value where the judge found it right, else the judge's expected value; names compare without
case, either containing the other. The articles are analysed again; a judged claim is found again by its text (or
its first 40 characters), a quote by its first 50 characters.

- claims: ``type_ok``/``expected_type`` and ``claimant_ok``/``expected_claimant``: type and claimant right;
  ``hedged_ok``: the hedge flag right (gold: the dumped flag, or its opposite where the judge found it wrong);
- quotes: the real attributions (``quote_ok``) with a speaker, ``canonical``/``expected_canonical``: canonical
  speaker right.

Prints the counts and every disagreement. The dumps hold article text and stay outside the repository.
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


def _pairs(files: list[str]):
    for dump, verdicts in zip(files[::2], files[1::2]):
        yield from zip(json.loads(Path(dump).read_text()), json.loads(Path(verdicts).read_text()))


def _gold(record: dict, verdict: dict, field: str, judged: str, expected: str):
    return record[field] if verdict[judged] == "yes" else verdict.get(expected)


def rescore_claims(records: list[tuple], docs: dict) -> list[str]:
    found = type_ok = type_before = claimant_ok = claimant_before = hedged_ok = hedged_before = 0
    lines = []
    for url, text, gold_type, gold_claimant, gold_hedged, old_type, old_claimant, old_hedged in records:
        type_before += old_type == gold_type
        claimant_before += _same(gold_claimant, old_claimant)
        hedged_before += old_hedged == gold_hedged
        claims = docs[url].claims if url in docs else ()
        claim = next((c for c in claims if c.text == text), None) or next(
            (c for c in claims if text[:40] in c.text or c.text[:40] in text), None)
        if claim is None:
            lines.append(f"not extracted | gold {gold_type} | was {old_type} | {text[:100]}")
            continue
        found += 1
        claimant = claim.claimant.canonical or claim.claimant.text
        type_ok += claim.type == gold_type
        claimant_ok += _same(gold_claimant, claimant)
        hedged_ok += claim.hedged == gold_hedged
        if claim.hedged != gold_hedged:
            lines.append(f"hedged | gold {gold_hedged} | now {claim.hedged} | {text[:100]}")
        if claim.type != gold_type:
            lines.append(f"type | gold {gold_type} | now {claim.type} | {text[:100]}")
        if not _same(gold_claimant, claimant):
            lines.append(f"claimant | gold {gold_claimant} | now {claimant} | {text[:100]}")
    return [f"{len(records)} judged claims, {found} extracted again; type right {type_ok} (judged: {type_before}); "
            f"claimant right {claimant_ok} (judged: {claimant_before}); hedged right {hedged_ok} (judged: "
            f"{hedged_before})"] + lines


def rescore_quotes(records: list[tuple], docs: dict) -> list[str]:
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
    return [f"{len(records)} judged speakers, {found} found again; canonical right {right} (judged: {right_before})"
            ] + lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("claims", "quotes"))
    parser.add_argument("files", nargs="+", help="pairs of dump and verdicts")
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                              / "ukraine-war-news"))
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("give the dumps and their verdicts in pairs")

    from discernment.api import Analyzer

    if args.kind == "claims":
        records = [(r["url"], r["claim"], _gold(r, v, "type", "type_ok", "expected_type"),
                    _gold(r, v, "claimant", "claimant_ok", "expected_claimant"),
                    r["hedged"] if v["hedged_ok"] == "yes" else not r["hedged"], r["type"], r["claimant"], r["hedged"])
                   for r, v in _pairs(args.files)]
    else:
        records = [(r["url"], r["content"], _gold(r, v, "canonical", "canonical", "expected_canonical"), r["canonical"])
                   for r, v in _pairs(args.files) if v["quote_ok"] == "yes" and v["canonical"] in ("yes", "no")]
    urls = {r[0] for r in records}
    analyzer = Analyzer()
    docs = {url: analyzer(text, published=date, outlet=outlet, url=url, title=title)
            for outlet, url, date, title, text in articles(Path(args.data)) if url in urls}
    print("\n".join((rescore_claims if args.kind == "claims" else rescore_quotes)(records, docs)))


if __name__ == "__main__":
    main()
