"""Gazetteer benchmark: load time, lookup time per toponym (exact, folded, fuzzy), peak memory.

    .venv/bin/python bench/gazetteer.py [--rebuild]

Runs in a fresh process so the peak resident memory (ru_maxrss) is the interpreter plus the gazetteer. With
--rebuild it first builds the base gazetteer into a temporary directory and reports the build too.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time

NAMES = ["Kupyansk", "Kupiansk", "Kharkov", "Odessa", "Moscow", "Bakhmut", "Artemovsk", "Kryvyi Rih",
         "Krivoy Rog", "Georgia", "Paris", "Volchansk", "Купянск", "Chuguyev", "Kherson region", "Donbass",
         "Zaporozhye", "Alexandria", "Springfield", "Atlanta"]
FOLDED = ["Kupjansk", "Bakhmutt", "Charkiw", "Lisichansk", "Severodonetsk"]
FUZZY = ["Kramatrosk", "Melitpol", "Severodonesk", "Lysyschansk", "Pokrvosk"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    from discernment.resolve.gazetteer import BASE_FILENAME, Gazetteer, user_cache_dir
    from discernment.resolve.gazetteer_build import build_gazetteer

    lines = []
    if args.rebuild:
        path = os.path.join(tempfile.mkdtemp(), BASE_FILENAME)
        start = time.perf_counter()
        counts = build_gazetteer(path)
        lines.append(f"build: {time.perf_counter() - start:.1f} s, {counts}, "
                     f"file {os.path.getsize(path) / 1e6:.0f} MB")
    else:
        path = str(user_cache_dir() / BASE_FILENAME)
        if not os.path.exists(path):
            build_gazetteer(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    gz = Gazetteer(path)
    gz.lookup("Kyiv")
    lines.append(f"load (open + first lookup): {(time.perf_counter() - start) * 1000:.1f} ms")
    for label, names, repeat in (("exact", NAMES, 50), ("folded", FOLDED, 50), ("fuzzy", FUZZY, 5)):
        if label == "fuzzy":
            start = time.perf_counter()
            gz.lookup(FUZZY[0])
            lines.append(f"fuzzy index load (first fuzzy lookup): {(time.perf_counter() - start) * 1000:.0f} ms")
        total = 0.0
        for r in range(repeat):
            gz._cache.clear()  # measure the lookup itself, not the memo
            start = time.perf_counter()
            for name in names:
                gz.lookup(name)
            total += time.perf_counter() - start
        lines.append(f"lookup {label}: {total / (repeat * len(names)) * 1000:.3f} ms per toponym")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines.append(f"peak RSS: {peak / 1024:.0f} MB (before opening the gazetteer: {before / 1024:.0f} MB)")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
