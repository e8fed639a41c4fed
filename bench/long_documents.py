"""Long documents: seconds per component and peak memory of the default pipeline on one article of 10 KB to 1 MB.

    .venv/bin/python bench/long_documents.py [--sizes 10,100,300,1000] [--timeout 900] [--set key=value ...]

Each text is the bundled example articles (examples/) concatenated, paragraph by paragraph, to the size asked (KB
of characters). Every size runs in a subprocess of its own, so that its peak resident memory (ru_maxrss, models
included) is its own: it loads the default pipeline, analyses a short warm-up text, then one document of that
size through ``Analyzer`` as ``discern analyze`` does (the technique tagger in its thread beside the parse, when
``pipeline.concurrent`` is on), timing each component where it runs. A size that does not finish within
``--timeout`` seconds is reported as such. Prints a Markdown table; writes bench/results/long_documents.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def example_text(chars: int) -> str:
    """The example articles' texts, repeated in turn and joined by blank lines, cut to ``chars`` characters."""
    from discernment.config import Config
    from discernment.ingest import ReadOptions, read_inputs
    from discernment.model import Document

    texts = [d.text for d in read_inputs([str(REPO / "examples")], ReadOptions.from_config(Config.load()))
             if isinstance(d, Document)]
    parts, total, k = [], 0, 0
    while total < chars:
        parts.append(texts[k % len(texts)])
        total += len(parts[-1]) + 2
        k += 1
    return "\n\n".join(parts)[:chars]


def measure_one(kb: float, overrides: list[str]) -> dict:
    """In this process: the pipeline on one text of ``kb`` KB; seconds per component, wall time, peak RSS."""
    from discernment.api import Analyzer
    from discernment.config import Config
    from discernment.model import Document, Source
    from discernment.pipeline import Component, Pipeline

    config = Config.load(overrides=overrides) if overrides else Config.load()
    analyzer = Analyzer(config)
    seconds: dict[str, float] = {}

    class Timed(Component):
        def __init__(self, inner: Component):
            self.inner = inner
            self.name, self.requires, self.assigns = inner.name, inner.requires, inner.assigns
            self.concurrent = inner.concurrent

        def __call__(self, doc):
            began = time.perf_counter()
            try:
                return self.inner(doc)
            finally:
                seconds[self.name] = seconds.get(self.name, 0.0) + time.perf_counter() - began

    analyzer.pipeline = Pipeline([Timed(c) for c in analyzer.pipeline.components],
                                 concurrent=config["pipeline.concurrent"])
    analyzer("Russian forces shelled Kharkiv on Monday, the governor said.", published="2024-05-12")  # loads models
    seconds.clear()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = example_text(int(kb * 1000))
    doc = Document(text, source=Source(published="2024-05-12"))
    began = time.perf_counter()
    doc = analyzer(doc)
    wall = time.perf_counter() - began
    return {"kb": kb, "chars": len(text), "wall_s": round(wall, 2),
            "components_s": {name: round(s, 2) for name, s in seconds.items()},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "rss_after_load_mb": round(baseline),
            "found": {layer: len(getattr(doc, layer)) for layer in
                      ("entities", "places", "quotes", "claims", "events", "techniques")}}


def run_size(kb: float, timeout: float, overrides: list[str]) -> dict:
    command = [sys.executable, __file__, "--one", str(kb)] + [a for o in overrides for a in ("--set", o)]
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"kb": kb, "timed_out": True, "timeout_s": timeout}
    if done.returncode != 0:
        return {"kb": kb, "failed": True, "stderr": done.stderr[-2000:],
                "seconds": round(time.perf_counter() - began, 1)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    names = []
    for r in results:
        for name in r.get("components_s", {}):
            if name not in names:
                names.append(name)
    head = "| component | " + " | ".join(f"{r['kb']:g} KB" for r in results) + " |"
    lines = [head, "|" + "---|" * (len(results) + 1)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            f"{r['components_s'][name]:.2f}" if name in r.get("components_s", {}) else "-" for r in results) + " |")

    def cell(r: dict, key: str, fmt: str) -> str:
        if r.get("timed_out"):
            return f"> {r['timeout_s']:g} s"
        if r.get("failed"):
            return "failed"
        return fmt.format(r[key])

    lines.append("| **wall (default pipeline)** | " + " | ".join(cell(r, "wall_s", "{:.1f} s") for r in results) + " |")
    lines.append("| **peak RSS** | " + " | ".join(cell(r, "peak_rss_mb", "{} MB") for r in results) + " |")
    lines.append("| RSS after loading the models | "
                 + " | ".join(cell(r, "rss_after_load_mb", "{} MB") for r in results) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,300,1000", help="KB of text, comma-separated")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per size")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="a setting, key=value")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # the subprocess of one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, args.overrides)))
        return
    results = []
    for kb in (float(s) for s in args.sizes.split(",")):
        results.append(run_size(kb, args.timeout, args.overrides))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    out = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "date": time.strftime("%Y-%m-%d"), "text": "examples/ concatenated", "results": results}
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "long_documents.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
