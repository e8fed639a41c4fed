"""Fixtures for the web tests: one store per session, filled from examples/ (analysed for real) and hand-built
documents (overlapping spans of every layer, and a hostile article), plus the app and a live server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from discernment.model import (
    Claim, Claimant, Document, Entity, Event, EventPlace, Mention, Place, Quantity, Quote, Source,
    Technique, TextSpan,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
# Outlet and date for each example (the files carry neither), so ledger, timeline and sources have variety.
EXAMPLE_META = {
    "state-media-report.txt": ("TASS", "2024-11-20"),
    "wire-report.txt": ("Reuters", "2024-11-21"),
    "ukrainian-outlet-report.txt": ("Ukrainska Pravda", "2024-11-21"),
    "opinion-blog.md": ("Frontline Blog", "2024-11-22"),
    "think-tank-page.html": ("ISW", "2024-11-22"),
    "feed.xml": (None, None),
}

OVERLAP_TEXT = ("Russia's Defence Ministry said its forces had \u201cliberated the heroic town of Kupyansk\u201d "
                "and killed over 2,000 Ukrainian soldiers. Kyiv denied it.")

XSS_TEXT = (
    "Shelling hit Izium <script>window.__pwned = 'script'</script> overnight, officials said. "
    "<img src=x onerror=\"window.__pwned = 'img'\"> Residents fled. "
    "<a href=\"javascript:window.__pwned='link'\">Read more</a> "
    "\"><svg onload=\"window.__pwned='svg'\"></svg> and </textarea><iframe src=\"javascript:alert(1)\"></iframe> "
    "{{ 7*7 }} ${alert(1)} </mark><b onmouseover=\"window.__pwned='hover'\">bold</b>."
)
XSS_PAYLOAD = "<img src=x onerror=\"window.__pwned='meta'\">"


def overlap_document() -> Document:
    """Every layer, overlapping: a claim holding a quote holding a technique and a place, a claimant, entities."""
    t = OVERLAP_TEXT
    q0 = t.index("\u201c")
    q1 = t.index("\u201d") + 1
    claim_end = t.index("soldiers.") + len("soldiers.")
    k = t.index("Kupyansk")
    kyiv = t.index("Kyiv")
    tech = t.index("heroic town")
    who = t.index(" said")
    qty = t.index("over 2,000")
    return Document(
        t, source=Source(outlet="RIA Novosti", published="2024-11-23", title="Overlaps of every kind"),
        entities=[Entity(0, who, t[0:who], "ORG", "Russian Ministry of Defence"), Entity(k, k + 8, "Kupyansk", "GPE",
                                                                                         "Kupiansk")],
        places=[Place(k, k + 8, "Kupyansk", "Kupiansk", 49.71, 37.62, "UA", "Kharkiv Oblast", 703656, "PPLA2", 0.9),
                Place(kyiv, kyiv + 4, "Kyiv", "Kyiv", 50.45, 30.52, "UA", "Kyiv City", 703448, "PPLC", 0.95)],
        quotes=[Quote(q0, q1, t[q0:q1], "mixed", TextSpan(t.index("said"), t.index("said") + 4, "said"),
                      Mention(0, who, t[0:who], "Russian Ministry of Defence"))],
        claims=[Claim(0, claim_end, t[:claim_end], "territorial_control",
                      Claimant(t[0:who], "Russian Ministry of Defence", 0, who), (), False, 0.9,
                      (Quantity(qty, qty + 10, "over 2,000", 2000.0, 2000.0, None, "soldiers"),),
                      (), (0,))],
        events=[Event("SEIZE", 0, claim_end, "Russian forces", None, EventPlace("Kupyansk", 49.71, 37.62),
                      "2024-11-23", 0, 2000)],
        techniques=[Technique(tech, tech + len("heroic town of Kupyansk\u201d and killed"),
                              t[tech:tech + len("heroic town of Kupyansk\u201d and killed")], "Loaded_Language", 0.8),
                    Technique(q0, q0 + 10, t[q0:q0 + 10], "Flag-Waving", 0.5)],
    )


def xss_document() -> Document:
    """A hostile article: script tags, handlers and javascript: links in the text and in every metadata field."""
    t = XSS_TEXT
    izium = t.index("Izium")
    sent_end = t.index("said.") + len("said.")
    b = t.index("<b onmouseover")
    off = t.index("officials")
    return Document(
        t, source=Source(outlet=XSS_PAYLOAD, published="2024-11-24", title=XSS_PAYLOAD, url="javascript:alert(1)",
                         author=XSS_PAYLOAD),
        entities=[Entity(b, b + 20, t[b:b + 20], "ORG", XSS_PAYLOAD)],
        places=[Place(izium, izium + 5, "Izium", XSS_PAYLOAD, 49.21, 37.25, "UA", XSS_PAYLOAD, 707292, "PPL", 0.8)],
        quotes=[Quote(0, sent_end, t[:sent_end], "indirect", None, Mention(off, off + 9, "officials", XSS_PAYLOAD))],
        claims=[Claim(0, sent_end, t[:sent_end], "strike", Claimant("officials", XSS_PAYLOAD, off, off + 9), (XSS_PAYLOAD,), True, 0.7,
                      (), (), (0,))],
        events=[Event("ASSAULT", 0, sent_end, XSS_PAYLOAD, XSS_PAYLOAD, EventPlace(XSS_PAYLOAD, 49.21, 37.25),
                      "2024-11-24", 0, None)],
        techniques=[Technique(b, len(t), t[b:], XSS_PAYLOAD, 0.9)],
    )


def example_documents(analyzer) -> tuple[list[Document], str]:
    """examples/ read and analysed by ``analyzer`` (the session's default pipeline, whatever the team ships)."""
    from discernment.ingest import ReadOptions, read_inputs

    config = analyzer.config
    paths = [str(EXAMPLES / name) for name in EXAMPLE_META]
    docs = []
    for item in read_inputs(paths, ReadOptions.from_config(config)):
        if not isinstance(item, Document):
            continue
        outlet, published = EXAMPLE_META[Path(item.source.path).name]
        item.source = item.source.fill(outlet=outlet, published=published)
        docs.append(item)
    return list(analyzer.pipe(docs)), analyzer.version


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, analyzer):
    from discernment.store import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}")
    analysed, pipeline = example_documents(analyzer)
    store.ingest(analysed, store.start_run(pipeline, {}, "pytest"), pipeline)
    store.ingest([overlap_document(), xss_document()], store.start_run("hand-built", {}, "pytest"), "hand-built")
    yield store
    store.close()


