"""The web server and the URL fetcher from the attacker's side, over real HTTP on loopback.

Stored XSS: hostile articles go in through the ordinary ingest path (a JSONL file, as ``discern ingest`` reads
it) and through the write API; every page and JSON twin is then fetched and parsed, and no script, event handler
or ``javascript:`` link of the attacker's survives. Oversized bodies get 413. Feed and fetch URLs that point at
loopback, private or link-local addresses, however they are spelt, are refused with E110 and the target server
never sees a request. File names with ``..`` never become paths. Skipped when discernment.web is not importable.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import discernment.web as web  # noqa: E402  (the project's own module: a broken import must fail, not skip)
import httpx  # noqa: E402
import lxml.html as lxml_html  # noqa: E402

from discernment.errors import ReadError  # noqa: E402
from discernment.ingest.fetch import check_public_url  # noqa: E402
from discernment.model import Document, Entity, Place, Quote, Source, Technique, TextSpan  # noqa: E402

MARK = "pwned"  # every payload sets window.pwned or names it, so a surviving payload is easy to spot
PAYLOADS = [
    "<script>window.pwned=1</script>",
    "<img src=x onerror=\"window.pwned=2\">",
    "<a href=\"javascript:window.pwned=3\">more</a>",
    "\"><svg onload=window.pwned=4>",
    "'><body onload='window.pwned=5'>",
    "</textarea></title></script><script>window.pwned=6</script>",
    "<iframe src=\"javascript:window.pwned=7\"></iframe>",
    "<a href=\"JaVaScRiPt&colon;window.pwned=8\">x</a>",
    "<style>@import 'http://evil.example/pwned.css';</style>",
    "{{ config }}{% if 1 %}pwned{% endif %}",
]
HOSTILE_TEXT = ("Officials in Izium said shelling continued. " + " ".join(PAYLOADS)
                + " A spokesman said <b onmouseover=window.pwned=9>nothing</b> more.")


def hostile_record(i: int) -> dict:
    return {"text": f"Report {i}. " + HOSTILE_TEXT, "title": PAYLOADS[i % len(PAYLOADS)],
            "outlet": PAYLOADS[(i + 1) % len(PAYLOADS)], "author": PAYLOADS[(i + 2) % len(PAYLOADS)],
            "url": "javascript:window.pwned=10", "published": "2024-11-01"}


def annotated_hostile_document() -> Document:
    """Highlights over the payloads themselves, and payloads in every label and canonical name."""
    t = "Report annotated. " + HOSTILE_TEXT
    s, i = t.index("<script>"), t.index("Izium")
    said = t.index("said")
    return Document(t, source=Source(title=PAYLOADS[1], outlet=PAYLOADS[0], url="javascript:window.pwned=11"),
                    entities=[Entity(s, s + 31, t[s:s + 31], "ORG", PAYLOADS[1])],
                    places=[Place(i, i + 5, "Izium", PAYLOADS[3], 49.2, 37.3, "UA", PAYLOADS[4], 1, "PPL", 0.5)],
                    quotes=[Quote(0, len(t), t, "indirect", TextSpan(said, said + 4, "said"))],
                    techniques=[Technique(s, len(t), t[s:], PAYLOADS[2], 0.9)])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``discern serve``'s app on uvicorn in a thread, with hostile documents ingested; yields (url, ids)."""
    from discernment import Analyzer
    from discernment.config import Config
    from discernment.ingest import ReadOptions
    from discernment.runner import ingest_inputs
    from discernment.store import Store

    root = tmp_path_factory.mktemp("attack")
    jsonl = root / "hostile.jsonl"
    jsonl.write_text("".join(json.dumps(hostile_record(i)) + "\n" for i in range(len(PAYLOADS))), encoding="utf-8")
    config = Config.load(overrides=["pipeline.components=[]", "web.max_body_bytes=20000"])
    store = Store(f"sqlite:///{root / 'store.db'}")
    analyzer = Analyzer(config)
    ingest_inputs([str(jsonl)], analyzer, ReadOptions.from_config(config), store)
    annotated = annotated_hostile_document()
    store.ingest([annotated], store.start_run("hand", {}), "hand")
    port = web.free_port()
    settings = web.WebSettings.from_config(config, port=port, token=None)
    app = web.create_app(store, settings, config, analyzer_factory=lambda: analyzer)
    running = web.serve_in_background(app, port=port, start_timeout=20)
    yield running.url, store.document_ids(), annotated.id
    running.stop(timeout=10)
    store.close()


