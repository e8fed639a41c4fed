"""A record without an outlet takes its URL's host (without www.) as outlet when it is read, so the analysis
JSON and the store agree (it used to be read as null and stored as null in source_outlet)."""

from __future__ import annotations

import json

from discernment.ingest import ReadOptions, read_inputs
from discernment.ingest.base import make_document, url_host


def test_outlet_from_url_when_the_record_has_none(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Kyiv said the city held.", "url": "https://www.bbc.co.uk/news/1"}) + "\n"
                    + json.dumps({"text": "Odesa was quiet.", "url": "https://tass.com/x", "outlet": "TASS"}) + "\n",
                    encoding="utf-8")
    from discernment.config import Config

    docs = list(read_inputs([str(path)], ReadOptions.from_config(Config.load())))
    assert [d.source.outlet for d in docs] == ["bbc.co.uk", "TASS"]


def test_outlet_option_wins_over_the_url_host():
    doc = make_document("Text.", ReadOptions(defaults={"outlet": "Given"}), None, url="https://www.x.org/1")
    assert doc.source.outlet == "Given"
    assert make_document("Text.", ReadOptions(), None).source.outlet is None
    assert url_host("javascript:alert(1)") is None and url_host("http://[::1") is None
