"""A learned cue finder for ``quotes.v1``, after Citron (BBC): two small logistic regressions over the spaCy parse.

1. Cue: is this verb the cue of an attribution? Features: lemma, word, tag, dependency, its head, its
   children's relations (does it govern a ccomp / xcomp / dobj / prep), its subject's kind, neighbouring
   words, and whether the lemma is on the hand lists of :mod:`cues`.
2. Content: which dependent of the cue is the attributed content? Each option (the ccomp subtree, the xcomp,
   the object, a prepositional object, the host sentence of a parenthetical ...) is scored; the option that
   overlaps the most of the ranker's probability mass is kept (:func:`consensus_pick`).

Weights are trained on PolNeAR's train split by :mod:`discernment.train.quotes` and shipped as
``models/quotes/cue_model.npz`` (feature names and weights); inference needs only numpy and dict look-ups.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources as importlib_resources

import numpy as np

from ..lexicon import words as lexicon_words
from .cues import ATTITUDE_VERBS, OBJECT_CUES, SPEECH_VERBS, is_aspectual, is_sign_off, relays_a_speaker

CANDIDATE_POS = ("VERB",)
# Nouns and adjectives that can head an attribution ("criticism of X", "the claim that X", "is eager to X"):
# candidates when they govern something that could be the content.
NOMINAL_POS = ("NOUN", "PROPN", "ADJ")
_NOMINAL_CONTENT = frozenset(("prep", "acl", "ccomp", "xcomp", "advcl"))
_CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "attr", "oprd", "advcl", "acomp", "acl")


def is_candidate(tok) -> bool:
    """A verb, except "according" in "according to" (the rules read that one); a noun or adjective that
    governs a prepositional phrase, a clause or an infinitive."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return False
    if tok.pos_ in CANDIDATE_POS:
        return not is_aspectual(tok) and not relays_a_speaker(tok)
    return tok.pos_ in NOMINAL_POS and any(c.dep_ in _NOMINAL_CONTENT for c in tok.children)


def _subject_kind(tok) -> str:
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.pos_ == "PRON":
                return f"{child.dep_}:{child.lower_}"
            return f"{child.dep_}:{child.pos_}:{child.ent_type_ or '-'}"
    return "nosubj"