def assert_no_live_payload(html: str, where: str) -> None:
    """Parse the page as a browser would and look for anything of the attacker's that could run."""
    root = lxml_html.fromstring(html)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (where, el.tag, name, value)
            if name.lower() in ("href", "src", "action", "formaction", "data"):
                assert not value.strip().lower().startswith(("javascript:", "data:text/html")), (where, el.tag, value)
        if el.tag == "script":
            assert el.get("src", "").startswith("/static/") and not (el.text or "").strip(), (where, el.get("src"))
        assert el.tag not in ("iframe", "object", "embed", "base"), (where, el.tag)
        if el.tag == "style":  # the attacker's <style>@import ...</style> would land here as live CSS
            assert MARK not in (el.text or ""), where
    assert "window.pwned" not in "".join(el.text or "" for el in root.iter("script"))


def test_web_attacks_stored_xss_never_rendered_live(server):
    base, ids, annotated = server
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        pages = ["/", "/documents", "/claims", "/places", "/sources", "/search?q=Izium", f"/doc/{annotated}",
                 *(f"/doc/{i}" for i in ids), f"/search?q={PAYLOADS[0]}", f"/place/{PAYLOADS[3]}"]
        for page in pages:
            r = client.get(page, headers={"Accept": "text/html"})
            assert r.status_code in (200, 404), (page, r.status_code)
            assert r.headers["content-type"].startswith("text/html"), page
            assert_no_live_payload(r.text, page)
            csp = r.headers.get("content-security-policy", "")
            assert "script-src" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], csp


def test_web_attacks_json_twins_are_json_not_html(server):
    base, ids, annotated = server
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        for path in [f"/api/documents/{annotated}", "/api/documents", f"/doc/{annotated}.json", "/claims.json",
                     "/api/search?q=Izium"]:
            r = client.get(path)
            assert r.status_code == 200, path
            assert r.headers["content-type"].startswith("application/json"), path
            assert r.headers.get("x-content-type-options") == "nosniff", path
            r.json()
        doc = client.get(f"/api/documents/{annotated}").json()
        assert doc["text"] == annotated_hostile_document().text  # stored and returned byte for byte


def test_web_attacks_hostile_text_posted_to_the_api(server):
    base, _, _ = server
    with httpx.Client(base_url=base, timeout=60) as client:
        r = client.post("/api/documents", json={"text": HOSTILE_TEXT + " Posted.", "title": PAYLOADS[5],
                                                "outlet": PAYLOADS[6]})
        assert r.status_code == 200, r.text
        page = client.get("/documents", headers={"Accept": "text/html"})
        assert_no_live_payload(page.text, "/documents after POST")


