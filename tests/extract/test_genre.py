"""genre.v1: transparent features, URL rules and the shipped logistic regression, on hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from discernment.extract.genre import (
    FEATURES,
    MAX_CHARS,
    GenreModel,
    StyleWordModel,
    SubjectivityModel,
    classify_genre,
    genre_features,
    load_genre_model,
    style_terms,
)
from discernment.model import Document, Source

REPORT = (
    'KYIV, March 3 (Wire) - Two people were killed on Tuesday when a missile hit a warehouse, the regional governor '
    'said. "Rescue work is continuing," he told reporters, according to a statement. Officials reported 14 injured.'
)
OPINION = (
    "I have long believed that we must stop pretending. Why do we keep making the same reckless mistake? "
    "Surely the answer is obvious: our leaders should act, and they should act now. It is simply absurd, "
    "and frankly shameful, that we tolerate this hypocrisy."
)


def test_genre_features_first_person_and_quotes():
    report, opinion = genre_features(REPORT), genre_features(OPINION)
    assert set(report) == set(FEATURES)
    assert opinion["first_singular"] > 0 and report["first_singular"] == 0
    assert opinion["first_plural"] > report["first_plural"]
    assert report["quote_share"] > 0.1 and opinion["quote_share"] == 0
    assert report["attribution"] > opinion["attribution"]
    assert report["numbers"] > 0 and opinion["questions"] > 0
    assert opinion["evaluative"] > 0 and opinion["obligation"] > 0


def test_genre_features_empty_text():
    feats = genre_features("")
    assert all(v == 0 for k, v in feats.items() if k != "sentence_length")


def test_genre_features_opinion_markers():
    report, opinion = genre_features(REPORT), genre_features(OPINION)
    assert opinion["opinion_phrases"] > 0 and report["opinion_phrases"] == 0
    assert opinion["present_copula"] > report["present_copula"]
    assert report["past_copula"] > opinion["past_copula"]
    assert report["dates"] > 0 and opinion["dates"] == 0
    assert opinion["ly_adverbs"] > report["ly_adverbs"]


def test_genre_features_headline_source_and_reporting_verbs():
    assert genre_features("Plant is cut off from the grid after shelling - Zelensky\n\nThe plant...")[
        "headline_source"] == 1.0
    assert genre_features("Takeover of the plant was 'very dangerous': IAEA chief. Rafael Grossi says")[
        "headline_source"] == 1.0
    assert genre_features("Why the West keeps getting Russia wrong\n\nIt is time - past time - to ask.")[
        "headline_source"] == 0.0
    assert genre_features(OPINION)["headline_source"] == 0.0
    report = genre_features("Officials say the bridge was hit. The mayor warns of more strikes, he told us.")
    assert report["reporting_verbs"] == pytest.approx(3 / 15)  # say, warns, told
    assert genre_features(OPINION)["reporting_verbs"] == 0.0


def test_genre_style_terms_skip_capitalised_words():
    terms = style_terms("Putin said on Tuesday that the West isn't wrong, AP reports.")
    assert "said" in terms and "putin" not in terms and "tuesday" not in terms
    assert terms["said on"] == 1 and terms["that the"] == 1 and terms["isn't wrong"] == 1
    assert terms["wrong reports"] == 1  # pairs join the lowercase words in order, over dropped names
    assert not any(t[0].isupper() for term in terms for t in term.split())


def test_genre_style_word_model_scores_normalised_counts():
    model = StyleWordModel({"should": 2.0, "said": -1.0, "we should": 1.0}, 0.5)
    assert model.score("") == 0.5
    # "We" is capitalised: should, act, should act -> norm sqrt(3)
    assert model.score("We should act") == pytest.approx(0.5 + 2.0 / 3 ** 0.5)
    # we, should, act, we should, should act -> norm sqrt(5)
    assert model.score("we should act") == pytest.approx(0.5 + 3.0 / 5 ** 0.5)
    assert model.score("he said") < 0.5
    assert genre_features("we should act", style=model)["style_words"] == pytest.approx(0.5 + 3.0 / 5 ** 0.5)
    assert genre_features("we should act")["style_words"] == 0.0


def test_genre_style_words_fit_learns_register():
    np = pytest.importorskip("numpy")
    from discernment.train.genre import _style_scores, fit_style_words, style_corpus

    texts = ["we should act now and we must", "they should resign and we must say so", "we must not wait",
             "officials said on monday the bridge was hit", "the mayor said two were hurt",
             "police said the fire was out on monday", "the army said it had advanced"]
    y = np.asarray([1, 1, 1, 0, 0, 0, 0])
    words, terms = style_corpus(texts)
    model = fit_style_words(words, y, terms)
    assert model.weights["must"] > 0 > model.weights["said"]
    assert "hurt" not in model.weights  # in one text only: under the document-frequency floor
    scores = _style_scores(model, words, terms)
    assert scores[:3].min() > scores[3:].max()
    assert scores[0] == pytest.approx(model.score(texts[0]), abs=1e-3)


def test_genre_features_subjectivity_from_sentence_model():
    model = SubjectivityModel({"absurd": 4.0, "shameful": 4.0, "killed": -2.0}, -1.0)
    feats = genre_features(OPINION, model)
    assert 0.0 < feats["subjective_mean"] < 1.0
    assert feats["subjective_share"] == pytest.approx(1 / 4)
    assert genre_features(OPINION)["subjective_mean"] == 0.0


def test_genre_features_read_only_the_first_max_chars():
    long_text = OPINION + " " + REPORT * 200
    assert genre_features(long_text) == genre_features(long_text[:MAX_CHARS])


def test_genre_model_orders_hand_written_texts():
    model = load_genre_model()
    assert model.opinion_probability(OPINION) > model.opinion_probability(REPORT)
    assert classify_genre(REPORT, None, model).label == "reporting"
    assert classify_genre(OPINION, None, model).label == "opinion"


def test_genre_url_rules():
    model = GenreModel([0.0] * len(FEATURES), [1.0] * len(FEATURES), [0.0] * len(FEATURES), -5.0)
    assert classify_genre(REPORT, "https://www.theguardian.com/commentisfree/2022/jun/01/x", model).label == "opinion"
    assert classify_genre(REPORT, "https://www.rt.com/op-ed/123-x/", model).label == "opinion"
    assert classify_genre(REPORT, "https://babylonbee.com/news/x", model).label == "satire"
    assert classify_genre(REPORT, "https://www.rt.com/op-ed/123-x/", model, use_url=False).label == "reporting"


def test_genre_component_sets_genre(config):
    from discernment import registry
    from discernment.pipeline import Resources

    import discernment.extract  # noqa: F401

    component = registry.components.get("genre.v1")(config, Resources(config))
    assert component.requires == ("doc.text",) and component.assigns == ("doc.genre",)
    doc = component(Document(OPINION, source=Source(url="https://example.org/news/1")))
    assert doc.genre.label in ("reporting", "opinion", "satire") and 0.0 <= doc.genre.score <= 1.0
    assert component(Document(REPORT)).genre.label == "reporting"


DATA = (Path(__file__).parents[2] / ".." / "shared" / "data" / "ukraine-war-news").resolve()


@pytest.mark.data
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/ukraine-war-news not present")
def test_genre_distant_labels_load():
    from discernment.train.genre import RT_BYLINE, load_examples

    examples = load_examples(DATA)
    assert sum(e.label for e in examples) >= 60
    assert all(e.label in (0, 1) for e in examples)
    assert {e.origin for e in examples if e.label} == {"url section", "rt byline"}
    assert not any(RT_BYLINE.match(e.text) for e in examples)  # the byline is cut from the text


def test_genre_rt_byline_is_a_columnist_name():
    from discernment.train.genre import RT_BYLINE

    assert RT_BYLINE.match("Dmitry Trenin: Six months into the conflict")
    assert not RT_BYLINE.match("Ukraine war: Six months into the conflict")
    assert not RT_BYLINE.match("Heroic Hasbulla: How a Russian internet sensation")


def test_genre_score_is_the_confidence_in_the_label():
    from discernment.extract.genre import label_confidence

    assert label_confidence(0.9, 0.9) == pytest.approx(0.5)
    assert label_confidence(1.0, 0.9) == pytest.approx(1.0)
    assert label_confidence(0.0, 0.9) == pytest.approx(1.0)
    assert label_confidence(0.89, 0.9) == pytest.approx(0.5 + 0.5 * 0.01 / 0.9)  # reporting, barely
    assert label_confidence(0.95, 0.9) == pytest.approx(0.75)