def token_features(tok, in_quote: bool = False) -> list[str]:
    """Feature names of one candidate cue token."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    nxt2 = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
    deps = sorted({c.dep_ for c in tok.children})
    subj = _subject_kind(tok)
    feats = [
        "bias", f"l={lemma}", f"w={tok.lower_}", f"t={tok.tag_}", f"pos={tok.pos_}", f"lpos={lemma}|{tok.pos_}",
        f"d={tok.dep_}", f"hp={tok.head.pos_}",
        f"hd={tok.dep_}>{tok.head.dep_}", f"s={subj}", f"ls={lemma}|{subj.split(':')[0]}",
        f"pw={prev.lower_ if prev is not None else '<s>'}", f"nw={nxt.lower_ if nxt is not None else '</s>'}",
        f"pt={prev.tag_ if prev is not None else '<s>'}", f"nt={nxt.tag_ if nxt is not None else '</s>'}",
        f"nw2={nxt.lower_ if nxt is not None else ''}_{nxt2.lower_ if nxt2 is not None else ''}",
        f"q={in_quote}", f"lq={lemma}|{in_quote}",
    ]
    feats += [f"ld={lemma}|{tok.dep_}", f"lt={lemma}|{tok.tag_}", f"hh={tok.head.head.lemma_.lower()}|{tok.dep_}"]
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            feats += [f"sl={child.lemma_.lower()}", f"lsl={lemma}|{child.lemma_.lower()}"]
            break
    if tok.dep_ in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl"):
        feats.append(f"hl={tok.head.lemma_.lower()}|{tok.dep_}")
    for dep in deps:
        feats.append(f"c={dep}")
        feats.append(f"lc={lemma}|{dep}")
    for child in tok.children:
        if child.dep_ in ("prep", "prt", "dative", "agent"):
            feats.append(f"cp={child.dep_}:{child.lower_}")
            feats.append(f"lcp={lemma}|{child.lower_}")
        elif child.dep_ == "ccomp":
            marks = [g.lower_ for g in child.children if g.dep_ == "mark"]
            feats.append(f"cm={marks[0] if marks else '-'}")
        elif child.dep_ in ("dobj", "xcomp"):
            feats.append(f"co={child.dep_}:{child.pos_}:{child.tag_}")
    for name, words in (("speech", SPEECH_VERBS), ("attitude", ATTITUDE_VERBS), ("object", OBJECT_CUES)):
        if lemma in words:
            feats.append(f"list={name}")
            feats.append(f"list={name}|{subj.split(':')[0]}")
    return feats


# Words that open an adjunct, never what a cue says: "announced on Thursday, after visiting the plant"
# (resources/en/cue_model.toml).
_ADJUNCT_OPENERS = lexicon_words("adjunct_openers", file="cue_model")


def content_options(tok) -> list[tuple[str, int, int]]:
    """(option name, first token index, end token index) for every span that could be the cue's content."""
    out: list[tuple[str, int, int]] = []
    sent = tok.sent
    for child in tok.children:
        dep = child.dep_
        if dep in _CONTENT_DEPS:
            out.append((dep, child.left_edge.i, child.right_edge.i + 1))
            if dep in ("ccomp", "xcomp") and child.i > tok.i and child.right_edge.i + 1 < sent.end:
                out.append((f"{dep}+rest", child.left_edge.i, _sentence_end(sent)))
        elif dep == "nsubjpass":
            out.append(("subjpass", child.left_edge.i, child.right_edge.i + 1))
        elif dep in ("prep", "dative", "agent"):
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                out.append((f"prep:{child.lower_}", objs[0].left_edge.i, objs[0].right_edge.i + 1))
    right = [c for c in tok.children if c.i > tok.i and not c.is_punct and c.dep_ not in ("cc", "conj", "mark")]
    if len(right) > 1:  # "likened RT to the BBC": the object and what follows it, up to a comma
        first = right[0].left_edge.i
        out.append(("span", first, cut_at_comma(tok.doc, first, right[-1].right_edge.i + 1, any_comma=True)))
    if tok.dep_ in ("parataxis", "ROOT", "conj") and tok.i > sent.start:
        host_end = _clause_start(tok)
        if host_end > sent.start + 1:
            out.append(("before", sent.start, host_end))
    if tok.i + 2 < sent.end:
        out.append(("after", tok.i + 1, _sentence_end(sent)))
    if tok.dep_ == "acl" and _postposed_by_comma(tok):
        # "<clause>, the regional governor, Anton Belov, announced on Friday": the parser made the cue a
        # participle of its own speaker, who hangs on the clause as an apposition
        comma = tok.head.left_edge.i - 1
        if comma > sent.start + 2:
            out.append(("before", sent.start, comma))
    elif tok.dep_ in ("relcl", "acl"):
        head = tok.head
        out.append(("head", head.left_edge.i, tok.left_edge.i))
        # "<clause>, IAEA chief Rafael Grossi announced": a trailing cue the parser hung on the clause's last noun
        comma = tok.left_edge.i - 1
        if tok.dep_ == "relcl" and comma > sent.start + 2 and tok.doc[comma].text == ",":
            out.append(("before", sent.start, comma))
    stop = _sign_off_start(tok)
    if stop is not None:  # "..., President Lukashenko said as he met ambassadors, BelTA has learned"
        out = [(name, s, min(e, stop)) for name, s, e in out if s < stop]
    out = [(name, s, e) for name, s, e in out if e > s and not _only_time(tok.doc, s, e)]
    if any(name == "before" for name, _, _ in out):
        # "<clause>, the ministry said Monday, as a crisis continues": after a postposed cue a clause of time or
        # circumstance is no content
        out = [(name, s, e) for name, s, e in out if not _circumstance(tok, name, s)]
    cut = [(f"{name}:cut", s, c) for name, s, e in out if (c := cut_at_comma(tok.doc, s, e)) < e]
    return out + cut


def _postposed_by_comma(tok) -> bool:
    """A subjectless speech verb set off by a comma after a noun phrase that itself follows a comma."""
    doc = tok.doc
    if tok.lemma_.lower() not in SPEECH_VERBS or tok.left_edge.i < 1 or doc[tok.left_edge.i - 1].text != ",":
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return False
    start = tok.head.left_edge.i
    return start > 0 and doc[start - 1].text == ","