def test_web_attacks_oversized_bodies_get_413(server):
    base, _, _ = server
    big = "x" * 50_000
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        assert client.post("/api/analyze", json={"text": big}).status_code == 413
        assert client.post("/api/documents", json={"text": big}).status_code == 413
        files = {"file": ("big.txt", big.encode(), "text/plain")}
        assert client.post("/api/analyze/upload", files=files).status_code == 413

        def chunked():  # no Content-Length: the limit must hold on the stream itself
            for _ in range(100):
                yield b"y" * 1000

        r = client.post("/api/analyze", content=chunked(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        assert client.get("/api/health").status_code == 200  # the server is still answering


def test_web_attacks_lying_content_length(server):
    """A Content-Length under the limit followed by more bytes than it says: refused or cut, never accepted whole."""
    base, _, _ = server
    port = int(base.rsplit(":", 1)[1])
    body = json.dumps({"text": "Officials in Sumy said " + "z" * 60_000}).encode()
    head = (f"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: 100\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + body)
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    status = reply.split(b" ", 2)[1] if reply.startswith(b"HTTP/") else b""
    assert status in (b"400", b"413", b"422"), reply[:200]


def test_web_attacks_upload_names_never_become_paths(server, tmp_path):
    base, _, _ = server
    names = ["../../../../tmp/discern-pwned.txt", "/tmp/discern-pwned2.txt", "..\\..\\discern-pwned3.txt",
             "a/../../discern-pwned4.txt\x00.png", "discern-pwned5.txt\n../../x"]
    cwd_before = set(os.listdir("."))
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        for name in names:
            r = client.post("/api/analyze/upload", files={"file": (name, b"Officials in Sumy said all was calm.",
                                                                   "text/plain")})
            assert r.status_code in (200, 400, 422), (name, r.status_code)
            for doc in r.json().get("documents", []) if r.status_code == 200 else []:
                assert "/" not in doc["source"]["path"] and "\\" not in doc["source"]["path"]
    for leaked in ("/tmp/discern-pwned.txt", "/tmp/discern-pwned2.txt", "/discern-pwned3.txt"):
        assert not Path(leaked).exists()
    assert set(os.listdir(".")) == cwd_before


# -- address checks -------------------------------------------------------------------------------------------
PRIVATE_URLS = [
    "http://127.0.0.1/feed.xml", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
    "http://0.0.0.0/", "http://10.0.0.1/rss", "http://10.255.255.254:8080/", "http://172.16.0.1/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1%25eth0]/", "http://[fd00::1]/", "http://localhost/", "http://LOCALHOST./", "http://100.64.0.1/",
    "https://127.0.0.1:443/", "http://user:pass@127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/",
    "http:///etc/passwd",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_web_attacks_private_addresses_refused_e110(url):
    with pytest.raises(ReadError) as err:
        check_public_url(url)
    assert err.value.code == "E110"


def test_web_attacks_dns_name_resolving_to_loopback_refused(monkeypatch):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "feeds.evil.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(ReadError) as err:
        check_public_url("http://feeds.evil.example/rss.xml")
    assert err.value.code == "E110" and "127.0.0.1" in err.value.reason


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Internal</title><item><title>secret'
                b"</title><description>Internal secret: the admin password is hunter2.</description></item>"
                b"</channel></rss>")
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_server():
    _Recorder.hits = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()


def test_web_attacks_cli_feed_url_on_loopback_never_fetched(internal_server):
    """``discern analyze http://127.0.0.1:PORT/feed`` and ``http://localhost:PORT``: E110, exit 1, no request."""
    port = internal_server
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "discernment", "analyze", f"http://127.0.0.1:{port}/feed.xml",
                           f"http://localhost:{port}/rss", "--set", "pipeline.components=[]"],
                          capture_output=True, timeout=120, env=env)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stdout == b""
    assert proc.stderr.decode().count("[E110]") == 2
    assert _Recorder.hits == []


def test_web_attacks_fetch_endpoint_never_reaches_loopback(server, internal_server):
    base, _, _ = server
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        for host in ("127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"):
            r = client.post("/api/analyze", json={"fetch": f"http://{host}:{internal_server}/feed.xml"})
            assert r.status_code == 422, (host, r.text)
    assert _Recorder.hits == []


def test_web_attacks_dns_rebinding_between_check_and_connect(monkeypatch, internal_server):
    """The name is resolved once, checked, and that address is the one connected to (fixed in ingest/fetch.py)."""
    from discernment.ingest.fetch import fetch_url

    real, calls = socket.getaddrinfo, []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.evil.example":
            calls.append(host)
            address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        fetch_url(f"http://rebind.evil.example:{internal_server}/feed.xml", 5, 100_000)
    except ReadError:
        pass
    assert _Recorder.hits == []


def test_web_attacks_fetch_connects_to_the_checked_address_with_the_original_host(monkeypatch, internal_server):
    """The pinned request reaches the checked address and still names the original host (Host header)."""
    from discernment.ingest import fetch

    Headers = []
    monkeypatch.setattr(fetch, "check_public_url", lambda url, allow_private=False: "127.0.0.1")
    original = _Recorder.do_GET

    def recording(self):
        Headers.append(self.headers.get("Host"))
        original(self)

    monkeypatch.setattr(_Recorder, "do_GET", recording)
    data = fetch.fetch_url(f"http://pinned.invalid:{internal_server}/feed.xml?a=1", 5, 100_000)
    assert b"Internal secret" in data
    assert _Recorder.hits == ["/feed.xml?a=1"] and Headers == [f"pinned.invalid:{internal_server}"]


def test_web_attacks_lone_surrogate_in_json_body_is_a_client_error(server):
    base, _, _ = server
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in ("/api/analyze", "/api/documents"):
            r = client.post(path, content=b'{"text": "Officials in Kyiv said \\ud800 nothing."}',
                            headers={"Content-Type": "application/json"})
            assert 400 <= r.status_code < 500, (path, r.status_code)
