"""Throughput of the full pipeline against bare spaCy en_core_web_sm, on real war news, in one run.

    .venv/bin/python bench/throughput.py [--n 200] [--config FILE] [--set key=value ...]

Reads up to N articles from ../shared/data/ukraine-war-news (skips with a message when absent), then times:
bare spaCy (the same model, nlp.pipe over the same texts), the full discernment pipeline (Analyzer.pipe),
and the latency of one ~1,000-word article after load. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data" / "ukraine-war-news" / "r2nery-ukraine-media").resolve()


def load_texts(n: int) -> list[str]:
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs
    from discernment.model import Document

    files = sorted(DATA.glob("*/*.csv"))
    per_file = max(1, n // max(1, len(files)) + 1)
    texts: list[str] = []
    options = ReadOptions.from_config(Config.load())
    for f in files:
        taken = 0
        for item in read_inputs([str(f)], options):
            if isinstance(item, Document) and len(item.text.split()) >= 150:
                texts.append(item.text)
                taken += 1
                if taken >= per_file:
                    break
    return texts[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of articles")
    parser.add_argument("--config", default=None)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found (the benchmark needs ../shared/data/ukraine-war-news)")
        return 0
    import spacy

    import discernment
    from discernment.config import Config

    texts = load_texts(args.n)
    words = sum(len(t.split()) for t in texts)
    config = Config.load(args.config, args.overrides)

    nlp = spacy.load(config["spacy.model"])
    list(nlp.pipe(texts[:5]))  # warm up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    spacy_s = time.perf_counter() - t0
    del nlp

    t0 = time.perf_counter()
    analyzer = discernment.Analyzer(config)
    list(analyzer.pipe(texts[:5]))  # loads every model
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    counts = {"entities": 0, "places": 0, "quotes": 0, "claims": 0, "events": 0, "techniques": 0}
    for doc in analyzer.pipe(texts):
        for layer in counts:
            counts[layer] += len(getattr(doc, layer))
    full_s = time.perf_counter() - t0

    long_text = " ".join(texts)
    article = " ".join(long_text.split()[:1000])
    latencies = []
    for _ in range(5):
        t0 = time.perf_counter()
        analyzer(article)
        latencies.append(time.perf_counter() - t0)
    latency = sorted(latencies)[len(latencies) // 2]

    print(f"# discernment throughput ({len(texts)} articles, {words:,} words)")
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, "
          f"cpus={__import__('os').cpu_count()}; pipeline: {analyzer.version}")
    print()
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| bare spaCy {config['spacy.model']} | {len(texts) / spacy_s:.2f} articles/s, {words / spacy_s:,.0f} words/s |")
    print(f"| full pipeline | {len(texts) / full_s:.2f} articles/s, {words / full_s:,.0f} words/s |")
    print(f"| ratio full / bare spaCy (throughput) | {spacy_s / full_s:.2f} |")
    print(f"| model load (all components) | {load_s:.1f} s |")
    print(f"| one 1,000-word article after load (median of 5) | {latency * 1000:.0f} ms |")
    print(f"| peak RSS | {peak_rss_mb():.0f} MB |")
    print("| items found | " + ", ".join(f"{k} {v}" for k, v in counts.items()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
