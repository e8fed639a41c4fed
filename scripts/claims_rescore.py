"""Re-score claim types and claimants of hand-judged samples with the current code (docs/accuracy.md).

    .venv/bin/python scripts/claims_rescore.py CLAIMS.json VERDICTS.json [CLAIMS.json VERDICTS.json ...] \
        [--data ../shared/data/ukraine-war-news]

Each pair is a dump of ``scripts/quotes_sample.py --claims`` and a judge's verdicts on it (a list of objects
with ``type_ok``/``expected_type`` and ``claimant_ok``/``expected_claimant``). Gold is the dumped value where the
judge found it right, else the judge's expected value. The articles are analysed again; a judged claim is found
again by its text (or its first 40 characters). Prints the counts and every disagreement. The dumps hold article
text and stay outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from events_sample import articles  # noqa: E402


def _same_party(gold: str | None, name: str | None) -> bool:
    return bool(gold and name) and (gold.lower() in name.lower() or name.lower() in gold.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="pairs of CLAIMS.json VERDICTS.json")
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                              / "ukraine-war-news"))
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("give the claim dumps and their verdicts in pairs")

    from discernment.api import Analyzer

    records = []
    for dump, verdicts in zip(args.files[::2], args.files[1::2]):
        for r, v in zip(json.loads(Path(dump).read_text()), json.loads(Path(verdicts).read_text())):
            gold_type = r["type"] if v["type_ok"] == "yes" else v.get("expected_type")
            gold_claimant = r["claimant"] if v["claimant_ok"] == "yes" else v.get("expected_claimant")
            records.append((r["url"], r["claim"], gold_type, gold_claimant, r["type"], r["claimant"]))
    urls = {r[0] for r in records}
    analyzer = Analyzer()
    docs = {url: analyzer(text, published=date, outlet=outlet, url=url, title=title)
            for outlet, url, date, title, text in articles(Path(args.data)) if url in urls}
    found = type_ok = type_ok_before = claimant_ok = claimant_ok_before = 0
    lines = []
    for url, text, gold_type, gold_claimant, old_type, old_claimant in records:
        type_ok_before += old_type == gold_type
        claimant_ok_before += _same_party(gold_claimant, old_claimant)
        claims = docs[url].claims if url in docs else ()
        claim = next((c for c in claims if c.text == text), None) or next(
            (c for c in claims if text[:40] in c.text or c.text[:40] in text), None)
        if claim is None:
            lines.append(f"not extracted | gold {gold_type} | was {old_type} | {text[:100]}")
            continue
        found += 1
        type_ok += claim.type == gold_type
        claimant = claim.claimant.canonical or claim.claimant.text
        claimant_ok += _same_party(gold_claimant, claimant)
        if claim.type != gold_type:
            lines.append(f"type | gold {gold_type} | now {claim.type} | {text[:100]}")
        if not _same_party(gold_claimant, claimant):
            lines.append(f"claimant | gold {gold_claimant} | now {claimant} | {text[:100]}")
    print(f"{len(records)} judged claims, {found} extracted again; type right {type_ok} (judged: "
          f"{type_ok_before}); claimant right {claimant_ok} (judged: {claimant_ok_before})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
