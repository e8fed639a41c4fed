"""The server's defences from the attacker's side: tokens, cross-origin writes, body limits, Host checks,
URL fetches to private addresses, hostile upload names, escaping and headers."""

from __future__ import annotations

import pytest

from discernment.web.settings import WebSettings, is_loopback_host

from .conftest import XSS_PAYLOAD, make_client

WRITES = [("post", "/api/analyze", {"json": {"text": "Kyiv was calm."}}),
          ("post", "/api/documents", {"json": {"text": "Kyiv was calm."}}),
          ("post", "/api/analyze/upload", {"files": {"file": ("a.txt", b"Kyiv was calm.", "text/plain")}}),
          ("delete", "/api/documents/" + "0" * 64, {})]


@pytest.fixture
def empty_store(tmp_path):
    from discernment.store import Store

    return Store(f"sqlite:///{tmp_path / 's.db'}")


def test_security_loopback_detection():
    assert is_loopback_host("127.0.0.1") and is_loopback_host("::1") and is_loopback_host("localhost")
    assert is_loopback_host("127.8.9.10") and is_loopback_host("[::1]")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("::") and not is_loopback_host("192.168.1.5")
    assert not is_loopback_host("example.org")


@pytest.mark.parametrize("method,path,kwargs", WRITES)
def test_security_writes_refused_off_loopback_without_token(empty_store, method, path, kwargs):
    client = make_client(empty_store, host="0.0.0.0")
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == 403 and "no token is configured" in r.json()["detail"]
    assert client.get("/api/health").json()["writes"] == "disabled"


@pytest.mark.parametrize("method,path,kwargs", WRITES)
def test_security_writes_need_the_token_when_configured(empty_store, method, path, kwargs):
    client = make_client(empty_store, host="0.0.0.0", token="s3cret")
    assert getattr(client, method)(path, **kwargs).status_code == 401
    wrong = getattr(client, method)(path, headers={"Authorization": "Bearer nope"}, **kwargs)
    assert wrong.status_code == 401
    ok = getattr(client, method)(path, headers={"Authorization": "Bearer s3cret"}, **kwargs)
    assert ok.status_code in (200, 404)  # 404: deleting a document that does not exist
    alt = getattr(client, method)(path, headers={"X-Discern-Token": "s3cret"}, **kwargs)
    assert alt.status_code in (200, 404)


def test_security_token_required_on_loopback_too_when_set(empty_store):
    client = make_client(empty_store, token="s3cret")
    assert client.post("/api/analyze", json={"text": "x y"}).status_code == 401


def test_security_reads_never_need_a_token(empty_store):
    client = make_client(empty_store, host="0.0.0.0", token="s3cret")
    assert client.get("/api/claims").status_code == 200
    assert client.get("/documents").status_code == 200


def test_security_token_from_environment(monkeypatch):
    from discernment.config import Config

    monkeypatch.setenv("DISCERN_WEB_TOKEN", "from-env")
    assert WebSettings.from_config(Config.load()).token == "from-env"
    assert WebSettings.from_config(Config.load(), token="given").token == "given"


def test_security_cross_origin_write_refused_on_open_loopback(empty_store):
    client = make_client(empty_store)
    evil = client.post("/api/documents", json={"text": "x y"}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403 and "cross-origin" in evil.json()["detail"]
    null = client.post("/api/analyze", json={"text": "x y"}, headers={"Origin": "null"})
    assert null.status_code == 403
    same = client.post("/api/analyze", json={"text": "x y"}, headers={"Origin": "http://127.0.0.1"})
    assert same.status_code == 200


def test_security_dns_rebinding_host_refused(empty_store):
    client = make_client(empty_store)
    assert client.get("/api/health", headers={"Host": "attacker.example:8000"}).status_code == 421
    assert client.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/health", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/api/health", headers={"Host": "[::1]:8000"}).status_code == 200


def test_security_body_limit(empty_store):
    client = make_client(empty_store, max_body_bytes=1000)
    big = client.post("/api/analyze", json={"text": "word " * 1000})
    assert big.status_code == 413 and "web.max_body_bytes" in big.json()["detail"]
    assert big.headers["content-security-policy"]

    def chunks():
        for _ in range(10):
            yield b"x" * 500

    streamed = client.post("/api/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert client.post("/api/analyze", json={"text": "small text"}).status_code == 200


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://10.0.0.1/", "http://169.254.169.254/latest/",
                                 "http://[::1]/", "http://localhost/", "file:///etc/passwd", "ftp://example.org/",
                                 "http://192.168.0.10/"])
