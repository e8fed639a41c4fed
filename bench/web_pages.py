"""Render time of the web reader page for a 2,000-word article (target: under 300 ms).

    .venv/bin/python bench/web_pages.py [--words 2000] [--runs 30]

The article is real news text from ../shared/data/ukraine-war-news joined to the word count (examples/ when
the data is absent), analysed by the default pipeline and stored in a temporary SQLite store. Times, through
the ASGI app in-process (no network): the reader page GET /doc/ID (store read + highlight + template), its
JSON twin, the highlighting alone, and the claim ledger page. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data" / "ukraine-war-news" / "r2nery-ukraine-media").resolve()


def article_text(words: int) -> tuple[str, str]:
    """About ``words`` words of real articles joined by blank lines, and where they came from."""
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs
    from discernment.model import Document

    options = ReadOptions.from_config(Config.load())
    if DATA.exists():
        paths, source = [str(p) for p in sorted(DATA.glob("*/*.csv"))], "ukraine-war-news (r2nery)"
    else:
        paths, source = [str(p) for p in sorted((REPO / "examples").glob("*.txt"))], "examples/*.txt, repeated"
    parts: list[str] = []
    count = 0
    while count < words:
        before = count
        for item in read_inputs(paths, options):
            if isinstance(item, Document) and len(item.text.split()) >= 100:
                parts.append(item.text.strip())
                count += len(item.text.split())
                if count >= words:
                    break
        if count == before:
            raise SystemExit("no article text found")
    text = "\n\n".join(parts)
    cut = [m.end() for m in re.finditer(r"\S+", text)][words - 1]
    return text[:cut], source


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from fastapi.testclient import TestClient

    from discernment import Analyzer
    from discernment.store import Store
    from discernment.web import WebSettings, create_app
    from discernment.web.highlight import document_marks, highlight_html

    text, source = article_text(args.words)
    analyzer = Analyzer()
    t = time.perf_counter()
    doc = analyzer(text, outlet="bench", published="2024-11-22", title="Benchmark article")
    analyse_ms = (time.perf_counter() - t) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        store.ingest([doc], store.start_run(analyzer.version, {}, "bench/web_pages.py"), analyzer.version)
        client = TestClient(create_app(store, WebSettings(token_env="")))

        def get(url):
            def call():
                r = client.get(url)
                assert r.status_code == 200, (url, r.status_code)
            return call

        marks = document_marks(doc)
        rows = [
            ("reader page GET /doc/ID (HTML)", timed(get(f"/doc/{doc.id}"), args.runs)),
            ("its JSON twin GET /doc/ID.json", timed(get(f"/doc/{doc.id}.json"), args.runs)),
            ("highlighting alone (highlight_html)", timed(lambda: highlight_html(doc.text, marks), args.runs)),
            ("store read alone (Store.get_document)", timed(lambda: store.get_document(doc.id), args.runs)),
            ("claim ledger page GET /claims (HTML)", timed(get("/claims"), args.runs)),
        ]
        html_kb = len(client.get(f"/doc/{doc.id}").content) / 1024
        store.close()
    layers = ", ".join(f"{n} {len(getattr(doc, n))}" for n in ("claims", "quotes", "events", "techniques",
                                                                  "places", "entities"))
    print(f"article: {len(doc.text.split())} words, {len(doc.text)} chars from {source}; "
          f"{len(marks)} highlight spans ({layers}); page {html_kb:.0f} KB; analysed in {analyse_ms:.0f} ms "
          f"({analyzer.version})\n")
    print(f"| what ({args.runs} runs after a warm-up) | median | p95 |")
    print("| --- | --- | --- |")
    for name, (median, p95) in rows:
        print(f"| {name} | {median:.1f} ms | {p95:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
