"""Write a store's cross-source findings with their context, one JSON object per finding, for judging by hand.

    .venv/bin/python scripts/findings_for_judgement.py STORE OUT.jsonl [--seed 7 --sample 100]

Each finding is ``discern compare --format json``'s, numbered, with every supporting claim's sentence in context
(400 characters before, the claim in [[double brackets]], 200 after). With ``--sample N`` a random draw of N
findings (``random.Random(seed)``) is written instead of all. The output quotes article texts: keep it outside
the repository.
"""

from __future__ import annotations

import argparse
import json
import random

from discernment.analysis.compare import compare
from discernment.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", help="store URL or SQLite path")
    parser.add_argument("out", help="output .jsonl")
    parser.add_argument("--sample", type=int, default=0, help="a random draw of this many findings (0: all)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    store = Store(args.store if "://" in args.store else f"sqlite:///{args.store}")
    findings = list(enumerate(compare(store), 1))
    if args.sample and args.sample < len(findings):
        findings = sorted(random.Random(args.seed).sample(findings, args.sample), key=lambda x: x[0])
    texts: dict[str, str] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        for n, f in findings:
            data = f.to_dict()
            data["n"] = n
            for c in data["claims"]:
                text = texts.setdefault(c["doc_id"], store.get_document(c["doc_id"]).text)
                c["context"] = (text[max(0, c["start"] - 400):c["start"]] + " [[" + text[c["start"]:c["end"]] + "]] "
                                + text[c["end"]:c["end"] + 200])
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
    print(f"{len(findings)} findings written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
