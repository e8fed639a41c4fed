"""Training for ``quotes.v1``'s cue classifier on PolNeAR's train split (never dev or test).

    .venv/bin/python -m discernment.train.quotes ../shared/data/polnear /tmp/polnear-train.pkl \
        src/discernment/models/quotes/cue_model.npz

Steps: parse the split once (parse.v1 + entities.v1; the parsed spaCy docs and entity layers are cached to a
file outside the repository so later runs skip the parse), label every candidate token as
cue / not cue from the gold Cue spans and fit a logistic regression over the features of
:func:`discernment.extract.cue_model.token_features`; fit the content ranker over the options of every gold
cue (:func:`fit_ranker`); write both sets of weights as .npz next to the model card.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

from ..eval.quotes import _iou, build_quote_pipeline, load_polnear
from ..extract.cue_model import CueModel, content_options, is_candidate, option_features, token_features
from ..extract.quotemarks import find_quoted_spans
from ..model import Document, Source

DEFAULT_OUT = Path(__file__).parents[1] / "models" / "quotes" / "cue_model.npz"


def parse_split(data_dir: str | Path, split: str, cache: str | Path) -> list[tuple]:
    """(article, spaCy doc, entity layer) for every article of a split, parsed once and cached in ``cache``."""
    cache = Path(cache)
    articles = load_polnear(data_dir, split)
    if cache.exists():
        from spacy.tokens import DocBin

        with cache.open("rb") as fh:
            payload = pickle.load(fh)
        docs = list(DocBin().from_bytes(payload["docbin"]).get_docs(_vocab()))
        return list(zip(articles, docs, payload["entities"]))
    from spacy.tokens import DocBin

    pipeline = build_quote_pipeline()
    front = pipeline.components[:-1]
    out = []
    batch = [Document(a.text, source=Source(published=a.published)) for a in articles]
    stream = batch
    for comp in front:
        stream = list(comp.pipe(stream))
    docbin = DocBin(store_user_data=False)
    for doc in stream:
        docbin.add(doc.cache["spacy"])
    with cache.open("wb") as fh:
        pickle.dump({"docbin": docbin.to_bytes(), "entities": [d.entities for d in stream]}, fh)
    for article, doc in zip(articles, stream):
        out.append((article, doc.cache["spacy"], doc.entities))
    return out


def _vocab():
    import spacy

    return spacy.blank("en").vocab


def _cue_head(sdoc, cue: tuple) -> int | None:
    """The token of a gold Cue span that heads it (a verb whose head lies outside the span)."""
    span = sdoc.char_span(cue[0][0], cue[-1][1], alignment_mode="expand")
    if span is None:
        return None
    verbs = [t for t in span if is_candidate(t)]
    outer = [t for t in verbs if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    pick = outer or verbs
    return pick[0].i if pick else None


def _in_quote_mask(sdoc) -> list[bool]:
    mask = [False] * len(sdoc)
    for q in find_quoted_spans(sdoc.text):
        span = sdoc.char_span(q.start, q.end, alignment_mode="contract")
        if span is not None:
            for i in range(span.start, span.end):
                mask[i] = True
    return mask


def examples(parsed: list[tuple]) -> tuple[list, list, list]:
    """Cue examples (features, label) over every candidate token, and content groups: for each gold cue, the
    features of each of its options and the option's character IoU with the gold content."""
    cue_x, cue_y, groups = [], [], []
    for article, sdoc, _ in parsed:
        heads = {}
        for gold in article.attributions:
            if gold.cue:
                head = _cue_head(sdoc, gold.cue)
                if head is not None:
                    heads.setdefault(head, gold)
        mask = _in_quote_mask(sdoc)
        for tok in sdoc:
            if not is_candidate(tok):
                continue
            cue_x.append(token_features(tok, mask[tok.i]))
            cue_y.append(tok.i in heads)
            if tok.i in heads:
                gold = heads[tok.i]
                options = content_options(tok)
                feats = option_features(tok, options)
                ious = [_iou(((sdoc[s].idx, sdoc[e - 1].idx + len(sdoc[e - 1].text)),), gold.content)
                        for _, s, e in options]
                if feats:
                    groups.append((feats, ious))
    return cue_x, cue_y, groups


def fit_ranker(groups: list[tuple[list[list[str]], list[float]]], l2: float = 1.0,
               min_count: int = 2) -> dict[str, float]:
    """A conditional logit over each cue's content options (the options of one cue compete in a softmax; the
    one with the best IoU, when it reaches 0.5, is the target), L2-penalised, fitted with L-BFGS; returns
    feature name -> weight, near-zero weights dropped. Cues with no option at IoU >= 0.5 teach nothing."""
    from collections import Counter

    import scipy.optimize
    import scipy.sparse

    counts = Counter(f for feats, _ in groups for fs in feats for f in set(fs))
    names = [f for f, n in counts.items() if n >= min_count]
    index = {f: i for i, f in enumerate(names)}
    rows, cols, starts, targets = [], [], [], []
    row = 0
    for feats, ious in groups:
        if max(ious) < 0.5:
            continue
        starts.append(row)
        targets.append(row + int(np.argmax(ious)))
        for fs in feats:
            for f in set(fs):
                if f in index:
                    rows.append(row)
                    cols.append(index[f])
            row += 1
    starts.append(row)
    matrix = scipy.sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(row, len(names)))
    bounds = np.array(starts)
    first = bounds[:-1]
    group = np.repeat(np.arange(len(first)), np.diff(bounds))
    target = np.array(targets)

    def loss_and_grad(w):
        score = matrix @ w
        top = np.maximum.reduceat(score, first)
        expd = np.exp(score - top[group])
        total = np.add.reduceat(expd, first)
        loss = -(score[target] - top - np.log(total)).sum() + 0.5 * l2 * (w @ w)
        prob = expd / total[group]
        prob[target] -= 1.0
        return loss, matrix.T @ prob + l2 * w

    result = scipy.optimize.minimize(loss_and_grad, np.zeros(len(names)), jac=True, method="L-BFGS-B",
                                     options={"maxiter": 500})
    return {name: float(w) for name, w in zip(names, result.x) if abs(w) > 1e-3}


def fit(x: list[list[str]], y: list[bool], c: float = 1.0, min_count: int = 2) -> dict[str, float]:
    """A logistic regression over binary features (scikit-learn, training only); returns name -> weight,
    with the intercept folded into "bias" and near-zero weights dropped."""
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats in x for f in feats)
    keep = {f for f, n in counts.items() if n >= min_count}
    vec = DictVectorizer()
    matrix = vec.fit_transform([{f: 1 for f in feats if f in keep} for feats in x])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix, y)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if abs(w) > 1e-3}
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    return weights


def save(cue: dict[str, float], content: dict[str, float], path: str | Path) -> None:
    np.savez_compressed(
        path,
        cue_names=np.array(list(cue), dtype=str), cue_weights=np.array(list(cue.values()), dtype=np.float32),
        content_names=np.array(list(content), dtype=str),
        content_weights=np.array(list(content.values()), dtype=np.float32),
    )


def train(data_dir: str | Path, cache: str | Path, out: str | Path, c: float = 1.0) -> CueModel:
    parsed = parse_split(data_dir, "train", cache)
    cue_x, cue_y, groups = examples(parsed)
    cue = fit(cue_x, cue_y, c)
    content = fit_ranker(groups)
    save(cue, content, out)
    return CueModel(cue, content)


if __name__ == "__main__":
    train(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else DEFAULT_OUT)