def test_security_fetch_refuses_private_addresses(empty_store, url):
    client = make_client(empty_store)
    r = client.post("/api/analyze", json={"fetch": url})
    assert r.status_code == 422
    assert r.json()["detail"]["code"] == "E110"


def test_security_upload_name_cannot_traverse(empty_store, tmp_path):
    from discernment.web.actions import safe_name

    client = make_client(empty_store)
    r = client.post("/api/analyze/upload", files={"file": ("../../../../tmp/evil\n.txt", b"Kyiv held.", "text/plain")})
    assert r.status_code == 200
    shown = r.json()["documents"][0]["source"]["path"]
    assert "/" not in shown and "\n" not in shown and shown.startswith("evil")
    assert safe_name("..\\..\\windows\\x.html") == "x.html" and safe_name("\x00") == "upload"


def test_security_unsupported_upload_is_a_read_error(empty_store):
    client = make_client(empty_store)
    r = client.post("/api/analyze/upload", files={"file": ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")})
    assert r.status_code == 200 and r.json()["documents"] == [] and r.json()["errors"][0]["code"].startswith("E1")


@pytest.mark.parametrize("path", ["/api/health", "/documents", "/claims", "/static/app.css", "/openapi.json",
                                  "/no/such/page"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("page", ["/doc/{xss}", "/documents", "/claims?limit=500", "/places?limit=500",
                                  "/place/Izium", "/sources", "/search?q=Izium", "/compare"])
def test_security_hostile_text_is_escaped_in_pages(client, doc_ids, page):
    r = client.get(page.format(xss=doc_ids["xss"]))
    assert r.status_code == 200
    body = r.text
    for raw in ("<script>window", "<img src=x", "<svg onload", "<iframe", "<b onmouseover", 'href="javascript:'):
        assert raw not in body, (page, raw)
    assert "<script" not in body.replace('<script src="/static/', "")


def test_security_no_inline_script_or_style_in_templates():
    from importlib import resources

    for path in resources.files("discernment.web").joinpath("templates").iterdir():
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and " on" + "click=" not in text and "style=" not in text, path.name
        for line in text.splitlines():
            if "<script" in line:
                assert 'src="/static/' in line, (path.name, line)


def test_security_payload_constant_is_hostile():
    assert "onerror" in XSS_PAYLOAD


@pytest.mark.parametrize("host", ["testserver", "testserver:80", "attacker.example", "127.0.0.1.evil.example",
                                  "localhost.evil.example:8000"])
def test_security_rebinding_host_cannot_write_even_with_matching_origin(empty_store, host):
    """A page on a name re-pointed at 127.0.0.1 sends its own name as Host and Origin: no read, no write."""
    client = make_client(empty_store)
    headers = {"Host": host, "Origin": f"http://{host}"}
    assert client.get("/api/health", headers=headers).status_code == 421
    assert client.post("/api/analyze", json={"text": "x y"}, headers=headers).status_code == 421
    assert client.post("/api/documents", json={"text": "x y"}, headers=headers).status_code == 421
    assert client.delete("/api/documents/" + "0" * 64, headers=headers).status_code == 421
    assert empty_store.count() == 0


def test_security_allowed_hosts_setting(empty_store):
    client = make_client(empty_store, allowed_hosts=("Discern.Internal.",))
    ok = {"Host": "discern.internal:8000", "Origin": "http://discern.internal:8000"}
    assert client.get("/api/health", headers=ok).status_code == 200
    assert client.post("/api/analyze", json={"text": "x y"}, headers=ok).status_code == 200
    assert client.get("/api/health", headers={"Host": "testserver"}).status_code == 421


def test_security_allowed_hosts_from_config():
    from discernment.config import Config
    from discernment.errors import ConfigError

    assert WebSettings.from_config(Config.load()).allowed_hosts == ()
    config = Config.load(None, ['web.allowed_hosts=["Discern.Internal", "[::2]"]'])
    settings = WebSettings.from_config(config)
    assert settings.allowed_hosts == ("discern.internal", "::2")
    assert settings.host_allowed("discern.internal") and settings.host_allowed("localhost")
    assert not settings.host_allowed("testserver")
    with pytest.raises(ConfigError):
        WebSettings.from_config(Config.load(None, ["web.allowed_hosts=[1]"]))


@pytest.mark.parametrize("url", ["http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[::127.0.0.1]/",
                                 "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/latest/"])
def test_security_fetch_refuses_ipv6_forms_of_private_addresses(empty_store, url):
    client = make_client(empty_store)
    r = client.post("/api/analyze", json={"fetch": url})
    assert r.status_code == 422 and r.json()["detail"]["code"] == "E110"
    assert "non-public address" in r.json()["detail"]["reason"]
