"""Batch benchmark: full pipeline vs bare spaCy, latency, peak RSS per worker, 1 vs 2 workers, in one run.

    .venv/bin/python bench/batch.py [--n 120] [--workers 1,2] [--profile] [--set key=value ...]

Reads N real articles from ../shared/data/ukraine-war-news (as bench/throughput.py does; skips when absent) and
measures on those same texts: bare spaCy (nlp.pipe), the full discernment pipeline in one process
(Analyzer.pipe), the latency of one 1,000-word article after load, then ``run_batch`` with the local engine at
each worker count (throughput after the workers have loaded, peak RSS of each worker process). ``--profile``
adds a pyinstrument profile of the single-process run (top frames by own time). The articles are written to a
temporary JSONL file that is deleted afterwards. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import load_texts  # noqa: E402


class RssSampler:
    """Samples the resident memory of some processes every 50 ms; keeps each one's peak."""

    def __init__(self, pids: list[int]):
        import psutil

        self.procs = [psutil.Process(pid) for pid in pids]
        self.peak = {pid: 0 for pid in pids}
        self.cpu = {pid: 0.0 for pid in pids}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for proc in self.procs:
            try:
                self.peak[proc.pid] = max(self.peak[proc.pid], proc.memory_info().rss)
                times = proc.cpu_times()
                self.cpu[proc.pid] = times.user + times.system
            except Exception:  # the process ended
                pass

    def _run(self) -> None:
        while not self.stop.is_set():
            self._sample()
            time.sleep(0.05)

    def __enter__(self):
        self._sample()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


class TimedEngine:
    """Wraps an engine: records how long start() (worker start and model load) took, and the worker pids."""

    def __init__(self, engine):
        self.engine = engine
        self.start_s = 0.0
        self.sampler: RssSampler | None = None
        self.driver_cpu0 = 0.0
        self.worker_cpu0: dict[int, float] = {}

    @property
    def workers(self) -> int:
        return self.engine.workers

    def start(self, values):
        t0 = time.perf_counter()
        version = self.engine.start(values)
        pids = set(self.engine.pool._processes)  # the pool's worker processes (private, but stable since 3.3)
        self.start_s = time.perf_counter() - t0
        self.sampler = RssSampler(sorted(pids)).__enter__()
        self.driver_cpu0 = time.process_time()
        self.worker_cpu0 = dict(self.sampler.cpu)
        return version

    def submit(self, payload, analyse):
        return self.engine.submit(payload, analyse)


def run_workers(path: str, config, workers: int, partition_size: int) -> dict:
    from discernment.batch import LocalEngine, run_batch
    from discernment.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        timed = TimedEngine(LocalEngine(workers))
        with timed.engine:
            t0 = time.perf_counter()
            stats = run_batch([path], config, store, timed, partition_size=partition_size)
            total = time.perf_counter() - t0
            driver_cpu = time.process_time() - timed.driver_cpu0
            timed.sampler.__exit__()
        rows = {name: store.count(name) for name in
                ("entities", "places", "quotes", "claims", "events", "techniques")}
        store.close()
        size = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*"))
    work_s = total - timed.start_s
    return {"workers": workers, "start_s": timed.start_s, "work_s": work_s, "analysed": stats.analysed,
            "rate": stats.analysed / work_s, "peak_rss_mb": [v / 2**20 for v in timed.sampler.peak.values()],
            "pids": len(timed.sampler.peak), "store_bytes": size, "rows": rows, "driver_cpu_ms": 1000 * driver_cpu / max(1, stats.analysed),
            "worker_cpu_ms": 1000 * sum(timed.sampler.cpu[p] - timed.worker_cpu0.get(p, 0.0)
                                        for p in timed.sampler.cpu) / max(1, stats.analysed)}


def profile_pipeline(analyzer, texts: list[str], top: int = 25) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.002)
    profiler.start()
    list(analyzer.pipe(texts))
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)


