"""Concurrency figures for docs/reliability.md: concurrent writers on SQLite and PostgreSQL, and the web API under
many concurrent clients on loopback. Prints one JSON object (also written to bench/results/reliability.json).

    .venv/bin/python bench/reliability.py                      # SQLite only unless DATABASE_URL is set
    source /tmp/pgenv; .venv/bin/python bench/reliability.py   # with a throwaway PostgreSQL (scripts/pg_test.sh)
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.reliability.load import concurrent_writers, serve_in_thread, store_rows, web_load  # noqa: E402


def writers_figure(url: str, writers: int, per_writer: int, step: int, fresh: bool) -> dict:
    began = time.perf_counter()
    result = concurrent_writers(url, writers, per_writer=per_writer, step=step, fresh=fresh)
    rows = store_rows(url)
    return {"writers": writers, "documents_attempted": result["attempted"], "documents_unique": len(result["unique"]),
            "failed_writers": sum(w["returncode"] != 0 for w in result["writers"]),
            "rows": rows, "rows_expected": result["expected"], "lost_or_duplicated": rows != result["expected"],
            "wall_s": round(time.perf_counter() - began, 2)}


def postgres_url() -> str | None:
    base = os.environ.get("DATABASE_URL")
    if not base:
        return None
    import psycopg

    name = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(base.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    out: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                 "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite_writers"] = writers_figure(f"sqlite:///{tmp}/writers.db", 2, 500, 250, fresh=False)
        pg = postgres_url()
        if pg:
            out["postgresql_writers"] = writers_figure(pg, 8, 100, 50, fresh=True)
            import psycopg

            admin = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg.rsplit("/", 1)[1]}" WITH (FORCE)')
        base, stop = serve_in_thread(f"sqlite:///{tmp}/web.db", documents=60)
        try:
            web_load(base, clients=5, requests_each=2)  # warm-up (templates, first queries)
            out["web_50_clients"] = web_load(base, clients=50, requests_each=20)
        finally:
            stop()
    text = json.dumps(out, indent=2)
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "reliability.json").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
