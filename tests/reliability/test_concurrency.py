"""Concurrent writers: 2 processes on SQLite (WAL, busy timeout), 8 on PostgreSQL, overlapping documents.

No errors, every document stored exactly once, every layer row present once (hand-built documents, no spaCy).
"""

from __future__ import annotations

import pytest

from .load import concurrent_writers, store_rows


def _check(result: dict, url: str) -> None:
    for writer in result["writers"]:
        assert writer["returncode"] == 0, writer["stderr"]
    assert store_rows(url) == result["expected"]
    assert sum(w["added"] for w in result["writers"]) == len(result["unique"])
    assert sum(w["added"] + w["skipped"] for w in result["writers"]) == result["attempted"]


def test_concurrency_writers_store_overlapping_documents_once(store_url):
    """SQLite: 2 writers x 200 documents, half shared; PostgreSQL: 8 writers x 60 on a fresh database (they also
    race to create the schema), neighbours sharing half."""
    if store_url.startswith("sqlite"):
        result = concurrent_writers(store_url, 2, per_writer=200, step=100)
    else:
        result = concurrent_writers(store_url, 8, per_writer=60, step=30, fresh=True)
    _check(result, store_url)


def test_concurrency_two_writers_create_a_fresh_sqlite_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    _check(concurrent_writers(url, 4, per_writer=20, step=10, fresh=True), url)  # 4 so the race is certain


def test_concurrency_fifty_web_clients_without_errors(tmp_path):
    """50 concurrent clients x 4 requests (pages, JSON, one POST analyze each) on loopback: no errors."""
    import discernment.web  # noqa: F401  (a broken import of the project's own module fails the test)
    from .load import serve_in_thread, web_load

    base, stop = serve_in_thread(f"sqlite:///{tmp_path / 'web.db'}", documents=20)
    try:
        result = web_load(base, clients=50, requests_each=4, timeout=60)
    finally:
        stop()
    assert result["requests"] == 200 and result["errors"] == 0, result
