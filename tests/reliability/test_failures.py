"""Issue 20, tracebacks and hangs: each hostile condition ends in a clear, numbered error (or a right result).

Every case here gave a traceback, a hang or a silent wrong answer before: a full disk, a store locked past the
wait, settings out of range, garbage dates, closed standard streams, an export to a directory, a mistyped
``--db`` on a read command.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from discernment.config import Config
from discernment.errors import ConfigError, DiscernError, StoreError
from discernment.ingest.base import date_option, normalise_date
from discernment.model import Document
from discernment.store import Store
from discernment.store.queries import Filters

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Russian forces shelled Kharkiv on Monday, the regional governor said. "


def _discern(*args, stdin=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=stdin is None, text=True,
                          cwd=ROOT, timeout=600, stdin=stdin, **kwargs)


def test_failures_disk_full_is_a_clear_error_and_keeps_what_was_stored(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    run = store.start_run("p", {})
    store.ingest([Document(TEXT + "First.")], run, "p")

    @event.listens_for(store.engine, "connect")
    def _small(dbapi_conn, _record):  # SQLite reports a page limit reached exactly as a full disk
        dbapi_conn.execute("PRAGMA max_page_count=60")

    store.engine.dispose()
    with pytest.raises(StoreError) as err:
        store.ingest([Document(TEXT * 400 + f"Number {i}.") for i in range(30)], run, "p", batch_size=30)
    assert err.value.code == "E601" and "disk is full" in err.value.message and "rolled back" in err.value.message
    event.remove(store.engine, "connect", _small)
    store.engine.dispose()
    assert store.count() == 1
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_failures_store_locked_past_the_wait_is_retried_then_refused(tmp_path):
    path = tmp_path / "s.db"
    run = Store(f"sqlite:///{path}").start_run("p", {})
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    store = Store(f"sqlite:///{path}", busy_timeout=0.2, lock_retries=2)
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        store.ingest([Document(TEXT)], run, "p")
    waited = time.monotonic() - started
    assert err.value.code == "E602" and "locked by another writer" in err.value.message
    assert 3.0 <= waited < 30  # two pauses (1 s, 2 s) between three tries
    # A lock released during the pauses is waited out, and the batch is written.
    releaser = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    releaser.start()
    stats = store.ingest([Document(TEXT)], run, "p")
    releaser.join()
    assert stats.added == 1 and store.count() == 1


@pytest.mark.parametrize("override,code", [
    ("spacy.chunk_chars=0", "E205"), ("spacy.chunk_chars=-5", "E205"), ("readers.text_extensions=[1]", "E202"),
    ('readers.text_extensions=["txt"]', "E205"), ("dedup.threshold=5.0", "E205"), ("dedup.num_perm=0", "E205"),
    ("pipeline.batch_size=0", "E205"), ('spacy.model="nope"', "E205"), ('readers.fallback_encodings=["nope"]', "E205"),
    ("web.port=70000", "E205"), ("readers.url.timeout=0", "E205"), ("compare.relay_similarity=101", "E205"),
])
def test_failures_settings_out_of_range_are_refused(override, code):
    with pytest.raises(ConfigError) as err:
        Config.load(None, [override])
    assert err.value.code == code and override.split("=")[0] in err.value.message


def test_failures_every_numeric_setting_has_a_range():
    from discernment.config import allowed_ranges

    numeric = {k for k, v in Config.defaults().to_dict().items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    assert numeric == set(allowed_ranges())
    for key, (low, high) in allowed_ranges().items():  # the defaults lie in their own ranges
        value = Config.defaults()[key]
        assert (low is None or value >= low) and (high is None or value <= high), key


def test_failures_dates_that_are_no_dates():
    assert normalise_date("0000-00-00") is None
    assert normalise_date("12") is None
    assert normalise_date("March 2024") is None
    assert normalise_date("3000-01-01") is None
    assert normalise_date("2024-03-01T10:00:00Z") == "2024-03-01"
    assert normalise_date("Fri, 01 Mar 2024 10:00:00 GMT") == "2024-03-01"
    assert normalise_date("1 March 2024") == "2024-03-01"
    for bad in ("garbage", "12", "2024-13-45"):
        with pytest.raises(DiscernError) as err:
            date_option(bad)
        assert err.value.code == "E206" and "--published" in err.value.message
    for bad in ("2024-13-45", "garbage", "2024-3-1"):
        with pytest.raises(DiscernError) as err:
            Filters(since=bad)
        assert err.value.code == "E206"
    assert Filters(since="2024-03-01", until=None).since == "2024-03-01"


def test_failures_feed_date_zero_is_no_date(tmp_path):
    from discernment.ingest import ReadOptions, read_inputs

    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>a</title>'
                    "<pubDate>0000-00-00</pubDate><description>Russian forces shelled Kharkiv.</description>"
                    "</item></channel></rss>", encoding="utf-8")
    [doc] = list(read_inputs([str(feed)], ReadOptions.from_config(Config.defaults())))
    assert doc.source.published is None


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "s.db"
    Store(f"sqlite:///{path}")
    return path


def test_failures_command_line_edges(tmp_path, small_store):
    """Each ends with exit status 2, one clear line and no traceback (none needs the spaCy model)."""
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    typo = tmp_path / "typo" / "none.db"
    cases = {
        "ingest --published garbage": (["ingest", "--db", str(small_store), "--published", "garbage", str(article)],
                                      "E206"),
        "ingest --published 12": (["ingest", "--db", str(small_store), "--published", "12", str(article)], "E206"),
        "batch --published garbage": (["batch", "--db", str(small_store), "--published", "garbage", str(article)],
                                     "E206"),
        "claims --since garbage": (["claims", "--db", str(small_store), "--since", "garbage"], "E206"),
        "search --until 2024-13-45": (["search", "x", "--db", str(small_store), "--until", "2024-13-45"], "E206"),
        "read a store that is not there": (["claims", "--db", str(typo)], "E605"),
        "export to a directory": (["export", "--db", str(small_store), "--format", "csv", "-o", str(tmp_path)],
                                  "Is a directory"),
        "chunk_chars=0": (["analyze", str(article), "--set", "spacy.chunk_chars=0"], "E205"),
        'spacy.model="nope"': (["analyze", str(article), "--set", 'spacy.model="nope"'], "E205"),
    }
    for name, (args, expected) in cases.items():
        result = _discern(*args)
        assert result.returncode == 2, (name, result.stderr)
        assert expected in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr, (name, result.stderr)
    assert not typo.parent.exists()


def test_failures_closed_standard_streams(tmp_path, small_store):
    for args, closed, expected in (
        (["claims", "--db", str(small_store), "--format", "csv"], 1, "standard output is closed"),
        (["analyze", "-"], 0, "standard input is closed"),
    ):
        script = ("import os, subprocess, sys; os.close(%d); "
                  "r = subprocess.run([sys.executable, '-m', 'discernment', *sys.argv[1:]], stderr=subprocess.PIPE, "
                  "close_fds=False); sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)" % closed)
        result = subprocess.run([sys.executable, "-c", script, *args], capture_output=False, stderr=subprocess.PIPE,
                                stdout=subprocess.DEVNULL if closed == 0 else None, text=True, cwd=ROOT,
                                timeout=300)
        assert result.returncode == 2, (args, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