def _circumstance(tok, name: str, start: int) -> bool:
    """An adverbial clause after the cue that opens with a conjunction of time or circumstance ("as", "while")."""
    if not name.startswith(("advcl", "after")) or start <= tok.i:
        return False
    first = tok.doc[start]
    if first.is_punct and start + 1 < len(tok.doc):
        first = tok.doc[start + 1]
    return first.lower_ in _ADJUNCT_OPENERS and first.dep_ in ("mark", "advmod", "prep")


def _sign_off_start(tok) -> int | None:
    """The index of the comma before a wire's sign-off later in the cue's sentence ("..., BelTA has learned"):
    no content runs into it."""
    for t in tok.doc[tok.i + 1:tok.sent.end]:
        if is_sign_off(t):
            subj = next(c for c in t.children if c.dep_ == "nsubj")
            return subj.left_edge.i - 1
    return None


def _only_time(doc, start: int, end: int) -> bool:
    """A span that only says when, or when and under what circumstances ("on Thursday", "last week", "on
    Thursday, after visiting the plant"): no content ("..., Grossi announced on Thursday, after visiting ...")."""
    i = start
    while i < end and (doc[i].is_punct or doc[i].pos_ in ("ADP", "DET") or doc[i].ent_type_ in ("DATE", "TIME")):
        if doc[i].lower_ in _ADJUNCT_OPENERS and i > start:
            break
        i += 1
    if i == start:
        return False
    return i == end or doc[i].lower_ in _ADJUNCT_OPENERS


# Words after a comma that open a clause or aside left out of the content (", which ...", ", including ...").
_NONRESTRICTIVE = lexicon_words("nonrestrictive", file="cue_model")


def cut_at_comma(doc, start: int, end: int, any_comma: bool = False) -> int:
    """The end of a span cut before ", which ...", ", including ...", an apposition or a participle clause
    that PolNeAR leaves out of the content (``any_comma``: before any comma); ``end`` when there is none."""
    for i in range(start + 1, end - 1):
        tok = doc[i]
        if tok.text not in (",", "--", "—", "–", ";"):
            continue
        nxt = doc[i + 1]
        if any_comma or (nxt.lower_ in _NONRESTRICTIVE or nxt.tag_ in ("WDT", "WP", "WP$", "VBG", "VBN")
                or nxt.dep_ in ("appos", "relcl", "acl") or nxt.head.dep_ in ("appos", "relcl", "acl")):
            return i
    return end


def _sentence_end(sent) -> int:
    end = sent.end
    while end > sent.start and sent.doc[end - 1].is_punct:
        end -= 1
    return end


def _clause_start(tok) -> int:
    """The first token of the cue's own clause (its subject and auxiliaries), for "..., he said."."""
    start = tok.i
    for child in tok.children:
        if child.i < tok.i and child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "advmod", "neg", "punct"):
            start = min(start, child.left_edge.i)
    while start > tok.sent.start and tok.doc[start - 1].is_punct:
        start -= 1
    return start


