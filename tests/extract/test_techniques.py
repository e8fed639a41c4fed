"""techniques.v1: window planning, span decoding (offsets, merging, window edges) and the component."""

from __future__ import annotations

import numpy as np
import pytest

from discernment.extract.technique_model import (
    TECHNIQUES,
    TechniqueModel,
    decode_spans,
    repetition_features,
    window_owner,
    window_starts,
)
from discernment.model import Document


def test_techniques_labels_match_the_ptc_inventory():
    assert len(TECHNIQUES) == 14 and len(set(TECHNIQUES)) == 14
    assert "Name_Calling,Labeling" in TECHNIQUES and "Whataboutism,Straw_Men,Red_Herring" in TECHNIQUES


def test_techniques_window_starts_cover_every_token():
    for n in (0, 1, 10, 254, 255, 1000, 1234):
        starts = window_starts(n, 254, 32)
        covered = np.zeros(n, dtype=bool)
        for s in starts:
            covered[s : s + 254] = True
        assert covered.all()
        assert starts == sorted(starts) and starts[0] == 0


def test_techniques_window_owner_prefers_the_window_centre():
    starts = window_starts(20, 8, 4)  # [0, 4, 8, 12]
    owner = window_owner(starts, 8, 20)
    assert owner[0] == 0 and owner[19] == len(starts) - 1
    # token 6 sits at position 6 of window 0 (margin 1) and position 2 of window 1 (margin 2)
    assert owner[6] == 1


def test_techniques_decode_spans_offsets_merge_and_widen():
    text = "They are traitors and liars, said the man."
    # tokens: words with their offsets; "traitors" split in two pieces, only the second scored high
    words = [(0, 4), (5, 8), (9, 14), (14, 17), (18, 21), (22, 27), (27, 28), (29, 33), (34, 37), (38, 41), (41, 42)]
    offsets = np.asarray(words)
    scores = np.zeros(len(words))
    scores[[3, 5]] = 0.9  # "ors" and "liars"
    spans = decode_spans(text, offsets, scores, threshold=0.5, merge_gap=0)
    assert [(text[s.start : s.end]) for s in spans] == ["traitors", "liars"]  # widened to whole words
    merged = decode_spans(text, offsets, scores, threshold=0.5, merge_gap=10)
    assert [(text[s.start : s.end]) for s in merged] == ["traitors and liars"]
    assert merged[0].score == pytest.approx((0.9 + 0.0 + 0.9) / 3)  # mean over every token of the span
    assert decode_spans(text, offsets, scores, threshold=0.95) == []


def test_techniques_decode_spans_does_not_merge_across_lines():
    text = "Evil regime\n\nevil regime"
    offsets = np.asarray([(0, 4), (5, 11), (13, 17), (18, 24)])
    spans = decode_spans(text, offsets, np.full(4, 0.9), threshold=0.5, merge_gap=0)
    assert [text[s.start : s.end] for s in spans] == ["Evil regime\n\nevil regime"]  # one run of tokens
    scores = np.asarray([0.9, 0.9, 0.1, 0.9])
    spans = decode_spans(text, offsets, scores, threshold=0.5, merge_gap=50)
    assert [text[s.start : s.end] for s in spans] == ["Evil regime", "regime"]


def test_techniques_repetition_features():
    text = "Make the country great. We will make the country great again."
    first = text.index("make the country great".capitalize())
    later = text.index("make the country great")
    assert repetition_features(text, first, first + 22) == (pytest.approx(np.log1p(1)), 0.0)
    assert repetition_features(text, later, later + 22)[1] == 1.0
    assert repetition_features(text, 0, 2) == (0.0, 0.0)


def test_techniques_spans_exact_across_window_edges(keyword_model):
    # A long text in tiny windows: every "traitors" must come back once, with exact offsets.
    text = " ".join(f"Sentence {i} calls them traitors, Ünïcode “quoted” ok." for i in range(40))
    model = keyword_model(window=12, overlap=3, batch_size=5)
    enc = model.encode([text])[0]
    found = model.techniques(text, enc)
    expected = [i for i in range(len(text)) if text.startswith("traitors", i)]
    assert [t.start for t in found] == expected
    assert all(text[t.start : t.end] == t.text == "traitors" for t in found)
    assert {t.technique for t in found} == {"Name_Calling,Labeling"}
    assert max(shape[0] for shape in model.session.calls) <= 5


def test_techniques_encode_batches_several_texts(keyword_model):
    texts = ["", "Nothing here.", "They are traitors. " * 30]
    model = keyword_model(window=16, overlap=4, batch_size=8)
    encoded = model.encode(texts)
    assert [len(e.offsets) for e in encoded][:2] == [0, 3]
    assert model.techniques(texts[0], encoded[0]) == []
    assert len(model.techniques(texts[2], encoded[2])) == 30


def test_techniques_onnx_calls_never_mix_texts(keyword_model):
    # The int8 model scales activations per call: a text's windows share a call only with its own windows.
    texts = ["They are traitors. " * 12, "Short one.", "Traitors again. " * 9]
    model = keyword_model(window=16, overlap=4, batch_size=8)
    seen = []
    run = model._run
    model._run = lambda batch: (seen.append([tuple(x) for x in batch]), run(batch))[1]
    model.encode(texts)
    owners = {}
    for t, text in enumerate(texts):
        for other in model_windows(model, text):
            owners.setdefault(other, set()).add(t)
    for call in seen:
        assert len(set().union(*(owners[w] for w in call))) == 1, "a call mixed windows of different texts"


def model_windows(model, text):
    ids = np.asarray(model.tokenizer.encode(text, add_special_tokens=False).ids, dtype=np.int64)
    starts, content = model._windows(ids)
    return [tuple(np.concatenate([[model._cls], ids[b : b + content], [model._sep]])) for b in starts]


@pytest.mark.slow
def test_techniques_shipped_scores_do_not_depend_on_other_texts():
    model = TechniqueModel.load(None)
    text = "These treacherous traitors lie. The ministry said talks resume on Tuesday."
    others = ["Officials met again and again. " * 200, "Glorious victory! " * 50]
    alone = model.encode([text])[0].scores
    together = model.encode([others[0], text, others[1]])[1].scores
    assert np.array_equal(alone, together)


def test_techniques_classify_gold_spans_top_k(keyword_model):
    text = "They are traitors and cowards."
    model = keyword_model()
    enc = model.encode([text])[0]
    labels = model.classify(text, enc, [(9, 17), (22, 29)], counts=[2, 1])
    assert len(labels[0]) == 2 and len(labels[1]) == 1
    assert labels[0][0] == labels[1][0] == "Name_Calling,Labeling"


@pytest.mark.slow
def test_techniques_component_on_hand_written_text(config):
    from discernment import registry
    from discernment.pipeline import Resources

    import discernment.extract  # noqa: F401  (registers the components)

    component = registry.components.get("techniques.v1")(config, Resources(config))
    assert component.requires == ("doc.text",) and component.assigns == ("doc.techniques",)
    text = (
        "These treacherous, bloodthirsty traitors want to destroy our great and glorious nation!\n\n"
        "The ministry said on Tuesday that talks would resume next week.\n\n"
        + "Officials met again. " * 300
        + "Only cowards and criminals would betray the motherland like this."
    )
    doc = component(Document(text))
    assert doc.techniques, "expected at least one technique span"
    for t in doc.techniques:
        assert doc.text[t.start : t.end] == t.text
        assert t.technique in TECHNIQUES and 0.0 <= t.score <= 1.0
    assert any(t.start < 90 for t in doc.techniques)
    empty = component(Document(""))
    assert empty.techniques == ()