def own_time_table(analyzer, texts: list[str], top: int = 25) -> list[tuple[str, float]]:
    """(file:function, share of total time) for the functions with the most time in their own code."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    list(analyzer.pipe(texts))
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    out = []
    for (filename, line, func), (_cc, _nc, tottime, cumtime, _callers) in rows:
        short = filename.split("site-packages/")[-1].split("src/")[-1]
        out.append((f"{short}:{line}:{func}", tottime / total, cumtime / total))
    return out


def cumulative_by_component(analyzer, texts: list[str]) -> list[tuple[str, float]]:
    """Seconds spent in each pipeline component over the texts (components run batch-wise, in order)."""
    from discernment.api import _as_document

    spent = {c.name: 0.0 for c in analyzer.pipeline.components}

    size = analyzer.config["pipeline.batch_size"]
    for i in range(0, len(texts), size):
        stream = [_as_document(t, {}) for t in texts[i:i + size]]
        for comp in analyzer.pipeline.components:
            t0 = time.perf_counter()
            stream = list(comp.pipe(stream))
            spent[comp.name] += time.perf_counter() - t0
        for doc in stream:
            doc.cache.clear()
    return sorted(spent.items(), key=lambda kv: kv[1], reverse=True)


def throughput_data() -> Path:
    import throughput

    return throughput.DATA


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120, help="number of articles")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--partition-size", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="also profile the single-process run")
    parser.add_argument("--data", default=None, help="the ukraine-war-news r2nery folder, if not the default")
    parser.add_argument("--config", default=None)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    if args.data:
        import throughput

        throughput.DATA = Path(args.data).resolve()
    if not throughput_data().exists():
        print(f"skipped: {throughput_data()} not found (the benchmark needs ../shared/data/ukraine-war-news)")
        return 0
    import spacy

    import discernment
    from discernment.config import Config

    config = Config.load(args.config, args.overrides)
    texts = load_texts(args.n)
    words = sum(len(t.split()) for t in texts)
    load1 = os.getloadavg()[0]

    nlp = spacy.load(config["spacy.model"])
    list(nlp.pipe(texts[:5]))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    spacy_s, spacy_cpu = time.perf_counter() - t0, time.process_time() - c0
    del nlp
    gc.collect()

    t0 = time.perf_counter()
    from discernment.batch.runner import worker_settings

    config = Config(worker_settings(config, workers=1))  # the settings a single batch worker uses
    analyzer = discernment.Analyzer(config)
    list(analyzer.pipe(texts[:3]))
    load_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    list(analyzer.pipe(texts))
    full_s, full_cpu = time.perf_counter() - t0, time.process_time() - c0
    single_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    joined = "\n\n".join(texts)
    article = joined[:list(re.finditer(r"\S+", joined))[999].end()]  # 1,000 words, spacing kept
    latencies, cpus = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        analyzer(article)
        latencies.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    latency, latency_cpu = statistics.median(latencies), statistics.median(cpus)

    components = cumulative_by_component(analyzer, texts)
    hot = own_time_table(analyzer, texts) if args.profile else []
    tree = profile_pipeline(analyzer, texts) if args.profile else ""
    version = analyzer.version
    del analyzer
    gc.collect()

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "articles.jsonl")
        with open(path, "w", encoding="utf-8") as fh:
            for text in texts:
                fh.write(json.dumps({"text": text}) + "\n")
        for count in [int(w) for w in args.workers.split(",")]:
            runs.append(run_workers(path, config, count, args.partition_size))
    load2 = os.getloadavg()[0]

    print(f"# discernment batch benchmark ({len(texts)} articles, {words:,} words, "
          f"{words / len(texts):.0f} words/article)")
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}; load average "
          f"{load1:.1f} at start, {load2:.1f} at end; pipeline: {version}")
    print()
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| bare spaCy {config['spacy.model']} (1 process) | {len(texts) / spacy_s:.2f} articles/s, "
          f"{words / spacy_s:,.0f} words/s; {1000 * spacy_cpu / len(texts):.0f} ms CPU/article | |")
    print(f"| full pipeline (1 process) | {len(texts) / full_s:.2f} articles/s, {words / full_s:,.0f} words/s; "
          f"{1000 * full_cpu / len(texts):.0f} ms CPU/article | |")
    print(f"| ratio full / bare spaCy (wall; CPU) | {spacy_s / full_s:.2f}; {spacy_cpu / full_cpu:.2f} | >= 0.5 |")
    print(f"| one 1,000-word article after load (median of 5; wall, CPU) | {latency * 1000:.0f} ms, "
          f"{latency_cpu * 1000:.0f} ms CPU | <= 300 ms |")
    print(f"| model load, all components | {load_s:.1f} s | |")
    print(f"| peak RSS, single process (bare spaCy + pipeline) | {single_rss:.0f} MB | |")
    for run in runs:
        rss = ", ".join(f"{m:.0f}" for m in run["peak_rss_mb"])
        print(f"| batch, {run['workers']} worker(s) | {run['rate']:.2f} articles/s after {run['start_s']:.1f} s "
              f"start; peak RSS per worker {rss} MB; CPU per article: workers {run['worker_cpu_ms']:.0f} ms, "
              f"driver {run['driver_cpu_ms']:.0f} ms | <= 1,500 MB |")
    last = runs[-1]
    per = max(1, last["analysed"])
    print(f"| store (SQLite, with FTS5) | {last['store_bytes'] / per / 1024:.1f} KB per article; rows per article: "
          + ", ".join(f"{k} {v / per:.1f}" for k, v in last["rows"].items()) + " | |")
    if len(runs) >= 2:
        print(f"| speed-up {runs[-1]['workers']} vs {runs[0]['workers']} workers | "
              f"{runs[-1]['rate'] / runs[0]['rate']:.2f}x | >= 1.7x |")
    print()
    print("Time per component (single process, seconds over all articles):")
    print()
    print("| component | seconds | share |")
    print("| --- | --- | --- |")
    total = sum(s for _, s in components)
    for name, secs in components:
        print(f"| {name} | {secs:.2f} | {secs / total:.0%} |")
    if hot:
        print()
        print("Hottest functions by own time (cProfile, single process):")
        print()
        print("| function | own time | cumulative |")
        print("| --- | --- | --- |")
        for name, own, cum in hot:
            print(f"| {name} | {own:.1%} | {cum:.1%} |")
        print()
        print("<details><summary>pyinstrument call tree</summary>\n\n```")
        print(tree)
        print("```\n</details>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
