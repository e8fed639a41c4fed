"""The geo evaluation's split that the hand-added gazetteer data was not fitted on (an invented two-toponym
corpus in LGL's format, scored with a stand-in geoparser)."""

from __future__ import annotations

from types import SimpleNamespace

from discernment.eval.geo import evaluate_geo, extra_names

LGL = """<articles><article><text>Shelling hit Izium and Ukraine said more.</text><toponyms>
<toponym><start>13</start><end>18</end><phrase>Izium</phrase><gaztag><lat>49.21</lat><lon>37.26</lon></gaztag></toponym>
<toponym><start>23</start><end>30</end><phrase>Ukraine</phrase><gaztag><lat>49.0</lat><lon>32.0</lon></gaztag></toponym>
</toponyms></article></articles>"""


def test_hand_added_names_are_the_fitted_part():
    names = extra_names()
    assert {"ukraine", "united states", "north america"} <= names  # countries and continents: points set by hand
    assert "izium" not in names and "balakliia" not in names


def test_unfitted_split_leaves_out_toponyms_the_hand_added_rows_name(tmp_path):
    (tmp_path / "lgl.xml").write_text(LGL, encoding="utf-8")

    def run(doc):  # Izium found at its point, Ukraine 600 km off
        doc.places = [SimpleNamespace(start=13, end=18, lat=49.21, lon=37.26),
                      SimpleNamespace(start=23, end=30, lat=50.0, lon=40.0)]
        return doc

    every = evaluate_geo(tmp_path, corpora=("lgl",), analyzer=run)["lgl"]
    unfitted = evaluate_geo(tmp_path, corpora=("lgl",), analyzer=run, split="unfitted")["lgl"]
    assert (every["toponyms"], every["acc161"]) == (2, 0.5)
    assert (unfitted["toponyms"], unfitted["acc161"]) == (1, 1.0)
