"""techniques.v1 second stage: hysteresis decoding, article shift, the lexical token model and its training
helpers (known answers on hand-made scores and texts)."""

from __future__ import annotations

import numpy as np
import pytest

from discernment.extract.technique_lexicon import (
    Lexicon,
    feature_rows,
    fit_lexicon,
    text_words,
    word_feature_names,
    word_of_token,
)
from discernment.extract.technique_model import (
    DecodeSettings,
    combine_scores,
    decode_spans,
    thresholds,
)

TEXT = "one two three four five six seven"
WORDS = [(0, 3), (4, 7), (8, 13), (14, 18), (19, 23), (24, 27), (28, 33)]


def spans_text(text, spans):
    return [text[s.start : s.end] for s in spans]


# ---------------------------------------------------------------------------------------------------- decoding


def test_decode_hysteresis_extends_a_seeded_run_and_drops_unseeded_runs():
    offsets = np.asarray(WORDS)
    scores = np.asarray([0.1, 0.35, 0.6, 0.35, 0.1, 0.35, 0.1])
    plain = decode_spans(TEXT, offsets, scores, threshold=0.5)
    assert spans_text(TEXT, plain) == ["three"]
    hyst = decode_spans(TEXT, offsets, scores, threshold=0.5, extend_threshold=0.3)
    assert spans_text(TEXT, hyst) == ["two three four"]  # "six" reaches 0.3 but has no token at 0.5
    assert hyst[0].score == pytest.approx((0.35 + 0.6 + 0.35) / 3)
    # an extend threshold at or above the start threshold is the plain decoder
    assert decode_spans(TEXT, offsets, scores, threshold=0.5, extend_threshold=0.7) == plain