def content_features(tok, name: str, start: int, end: int) -> list[str]:
    """Feature names of one content option of a cue: its kind, length, edges, and which of the cue's own
    dependents it takes in."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    kind = name.split(":")[0]
    length = end - start
    bucket = str(min(int(np.log2(length)), 6))
    side = "right" if start > tok.i else "left"
    sent_end = _sentence_end(tok.sent)
    nxt = doc[end] if end < len(doc) else None
    after = "end" if end >= sent_end else (nxt.text if nxt.is_punct else nxt.dep_)
    feats = ["bias", f"o={name}", f"k={kind}", f"lo={lemma}|{name}", f"do={tok.dep_}|{name}", f"b={name}|{bucket}",
             f"side={name}|{side}", f"po={doc[start].pos_}|{name}", f"fw={doc[start].lower_}|{name}",
             f"so={_subject_kind(tok).split(':')[0]}|{name}", f"nx={name}|{after}",
             f"cm={name}|{any(t.text == ',' for t in doc[start:end])}"]
    for child in tok.children:
        if child.is_punct or child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg"):
            continue
        label = f"{child.dep_}:{child.lower_}" if child.dep_ in ("prep", "prt", "dative", "agent") else child.dep_
        inside = start <= child.i < end
        feats.append(f"inc={name}|{label}|{inside}")
    return feats


def group_features(options: list[tuple[str, int, int]]) -> list[list[str]]:
    """Features that compare an option with the cue's other options: is it the shortest or the longest, how
    many options share its span, how many options there are."""
    lengths = sorted({e - s for _, s, e in options})
    spans: dict[tuple[int, int], int] = {}
    for _, s, e in options:
        spans[(s, e)] = spans.get((s, e), 0) + 1
    out = []
    for name, s, e in options:
        kind = name.split(":")[0]
        rank = lengths.index(e - s)
        pos = "only" if len(lengths) == 1 else "min" if rank == 0 else "max" if rank == len(lengths) - 1 else "mid"
        out.append([f"lr={pos}|{kind}", f"lrn={pos}|{name}", f"dup={min(spans[(s, e)], 3)}|{kind}",
                    f"no={min(len(options), 8)}"])
    return out


def option_features(tok, options: list[tuple[str, int, int]]) -> list[list[str]]:
    """The ranker's features of each content option of a cue: its own (:func:`content_features`) and how it
    compares with the others (:func:`group_features`). Training and inference both read them here."""
    return [content_features(tok, *option) + extra for option, extra in zip(options, group_features(options))]


class CueModel:
    """The cue regression (``cue_probability`` for a token) and the content ranker (``best_content`` for a
    cue)."""

    def __init__(self, cue_weights: dict[str, float], content_weights: dict[str, float]):
        self.cue_weights = cue_weights
        self.content_weights = content_weights

    @classmethod
    def from_npz(cls, path) -> "CueModel":
        data = np.load(path, allow_pickle=False)
        cue = dict(zip(data["cue_names"].tolist(), data["cue_weights"].astype(float).tolist()))
        content = dict(zip(data["content_names"].tolist(), data["content_weights"].astype(float).tolist()))
        return cls(cue, content)

    def cue_probability(self, tok, in_quote: bool = False) -> float:
        get = self.cue_weights.get
        score = sum(get(f, 0.0) for f in token_features(tok, in_quote))
        return 1.0 / (1.0 + np.exp(-score))

    def best_content(self, tok) -> tuple[str, int, int] | None:
        """The content option of a cue most likely to match the gold content: see :func:`consensus_pick`."""
        get = self.content_weights.get
        options = content_options(tok)
        if not options:
            return None
        scores = [sum(get(f, 0.0) for f in feats) for feats in option_features(tok, options)]
        return options[consensus_pick(options, scores)]


# Minimum-risk choice of the content (chosen on the held-out part of train, F1 0.744 -> 0.748): the ranker's
# scores are tempered by this factor before the softmax ...
CONSENSUS_TEMPERATURE = 0.7
# ... and an option is credited with the probability of every option whose span it overlaps at this IoU or more.
CONSENSUS_IOU = 0.5


def _token_iou(a: tuple[str, int, int], b: tuple[str, int, int]) -> float:
    inter = min(a[2], b[2]) - max(a[1], b[1])
    union = max(a[2], b[2]) - min(a[1], b[1])
    return max(inter, 0) / union if union > 0 else 0.0


def consensus_pick(options: list[tuple[str, int, int]], scores: list[float]) -> int:
    """Index of the option to keep: the ranker's softmax (scores times :data:`CONSENSUS_TEMPERATURE`) gives
    each option a probability of being the content; since a quote counts as found when its span overlaps the
    gold one at IoU >= 0.5, pick the option whose span overlaps (token IoU >= :data:`CONSENSUS_IOU`) the most
    probability mass (its own included), ties to the higher-scored option. Several near-identical spans
    ("that X", "that X, and Y") thus outvote one lone rival with a slightly higher score."""
    score = np.asarray(scores, dtype=float) * CONSENSUS_TEMPERATURE
    prob = np.exp(score - score.max())
    prob /= prob.sum()
    mass = [sum(p for other, p in zip(options, prob) if _token_iou(option, other) >= CONSENSUS_IOU)
            for option in options]
    return int(np.argmax(np.asarray(mass) + 1e-9 * prob))


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel:
    path = importlib_resources.files("discernment") / "models" / "quotes" / "cue_model.npz"
    with importlib_resources.as_file(path) as real:
        return CueModel.from_npz(real)
