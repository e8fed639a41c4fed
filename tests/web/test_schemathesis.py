"""Property-based tests of the whole REST API from its OpenAPI schema (schemathesis): no input gives a 5xx.

Bounded: a few examples per operation, on a store of its own (writes go there, not to the shared one). Host
lookups are answered with 127.0.0.1 so a generated ``fetch`` URL is refused without touching the network.
"""

from __future__ import annotations

import socket

import pytest
from hypothesis import HealthCheck, given, settings

from .conftest import FakeAnalyzer, overlap_document, xss_document

pytestmark = pytest.mark.slow  # ~200 generated requests
schemathesis = pytest.importorskip("schemathesis", reason="the schemathesis package is not installed")


def _loopback_only(host, port, *args, **kwargs):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port or 80))]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from discernment.store import Store
    from discernment.web import WebSettings, create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 's.db'}")
    store.ingest([overlap_document(), xss_document()], store.start_run("hand-built", {}), "hand-built")
    # schemathesis sends Host "testserver", which a loopback server refuses (421) unless it is allowed.
    app = create_app(store, WebSettings(token_env="", max_body_bytes=200_000, allowed_hosts=("testserver",)),
                     analyzer_factory=FakeAnalyzer)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("discernment.ingest.fetch.socket.getaddrinfo", _loopback_only)
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()


def test_schemathesis_no_server_errors(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code} "
                                f"{response.text[:200]}")

        check()
    assert failures == []
