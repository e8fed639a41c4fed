"""discern watch: feeds polled on a schedule, only unseen entries stored, the state kept in the store.

A real HTTP server on 127.0.0.1 serves RSS that changes between polls and honours If-None-Match (and, on another
path, If-Modified-Since). The pipeline is cut to parse + entities to keep it fast.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from discernment.config import Config
from discernment.store import Store
from discernment.watch import (
    FeedState, Watcher, entry_key, feed_states, load_state, parse_interval, remember, save_state,
)

REPO = Path(__file__).resolve().parents[1]
SMALL = ['pipeline.components=["parse.v1", "entities.v1"]', "readers.url.allow_private=true",
         "readers.url.timeout=5"]
LINE = re.compile(r"^discern: watch \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<feed>\S+): (?P<new>\d+) new, "
                  r"(?P<seen>\d+) seen, (?P<failed>\d+) failed \((?P<status>.*)\)$")


def entry(n: int, guid: bool = True) -> str:
    guid_tag = f"<guid>urn:test:{n}</guid>" if guid else ""
    return (f"<item><title>Report {n}</title><link>https://news.example/{n}</link>{guid_tag}"
            f"<pubDate>Mon, 0{1 + n % 9} Sep 2022 10:00:00 GMT</pubDate>"
            f"<description>Report number {n}: Russian forces shelled Kharkiv overnight, the regional governor "
            f"Oleh Synyehubov said. Ukrainian troops advanced near Izium.</description></item>")


def rss(numbers, title: str = "Test Outlet", guid: bool = True) -> bytes:
    items = "".join(entry(n, guid) for n in numbers)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/</link><description>t</description>{items}</channel></rss>").encode()


class FeedServer:
    """Serves /feed.xml (ETag, honours If-None-Match), /lm.xml (Last-Modified only, honours If-Modified-Since)
    and /broken.xml (HTTP 500). ``entries`` is what the feeds carry now; ``honour`` False ignores conditions."""

    def __init__(self):
        self.entries = [1, 2, 3]
        self.honour = True
        self.requests: list[tuple[str, dict, int]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = rss(server.entries)
                etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
                modified = formatdate(1_660_000_000 + len(server.entries), usegmt=True)
                headers = {k: v for k, v in self.headers.items()}
                if self.path == "/broken.xml":
                    status, send = 500, {}
                    body = b"oops"
                elif self.path == "/lm.xml":
                    send = {"Last-Modified": modified}
                    status = 304 if server.honour and self.headers.get("If-Modified-Since") == modified else 200
                else:
                    send = {"ETag": etag}
                    status = 304 if server.honour and self.headers.get("If-None-Match") == etag else 200
                server.requests.append((self.path, headers, status))
                self.send_response(status)
                for key, value in send.items():
                    self.send_header(key, value)
                if status == 304:
                    self.end_headers()
                    return
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def small():
    from discernment import Analyzer

    return Analyzer(Config.load(None, SMALL))


class Clock:
    def __init__(self, start: float = 1_796_638_500.0):  # 2026-12-07T10:15:00Z
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def watcher(feeds, store, analyzer, clock=None, lines=None, **kw) -> Watcher:
    clock = clock or Clock()
    return Watcher(feeds, store, analyzer, log=(lines.append if lines is not None else lambda _: None),
                   clock=clock, sleep=clock.sleep, **kw)


def parsed(line: str) -> dict:
    m = LINE.match(line)
    assert m, line
    return m.groupdict()


# -- the loop over HTTP ---------------------------------------------------------------------------------------
def test_watch_url_stores_only_new_entries_and_survives_a_restart(store_url, server, small):
    url = f"{server.url}/feed.xml"
    store = Store(store_url)
    lines: list[str] = []
    w = watcher([url], store, small, lines=lines)

    first = w.poll()[0]
    assert (first.new, first.seen, first.failed, first.status) == (3, 0, 0, "200 OK")
    assert store.count("documents") == 3

    second = w.poll()[0]  # unchanged: the ETag goes back, the server answers 304
    assert (second.new, second.seen, second.status) == (0, 0, "304 not modified")
    assert server.requests[-1][2] == 304 and server.requests[-1][1].get("If-None-Match")
    assert store.count("documents") == 3

    server.entries = [1, 2, 3, 4, 5]  # two more, the old ones kept
    third = w.poll()[0]
    assert (third.new, third.seen, third.failed, third.status) == (2, 3, 0, "200 OK")
    assert store.count("documents") == 5

    assert len(lines) == 3 and all(parsed(line)["feed"] == url for line in lines)
    assert parsed(lines[1])["status"] == "304 not modified"
    assert [int(parsed(line)["new"]) for line in lines] == [3, 0, 2]
    store.close()

    # A restart: a new store object and watcher. The ETag is remembered: 304 again ...
    store = Store(store_url)
    restarted = watcher([url], store, small)
    assert restarted.poll()[0].status == "304 not modified"
    # ... and a server that ignores it gets every entry recognised by its guid: nothing analysed or stored again.
    server.honour = False
    again = restarted.poll()[0]
    assert (again.new, again.seen, again.failed, again.status) == (0, 5, 0, "200 OK")
    assert store.count("documents") == 5
    # Documents stored by the three polls that found new entries, one run each; none for the others.
    assert [r["documents_added"] for r in store.runs()] == [3, 2]
    state = load_state(store, url)
    assert state.etag and len(state.seen) == 5 and state.failures == 0 and state.last_new == 0
    assert state.last_poll == state.last_success and state.last_status == "200 OK"
    store.close()


def test_watch_last_modified_alone_makes_a_conditional_request(tmp_path, server, small):
    url = f"{server.url}/lm.xml"
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    w = watcher([url], store, small)
    assert w.poll()[0].new == 3
    second = w.poll()[0]
    assert second.status == "304 not modified" and server.requests[-1][1].get("If-Modified-Since")
    assert load_state(store, url).last_modified == server.requests[-1][1]["If-Modified-Since"]


def test_watch_failing_feed_is_logged_and_the_others_are_still_polled(store_url, server, small, tmp_path):
    broken, good = f"{server.url}/broken.xml", f"{server.url}/feed.xml"
    path = tmp_path / "local.rss"
    path.write_bytes(rss([7, 8], title="Local"))
    store = Store(store_url)
    lines: list[str] = []
    w = watcher([broken, good, str(path)], store, small, lines=lines)
    results = w.poll()
    assert [parsed(line)["feed"] for line in lines] == [broken, good, str(path)]
    assert results[0].failed == 1 and results[0].status == "E110 HTTP status 500"
    assert "1 failed (E110 HTTP status 500)" in lines[0]
    assert (results[1].new, results[2].new) == (3, 2) and store.count("documents") == 5

    w.poll()
    state = load_state(store, broken)
    assert state.failures == 2 and state.last_status.startswith("E110") and state.last_success is None
    assert state.etag is None and state.seen == []
    assert {s.feed for s in feed_states(store)} == {broken, good, str(path.resolve())}
    store.close()


def test_watch_unreachable_and_bad_feeds_are_read_errors(tmp_path, small):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<rss><channel><title>x</title>\x00 not a feed")
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    lines: list[str] = []
    results = watcher(["http://127.0.0.1:9/feed.xml", str(bad), str(tmp_path / "missing.xml")], store, small,
                      lines=lines).poll()
    assert [r.status.split()[0] for r in results] == ["E110", "E109", "E101"]
    assert all(parsed(line)["failed"] == "1" for line in lines) and len(lines) == 3


# -- feed files -----------------------------------------------------------------------------------------------
def test_watch_file_feed_unchanged_then_grown(tmp_path, small):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([1, 2, 3], guid=False))  # no guid: entries are known by their link
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    w = watcher([str(path)], store, small)
    assert (lambda r: (r.new, r.status))(w.poll()[0]) == (3, "file changed")
    assert (lambda r: (r.new, r.seen, r.status))(w.poll()[0]) == (0, 0, "file unchanged")
    path.write_bytes(rss([1, 2, 3, 4], guid=False))
    grown = w.poll()[0]
    assert (grown.new, grown.seen, grown.status) == (1, 3, "file changed")
    assert store.count("documents") == 4


def test_watch_other_inputs_are_ingested_once(tmp_path, small):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Russian forces shelled Kharkiv on Monday, the governor said.", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    w = watcher([str(folder)], store, small)
    assert w.poll()[0].new == 1
    (folder / "b.txt").write_text("Ukrainian troops advanced near Izium, the general staff said.", encoding="utf-8")
    second = w.poll()[0]
    assert (second.new, second.seen, second.status) == (1, 1, "read")


def test_watch_entries_without_text_fail_once(tmp_path, small):
    path = tmp_path / "feed.rss"
    body = rss([1]).replace(b"</channel>", b"<item><title>Photo</title><guid>urn:photo</guid></item></channel>")
    path.write_bytes(body)
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    lines: list[str] = []
    w = watcher([str(path)], store, small, lines=lines)
    first = w.poll()[0]
    assert (first.new, first.failed) == (1, 1) and "E102 feed entry has no text" in lines[0]
    path.write_bytes(body + b" ")  # touched: read again, both entries known
    again = w.poll()[0]
    assert (again.new, again.seen, again.failed) == (0, 2, 0)


# -- the parts ------------------------------------------------------------------------------------------------
def test_watch_run_sleeps_between_polls_on_the_injected_clock(tmp_path, small):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([1]))
    clock = Clock()
    lines: list[str] = []
    w = watcher([str(path)], Store(f"sqlite:///{tmp_path / 's.db'}"), small, clock=clock, lines=lines)
    w.run(every=900, polls=3)
    assert clock.slept == [900, 900]
    assert [line.split()[2] for line in lines] == ["2026-12-07T10:15:00Z", "2026-12-07T10:30:00Z",
                                                   "2026-12-07T10:45:00Z"]
    assert w.run(every=None)[0].status == "file unchanged" and clock.slept == [900, 900]


def test_watch_entry_keys_interval_and_bounded_memory(tmp_path):
    assert entry_key({"id": "urn:1", "link": "https://a/1"}) == entry_key({"id": "urn:1", "link": "https://a/2"})
    assert entry_key({"link": "https://a/1"}) != entry_key({"link": "https://a/2"})
    assert entry_key({"title": "t", "summary": "x"}) != entry_key({"title": "t", "summary": "y"})
    assert len(entry_key({"title": "t"})) == 16
    assert [parse_interval(x) for x in ("30s", "15m", "1h", "1d", "1h30m", "90")] == [30, 900, 3600, 86400, 5400,
                                                                                      90]
    for bad in ("", "0s", "15 minutes", "m", "-1m", "1w", "1h 30m"):
        with pytest.raises(ValueError):
            parse_interval(bad)
    # The feed's current entries are always kept, newest last; older ones go first.
    assert remember(["a", "b", "c"], ["c", "d"], 3) == ["b", "c", "d"]
    assert remember(["a", "b"], ["x", "y", "z"], 2) == ["y", "z"]
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    save_state(store, FeedState("f", etag='"1"', seen=["a"]))
    save_state(store, FeedState("f", etag='"2"', seen=["a", "b"], failures=3))
    assert (lambda s: (s.etag, s.seen, s.failures))(load_state(store, "f")) == ('"2"', ["a", "b"], 3)
    assert load_state(store, "g") is None


def test_watch_max_seen_bounds_the_stored_keys(tmp_path, small):
    path = tmp_path / "feed.xml"
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    w = watcher([str(path)], store, small, max_seen=4)
    for numbers in ([1, 2, 3], [4, 5, 6]):
        path.write_bytes(rss(numbers))
        assert w.poll()[0].new == 3
    assert len(load_state(store, str(path.resolve())).seen) == 4


# -- the command ----------------------------------------------------------------------------------------------
def discern(*args):
    return subprocess.run([sys.executable, "-m", "discernment", *args], capture_output=True, cwd=REPO, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})


def test_cli_watch_once_logs_one_line_per_feed(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([1, 2]))
    db = tmp_path / "s.db"
    sets = [x for s in SMALL for x in ("--set", s)]
    result = discern("watch", str(path), "--once", "--db", str(db), *sets)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    lines = [line for line in err.splitlines() if line.startswith("discern: watch ")]
    assert len(lines) == 1 and parsed(lines[0]) == {"feed": str(path), "new": "2", "seen": "0", "failed": "0",
                                                    "status": "file changed"}
    store = Store(str(db))
    assert store.count("documents") == 2 and store.runs()[0]["command"].endswith(f"--set {SMALL[-1]}")
    store.close()

    usage = discern("watch", str(path), "--db", str(db))  # neither --every nor --once
    assert usage.returncode == 2 and "--every" in usage.stderr.decode()
    assert discern("watch", str(path), "--every", "soon", "--db", str(db)).returncode == 2


def test_cli_watch_reads_a_feed_list(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(rss([1]))
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n\n{path}\n{tmp_path / 'gone.xml'}\n", encoding="utf-8")
    sets = [x for s in SMALL for x in ("--set", s)]
    result = discern("watch", "--feeds", str(listing), "--once", "--db", str(tmp_path / "s.db"), *sets)
    lines = [parsed(line) for line in result.stderr.decode().splitlines() if line.startswith("discern: watch ")]
    assert result.returncode == 1 and [(x["new"], x["failed"]) for x in lines] == [("1", "0"), ("0", "1")]
    assert lines[1]["status"].startswith("E101")
    assert discern("watch", "--once", "--db", str(tmp_path / "s.db")).returncode == 2
