"""Feed URLs that are malformed, disguised or slow: each is one E110 read error naming the URL, never a traceback,
never a request to a loopback or private address, and never longer than ``readers.url.timeout`` in all.

No test needs the network: addresses are literals, and the slow server is a thread on 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from discernment.config import Config
from discernment.errors import ReadError
from discernment.ingest import ReadOptions, read_inputs
from discernment.ingest.fetch import check_public_url, fetch_url

MALFORMED_URLS = [
    "http://127.0.0.1:99999/",          # port out of range: urlparse's .port raises ValueError
    "http://example.com:abc/feed",      # port not a number
    "http://[::1/",                     # unclosed IPv6 bracket: urlparse itself raises ValueError
    "http://" + "a" * 64 + ".com/feed",  # a 64-character DNS label: the idna codec raises UnicodeError
    "http://a..b/feed",                 # an empty label
    "http://" + ".".join(["a" * 60] * 5) + "/",  # a name over 253 characters
]


@pytest.mark.parametrize("allow_private", [False, True])
@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_network_malformed_url_is_e110(url, allow_private):
    with pytest.raises(ReadError) as err:
        fetch_url(url, 2, 10_000, allow_private=allow_private)
    assert err.value.code == "E110" and err.value.path == url and "malformed URL" in err.value.reason


def test_network_malformed_urls_do_not_stop_the_other_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Kyiv said the city held.", encoding="utf-8")
    items = list(read_inputs([*MALFORMED_URLS[:4], str(good)], ReadOptions.from_config(Config.load())))
    assert [getattr(i, "code", None) for i in items] == ["E110"] * 4 + [None]
    assert [i.path for i in items[:4]] == MALFORMED_URLS[:4]
    assert items[4].text == "Kyiv said the city held."


@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_network_cli_malformed_urls_are_read_errors(tmp_path, command):
    """``discern analyze|ingest BAD-URL... good.txt``: an E110 line per URL, no traceback, good.txt still read."""
    good = tmp_path / "good.txt"
    good.write_text("Kyiv said the city held.", encoding="utf-8")
    urls = MALFORMED_URLS[:4]
    extra = ["--db", str(tmp_path / "s.db")] if command == "ingest" else []
    proc = subprocess.run([sys.executable, "-m", "discernment", command, *urls, str(good), *extra,
                           "--set", "pipeline.components=[]"],
                          capture_output=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"})
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and err.count("[E110]") == len(urls), err
    for url in urls:
        assert url in err
    if command == "analyze":
        assert b"Kyiv said the city held." in proc.stdout
    else:
        assert "1 added" in err


# -- IPv6 forms that carry a private or loopback IPv4 address -----------------------------------------------
DISGUISED = [
    "http://[64:ff9b::7f00:1]/feed",          # NAT64 of 127.0.0.1
    "http://[64:ff9b::a00:1]/feed",           # NAT64 of 10.0.0.1
    "http://[64:ff9b:1::c0a8:1]/feed",        # local-use NAT64 of 192.168.0.1
    "http://[2002:7f00:1::]/feed",            # 6to4 of 127.0.0.1
    "http://[2002:a9fe:a9fe::1]/feed",        # 6to4 of 169.254.169.254 (cloud metadata)
    "http://[::127.0.0.1]/feed",              # IPv4-compatible
    "http://[::ffff:127.0.0.1]/feed",         # IPv4-mapped
    "http://[::ffff:10.1.2.3]:8080/feed",
]


@pytest.mark.parametrize("url", DISGUISED)
def test_network_ipv6_embedding_private_ipv4_refused(url):
    with pytest.raises(ReadError) as err:
        check_public_url(url)
    assert err.value.code == "E110" and "non-public address" in err.value.reason


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111"])
def test_network_ipv6_embedding_public_ipv4_allowed(address):
    assert check_public_url(f"http://[{address}]/feed") == address


def test_network_embedded_ipv4_unpacking():
    import ipaddress

    from discernment.ingest.fetch import embedded_ipv4

    assert str(embedded_ipv4(ipaddress.ip_address("64:ff9b::7f00:1"))) == "127.0.0.1"
    assert str(embedded_ipv4(ipaddress.ip_address("2002:7f00:1::"))) == "127.0.0.1"
    assert str(embedded_ipv4(ipaddress.ip_address("::127.0.0.1"))) == "127.0.0.1"
    assert str(embedded_ipv4(ipaddress.ip_address("::ffff:127.0.0.1"))) == "127.0.0.1"
    assert embedded_ipv4(ipaddress.ip_address("2606:4700:4700::1111")) is None
    assert embedded_ipv4(ipaddress.ip_address("127.0.0.1")) is None


# -- a total deadline ---------------------------------------------------------------------------------------
class Trickler:
    """A raw HTTP server on 127.0.0.1 sending its response one byte every ``interval`` seconds: in the headers
    (``stage="headers"``) or in a body with no length (``stage="body"``)."""

    def __init__(self, stage: str, interval: float = 0.25, total: int = 200):
        self.stage, self.interval, self.total = stage, interval, total
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
        try:
            conn.recv(65536)
            if self.stage == "headers":
                slow, fast = head + b"X-Pad: " + b"x" * self.total, b""
            else:
                conn.sendall(head + b"Connection: close\r\n\r\n")
                slow, fast = b"<" * self.total, b""
            for byte in slow:
                if self.stop.is_set():
                    break
                conn.sendall(bytes([byte]))
                time.sleep(self.interval)
            conn.sendall(fast)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("stage", ["headers", "body"])
def test_network_trickling_server_cut_off_at_the_total_timeout(stage):
    """Each byte comes well within the per-read timeout, so only a total deadline ends the fetch (at ~1 s; the
    server would take 50 s)."""
    server = Trickler(stage)
    try:
        started = time.monotonic()
        with pytest.raises(ReadError) as err:
            fetch_url(f"http://127.0.0.1:{server.port}/feed.xml", 1.0, 1_000_000, allow_private=True)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert err.value.code == "E110" and "took longer than 1 s" in err.value.reason
    assert elapsed < 3, elapsed


def test_network_feed_url_deadline_through_read_inputs():
    server = Trickler("body")
    url = f"http://127.0.0.1:{server.port}/feed.xml"
    try:
        started = time.monotonic()
        config = Config.load(None, ["readers.url.timeout=1", "readers.url.allow_private=true"])
        items = list(read_inputs([url], ReadOptions.from_config(config)))
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert len(items) == 1 and items[0].code == "E110" and items[0].path == url and elapsed < 3


def test_network_fast_server_within_the_deadline_still_read():
    server = Trickler("body", interval=0.001, total=50)
    try:
        data = fetch_url(f"http://127.0.0.1:{server.port}/feed.xml", 5.0, 1_000_000, allow_private=True)
    finally:
        server.close()
    assert data == b"<" * 50