class FakeAnalyzer:
    """Stands in for the real pipeline in write-endpoint tests: adds one entity per capitalised first word."""

    version = "fake.v1"

    def __init__(self):
        from discernment.config import Config

        self.config = Config.load()

    def pipe(self, docs, batch_size=16):
        for doc in docs:
            word = doc.text.split()[0]
            start = doc.text.index(word)
            doc.set_layer("entities", [Entity(start, start + len(word), word, "ORG", word)])
            yield doc


# Requests go to Host 127.0.0.1, as a browser's to a local server do: the server answers only loopback Host
# names (and web.allowed_hosts), so TestClient's default "testserver" would get 421 (DNS rebinding defence).
BASE_URL = "http://127.0.0.1"


def loopback_client(app, **kwargs):
    from fastapi.testclient import TestClient

    return TestClient(app, **{"base_url": BASE_URL, **kwargs})




def make_client(store, **settings):
    from discernment.web import WebSettings, create_app

    app = create_app(store, WebSettings(**{"token_env": "", **settings}), analyzer_factory=FakeAnalyzer)
    return loopback_client(app)


@pytest.fixture(scope="session")
def client(web_store):
    return make_client(web_store)


@pytest.fixture(scope="session")
def doc_ids(web_store):
    return {"overlap": overlap_document().id, "xss": xss_document().id}


@pytest.fixture(scope="session")
def live_server(web_store):
    """The app on uvicorn in a thread, bound to 127.0.0.1 on a free port; yields the base URL."""
    from discernment.web import WebSettings, create_app, free_port, serve_in_background

    port = free_port()
    app = create_app(web_store, WebSettings(port=port, token_env=""), analyzer_factory=FakeAnalyzer)
    running = serve_in_background(app, port=port, start_timeout=15)
    yield running.url
    running.stop(timeout=5)