def test_decode_trims_stray_quote_marks_and_commas():
    text = "the neo-Nazi “Azov” unit, they said"
    offsets = np.asarray([(0, 3), (4, 12), (13, 14), (14, 18), (18, 19), (20, 24), (24, 25), (26, 30), (31, 35)])
    scores = np.asarray([0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["neo-Nazi"]
    scores = np.asarray([0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["neo-Nazi “Azov” unit"]


def test_decode_stops_before_trailing_function_words_and_an_unopened_closing_mark():
    text = "would be “morally repugnant” and would encourage"
    offsets = np.asarray([(0, 5), (6, 8), (9, 10), (10, 17), (18, 27), (27, 28), (29, 32), (33, 38), (39, 48)])
    scores = np.asarray([0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["morally repugnant"]
    scores = np.asarray([0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["“morally repugnant”"]


def test_decode_widens_over_apostrophes_balances_marks_and_cuts_at_sentence_ends():
    text = "Yurash’s peculiar brand. So it’s not “very wise” now"
    words = [(0, 6), (6, 8), (9, 17), (18, 23), (23, 24), (25, 27), (28, 30), (30, 32), (33, 36), (37, 38),
             (38, 42), (43, 47), (47, 48), (49, 52)]
    offsets = np.asarray(words)
    scores = np.asarray([0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["Yurash’s peculiar brand", "So"]
    scores = np.asarray([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1])
    assert spans_text(text, decode_spans(text, offsets, scores, threshold=0.5)) == ["“very wise”"]


def test_decode_hysteresis_then_merge_and_min_chars():
    offsets = np.asarray(WORDS)
    scores = np.asarray([0.6, 0.1, 0.1, 0.1, 0.35, 0.6, 0.1])
    spans = decode_spans(TEXT, offsets, scores, threshold=0.5, extend_threshold=0.3, merge_gap=0)
    assert spans_text(TEXT, spans) == ["one", "five six"]
    merged = decode_spans(TEXT, offsets, scores, threshold=0.5, extend_threshold=0.3, merge_gap=20)
    assert spans_text(TEXT, merged) == ["one two three four five six"]
    assert spans_text(TEXT, decode_spans(TEXT, offsets, scores, 0.5, 0, 4, extend_threshold=0.3)) == ["five six"]


def test_thresholds_extend_only_below_the_start_threshold():
    assert thresholds(DecodeSettings(span_threshold=0.5, extend_threshold=0.2)) == (0.5, 0.2)
    for extend in (0.0, 0.5, 0.8):  # unset, equal or above: plain decoding at the start threshold
        assert thresholds(DecodeSettings(span_threshold=0.5, extend_threshold=extend)) == (0.5, 0.5)


def test_combine_scores_adds_weighted_lexical_logit():
    encoder = np.asarray([0.5, 0.5, 0.9])
    lexical = np.asarray([2.0, -2.0, 0.0])
    assert combine_scores(encoder, None, 0.5) is encoder
    assert combine_scores(encoder, lexical, 0.0) is encoder
    out = combine_scores(encoder, lexical, 0.5)
    assert out == pytest.approx([1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0)), 0.9], rel=1e-4)


# ---------------------------------------------------------------------------------------------------- lexicon


def test_lexicon_word_features_known_names():
    words = ["The", "EVIL", "regime", "!"]
    assert word_feature_names(words, 1) == ["w=evil", "p=the", "n=regime", "pw=the_evil", "wn=evil_regime",
                                            "p2=<s>", "n2=!", "cap", "allcap"]
    assert word_feature_names(words, 3) == ["w=!", "p=regime", "n=<s>", "pw=regime_!", "wn=!_<s>", "p2=evil", "n2=<s>"]
    assert word_feature_names(["Alone"], 0)[:3] == ["w=alone", "p=<s>", "n=<s>"]
    rows = feature_rows(words, 64)
    assert len(rows) == 4 and all(0 <= c < 64 for row in rows for c in row)


def test_lexicon_tokens_take_the_logit_of_their_word():
    text = "Traitors, traitors everywhere"
    words, starts = text_words(text)
    assert words == ["Traitors", ",", "traitors", "everywhere"] and list(starts) == [0, 8, 10, 19]
    # word pieces: "Trait" "ors" "," "traitors" "every" "where"
    offsets = np.asarray([(0, 5), (5, 8), (8, 9), (10, 18), (19, 24), (24, 29)])
    assert list(word_of_token(starts, offsets)) == [0, 0, 1, 2, 3, 3]
    lexicon = Lexicon(np.linspace(-1, 1, 256).astype(np.float32), 0.25)
    word_logits = lexicon.word_logits(words)
    tokens = lexicon.token_logits(text, offsets)
    assert tokens == pytest.approx(word_logits[[0, 0, 1, 2, 3, 3]])
    assert lexicon.token_logits("", np.zeros((0, 2), dtype=np.int64)).shape == (0,)
    assert lexicon.token_logits("   ", np.asarray([(0, 1)])) == pytest.approx([0.25])


def test_fit_lexicon_learns_a_loaded_word_deterministically(tmp_path):
    texts = [f"the {w} said that the {x} were there" for w, x in
             [("minister", "traitors"), ("officer", "thugs"), ("mayor", "traitors"), ("judge", "people")] * 5]
    examples = []
    for text in texts:
        words, starts = text_words(text)
        offsets = np.asarray([(s, s + len(w)) for w, s in zip(words, starts)])
        labels = np.asarray([w in ("traitors", "thugs") for w in words], dtype=float)
        examples.append((text, offsets, labels))
    fit = fit_lexicon(examples, buckets=1 << 12, l2=1e-4, iterations=200, lr=0.1)
    again = fit_lexicon(examples, buckets=1 << 12, l2=1e-4, iterations=200, lr=0.1)
    assert np.array_equal(fit.weights, again.weights) and fit.bias == again.bias
    logits = fit.word_logits(["the", "traitors", "were", "the", "people"])
    assert logits[1] > 0 > logits[4] and logits[1] > logits[0]
    fit.save(tmp_path / "lexicon.npz")
    back = Lexicon.from_arrays(np.load(tmp_path / "lexicon.npz"))
    assert np.array_equal(back.weights, fit.weights) and back.bias == pytest.approx(fit.bias)


# ---------------------------------------------------------------------------------------------------- model


class WordLexicon(Lexicon):
    """A lexicon that gives one word a large logit (and every other word a small negative one)."""

    def __init__(self, word: str, logit: float = 20.0):
        super().__init__(np.zeros(8, dtype=np.float32), -1.0)
        self.word, self.logit = word, logit

    def word_logits(self, words):
        return np.asarray([self.logit if w.lower() == self.word else -1.0 for w in words], dtype=np.float32)


def test_lexicon_weight_adds_spans_with_exact_offsets_across_window_edges(keyword_model):
    text = " ".join(f"Line {i}: traitors and evil, “Ünïcode” ok." for i in range(30))
    traitors = [i for i in range(len(text)) if text.startswith("traitors", i)]
    evil = [i for i in range(len(text)) if text.startswith("evil", i)]
    off = keyword_model("Loaded_Language", WordLexicon("evil"), window=12, overlap=3, batch_size=4)
    enc = off.encode([text])[0]
    assert [s.start for s in off.propaganda_spans(text, enc)] == traitors  # lexical_weight 0: encoder only
    on = keyword_model("Loaded_Language", WordLexicon("evil"), window=12, overlap=3, batch_size=4, lexical_weight=0.5)
    spans = on.propaganda_spans(text, enc)
    assert [s.start for s in spans] == sorted(traitors + evil)
    assert all(text[s.start : s.end] in ("traitors", "evil") for s in spans)
    found = on.techniques(text, enc)
    assert all(text[t.start : t.end] == t.text for t in found) and {t.technique for t in found} == {"Loaded_Language"}


def test_extend_threshold_through_the_model(keyword_model):
    # encoder: "traitors" tokens score 0.9975, others 0.0025; the lexicon lifts "evil" to sigmoid(-6 + 5) = 0.269
    text = "calm words traitors evil calm"
    for extend, expected in ((0.0, "traitors"), (0.2, "traitors evil")):
        model = keyword_model("Loaded_Language", WordLexicon("evil"), lexical_weight=1.0, extend_threshold=extend)
        model.lexicon = WordLexicon("evil", 5.0)
        enc = model.encode([text])[0]
        assert [text[s.start : s.end] for s in model.propaganda_spans(text, enc)] == [expected]


# ---------------------------------------------------------------------------------------------------- tuning


def test_cross_validated_choice_known_answers():
    from discernment.train.techniques import _f1_of_sums, cross_validated_choice

    # sums per (combination, article): precision credit, predicted, recall credit, gold
    perfect = np.tile([1.0, 1.0, 1.0, 1.0], (5, 1))
    half = np.tile([0.5, 1.0, 0.5, 1.0], (5, 1))
    assert _f1_of_sums(perfect) == pytest.approx(1.0) and _f1_of_sums(half) == pytest.approx(0.5)
    result = cross_validated_choice(np.stack([half, perfect]), folds=5)
    assert result["f1"] == pytest.approx(1.0) and result["chosen"] == [1] * 5
    # combination 1 is perfect on article 0 only and useless elsewhere: best on all articles together is 0,
    # and the fold holding article 0 cannot see its one success
    spiky = np.tile([0.0, 1.0, 0.0, 1.0], (5, 1))
    spiky[0] = [1.0, 1.0, 1.0, 1.0]
    result = cross_validated_choice(np.stack([half, spiky]), folds=5)
    assert result["chosen"] == [0] * 5 and result["f1"] == pytest.approx(0.5)
    assert _f1_of_sums(np.zeros((3, 4))) == 0.0
