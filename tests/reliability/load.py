"""Load generators shared by the concurrency tests and bench/reliability.py.

``concurrent_writers(url, n)`` starts ``n`` processes that each store an overlapping slice of hand-built
documents (entities, places, quotes, techniques; no spaCy) through ``Store.ingest`` at the same moment, on a
fresh store, and returns what each saw and what the store holds afterwards. ``web_load`` drives a running
``discern serve`` with many concurrent clients.

Run one writer: ``python -m tests.reliability.load writer URL FIRST LAST START_AT`` (from the repository root).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIPELINE = "reliability-test 1"


def hand_built_document(i: int):
    """An invented article with annotations on every offset-bearing layer (exact offsets, no model)."""
    from discernment.model import Document, Entity, Mention, Place, Quote, Source, Technique, TextSpan

    town = ["Kupiansk", "Lyman", "Izium", "Sumy", "Odesa"][i % 5]
    text = (f"Report {i}: the governor of {town} said \"the strikes will not break us\" after drones hit "
            f"{i % 9 + 2} houses. Moscow called the defenders UkroNazis in report {i}.")
    at = text.index
    quote = "the strikes will not break us"
    return Document(text, source=Source(path=f"hand/{i}.txt", outlet="Invented Wire", title=f"Report {i}",
                                        published=f"2024-10-{1 + i % 28:02d}"), entities=[
        Entity(at(town), at(town) + len(town), town, "GPE", town),
        Entity(at("Moscow"), at("Moscow") + 6, "Moscow", "GPE", "Moscow"),
    ], places=[Place(at(town), at(town) + len(town), town, name=town, lat=49.7, lon=37.6, country_code="UA",
                     score=0.9)],
        quotes=[Quote(at(quote), at(quote) + len(quote), quote, "direct",
                      cue=TextSpan(at("said"), at("said") + 4, "said"),
                      speaker=Mention(at("the governor"), at("the governor") + 12, "the governor"))],
        techniques=[Technique(at("UkroNazis"), at("UkroNazis") + 9, "UkroNazis", "Name_Calling,Labeling", 0.8)])


def expected_rows(indices) -> dict[str, int]:
    docs = [hand_built_document(i) for i in set(indices)]
    return {"documents": len(docs), "analyses": len(docs), "entities": 2 * len(docs), "places": len(docs),
            "quotes": len(docs), "techniques": len(docs)}


def write_slice(url: str, first: int, last: int, start_at: float, batch_size: int = 5) -> dict:
    """Open the store and ingest documents first..last-1 once the wall clock reaches ``start_at``."""
    from discernment.store import Store

    time.sleep(max(0.0, start_at - time.time()))
    began = time.perf_counter()
    store = Store(url)  # on a fresh store every writer migrates at the same moment, as two cron jobs would
    run_id = store.start_run(PIPELINE, {}, "reliability writer")
    stats = store.ingest((hand_built_document(i) for i in range(first, last)), run_id, PIPELINE,
                         batch_size=batch_size)
    store.finish_run(run_id, stats)
    store.close()
    return {"added": stats.added, "skipped": stats.skipped, "updated": stats.updated,
            "seconds": round(time.perf_counter() - began, 3)}


def concurrent_writers(url: str, writers: int, per_writer: int = 40, step: int = 20, timeout: float = 300,
                       fresh: bool = False) -> dict:
    """``writers`` processes; writer k stores documents k*step .. k*step+per_writer-1 (neighbours overlap).

    ``fresh`` leaves the store uncreated, so every writer also races to create the schema.
    """
    if not fresh:
        from discernment.store import Store

        Store(url).close()
    start_at = time.time() + 3.0  # all processes have imported by then
    slices = [(k * step, k * step + per_writer) for k in range(writers)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.reliability.load", "writer", url, str(a), str(b),
                               str(start_at)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for a, b in slices]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append({"returncode": proc.returncode, "stderr": err.decode()[-2000:],
                        **(json.loads(out) if proc.returncode == 0 else {})})
    indices = [i for a, b in slices for i in range(a, b)]
    return {"writers": results, "expected": expected_rows(indices), "unique": sorted(set(indices)),
            "attempted": len(indices)}


def store_rows(url: str) -> dict[str, int]:
    from discernment.store import Store

    store = Store(url)
    try:
        return {t: store.count(t) for t in ("documents", "analyses", "entities", "places", "quotes", "techniques")}
    finally:
        store.close()


if __name__ == "__main__":
    if sys.argv[1] == "writer":
        url, first, last, start_at = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        print(json.dumps(write_slice(url, first, last, start_at)))


def serve_in_thread(url: str, documents: int = 60):
    """A store with ``documents`` hand-built documents, served by the web app on uvicorn in a thread (loopback,
    free port, no token, an empty pipeline for the analyze endpoint). Returns (base URL, stop function)."""
    from discernment import Analyzer
    from discernment.config import Config
    from discernment.store import Store
    from discernment.web import WebSettings, create_app, free_port, serve_in_background

    store = Store(url)
    store.ingest([hand_built_document(i) for i in range(documents)], store.start_run(PIPELINE, {}), PIPELINE)
    port = free_port()
    config = Config.load(overrides=["pipeline.components=[]"])
    analyzer = Analyzer(config)
    app = create_app(store, WebSettings.from_config(config, port=port, token=None), config,
                     analyzer_factory=lambda: analyzer)
    running = serve_in_background(app, port=port, log_level="error")

    def stop():
        running.stop()
        store.close()

    return running.url, stop


def web_load(base: str, clients: int = 50, requests_each: int = 20, timeout: float = 120) -> dict:
    """``clients`` threads, each with its own connection, doing ``requests_each`` requests at once: pages, JSON
    twins, API queries, and one POST /api/analyze per client. Returns counts and latency percentiles (ms)."""
    import statistics
    import threading

    import httpx

    doc_ids = [hand_built_document(i).id for i in range(5)]
    paths = ["/api/health", "/api/documents?limit=20", "/api/claims", "/api/search?q=governor", "/documents",
             "/claims", "/places", "/sources", "/api/places", *(f"/doc/{d}" for d in doc_ids),
             *(f"/api/documents/{d}" for d in doc_ids)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=timeout, follow_redirects=True) as http:
            start.wait()
            for j in range(requests_each):
                began = time.perf_counter()
                try:
                    if j == requests_each // 2:
                        r = http.post("/api/analyze", json={"text": f"Officials in Sumy said client {k} is calm."})
                    else:
                        r = http.get(paths[(k + j) % len(paths)], headers={"Accept": "text/html"})
                    ok = r.status_code == 200
                    problem = f"{r.request.method} {r.request.url.path}: {r.status_code}"
                except httpx.HTTPError as err:
                    ok, problem = False, f"{type(err).__name__}: {err}"
                with lock:
                    latencies.append((time.perf_counter() - began) * 1000)
                    if not ok:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    wall = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {"clients": clients, "requests": len(latencies), "errors": len(errors), "error_samples": errors[:5],
            "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "max_ms": round(max(latencies), 1),
            "wall_s": round(wall, 2), "requests_per_s": round(len(latencies) / wall, 1)}
