"""Memory of the near-duplicate index per remembered document (the batch driver keeps one for the whole run).

    .venv/bin/python bench/dedup_memory.py [--documents 20000] [--words 400]

Feeds the Deduplicator invented texts (random draws from a 5,000-word vocabulary, so no two are copies) and
measures with tracemalloc what the index grows by per document, for 64, 128 (the default) and 256
permutations. Writes bench/results/dedup_memory.json and prints a Markdown table for docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import tracemalloc
from pathlib import Path

from discernment.ingest.dedup import Deduplicator


def measure(num_perm: int, texts: list[str]) -> dict:
    dedup = Deduplicator(num_perm=num_perm)
    for i, text in enumerate(texts[:100]):  # warm the LSH tables' first allocations
        dedup.check_text(f"warm{i:060d}", text)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    for i, text in enumerate(texts[100:]):
        dedup.check_text(f"{i:064x}", text)
    seconds = time.perf_counter() - started
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    n = len(texts) - 100
    return {"num_perm": num_perm, "documents": n, "bytes_per_document": round(used / n),
            "ms_per_document": round(seconds / n * 1000, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--words", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(args.words)) for _ in range(args.documents + 100)]
    rows = [measure(n, texts) for n in (64, 128, 256)]
    out = Path(__file__).parent / "results" / "dedup_memory.json"
    out.write_text(json.dumps(rows, indent=1) + "\n")
    print("| permutations | bytes per document | 10 M documents | ms per document (with tracemalloc) |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['num_perm']} | {r['bytes_per_document']:,} | {r['bytes_per_document'] * 1e7 / 2**30:.0f} GiB "
              f"| {r['ms_per_document']} |")


if __name__ == "__main__":
    main()
