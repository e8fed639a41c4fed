"""Train the genre model (reporting vs opinion) on distant labels, and a sentence-subjectivity model under it.

Document labels are distant, taken from where the article was published, never from its words:

* the URL section (``/commentisfree/``, ``/opinion(s)/``, ``/think/opinion/``, ``/breakingviews/`` = opinion;
  news sections = reporting) in ``ukraine-war-news`` (full texts from ``r2nery-ukraine-media``, title +
  subheading from ``ruwa``);
* RT's column byline: an RT article whose title starts with the name of one of its regular columnists
  (``"Dmitry Trenin: ..."``) is opinion. The byline prefix is cut from the text before features are computed.

The sentence model is a bag-of-words logistic regression on the subjectivity labels of Färber, Burkard, Jatowt
and Lim (CIKM 2020; sibling folder ``ukraine-news-bias-faerber2020``); only its weights are shipped. Its mean
and share of subjective sentences are two of the document features.

A style-word model (a class-balanced L2 logistic regression over lowercase words and word pairs, fitted by
scipy's Newton-CG on sparse counts) gives one more document feature; it is stacked: inside every training set its
feature values come from inner out-of-fold predictions, so the document model never sees a score of a text that
the word model was fitted on.

The URL is never a feature. Evaluation is by document: out-of-fold predictions of 5 folds (by sha256 of the
URL; the opinion cut tuned by inner cross-validation on the training folds only), repeated over 5 fold
assignments because 75 opinion documents make one assignment noisy, plus the fixed 25% split of v1.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from ..extract.genre import (
    FEATURES,
    OPINION_URL,
    StyleWordModel,
    SubjectivityModel,
    feature_vector,
    style_terms,
    words_of,
)

LABELS = ("reporting", "opinion")
OPINION_SECTION = re.compile(OPINION_URL.pattern + r"|reuters\.com/breakingviews/", re.I)
# URL sections kept as reporting (others, such as sport or film, are left out).
REPORTING_URL = re.compile(
    r"theguardian\.com/(world|uk-news|us-news|politics|business|environment|global-development)/|"
    r"bbc\.(com|co\.uk)/news/|dailymail\.co\.uk/wires/|reuters\.com/(article|world)/|rt\.com/(russia|news)/|"
    r"aljazeera\.com/news/20|msnbc\.com/news/|nbcnews\.com/news/(world|us-news)/[^l]|ukrinform\.net/rubric-",
    re.I)
# RT's regular columnists in 2022: their columns are titled "<Name>: <headline>" and filed under /russia/.
RT_COLUMNISTS = (
    "Dmitry Trenin", "Dmitri Trenin", "Glenn Diesen", "Timofey Bordachev", "Fyodor Lukyanov", "Sergey Poletaev",
    "Vladislav Ugolny", "Ivan Timofeev", "Petr Akopov", "Alexander Nepogodin", "Kirill Teremetsky",
    "Maksim Artemyev", "Maxim Artemyev", "Julia Melnikova", "Mikhail Khodarenok", "Ivan Zuenko", "Hendrik Weber",
    "Vladimir Kornilov", "Vitaly Sovin", "Tarik Cyril Amar", "Rachel Marsden", "Bradley Blankenship")
RT_BYLINE = re.compile(r"^\s*(" + "|".join(RT_COLUMNISTS) + r")\s*:\s*")
PER_SITE_REPORTING = 200
FOLDS = 5
REPEATS = 5  # fold assignments averaged in the repeated cross-validation
STYLE_COLUMN = FEATURES.index("style_words")
STYLE_MIN_DF = 2  # a word or pair must occur in at least this many training documents
STYLE_L2 = 0.3  # chosen by the repeated cross-validation among 0.3, 1 and 3


@dataclass(frozen=True)
class Example:
    url: str
    text: str
    label: int  # 0 reporting, 1 opinion
    source: str  # "full text" or "title+subheading"
    origin: str  # how the label was found: "url section" or "rt byline"


def _site(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url


def _url_label(url: str) -> int | None:
    if OPINION_SECTION.search(url):
        return 1
    if REPORTING_URL.search(url) and "live" not in url:
        return 0
    return None


def _full_text_example(row: dict) -> Example | None:
    url, title, text = row.get("URL") or "", row.get("Title") or "", row.get("Text") or ""
    if len(text) < 200:
        return None
    if "rt.com/" in url and RT_BYLINE.match(title):
        return Example(url, f"{RT_BYLINE.sub('', title)}\n\n{text}", 1, "full text", "rt byline")
    label = _url_label(url)
    return None if label is None else Example(url, f"{title}\n\n{text}", label, "full text", "url section")


def _cap_per_site(examples: list[Example]) -> list[Example]:
    kept, counts = [], {}
    for ex in sorted(examples, key=lambda e: hashlib.sha256(e.url.encode()).hexdigest()):
        key = (_site(ex.url), ex.source, ex.label)
        if ex.label == 0 and counts.get(key, 0) >= PER_SITE_REPORTING:
            continue
        counts[key] = counts.get(key, 0) + 1
        kept.append(ex)
    return kept


def load_examples(data_dir: str | Path) -> list[Example]:
    """Distantly labelled examples from ``ukraine-war-news``, one per URL."""
    root = Path(data_dir)
    csv.field_size_limit(sys.maxsize)
    seen: dict[str, Example] = {}
    for path in sorted((root / "r2nery-ukraine-media").glob("*/*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                ex = _full_text_example(row)
                if ex is not None and ex.url not in seen:
                    seen[ex.url] = ex
    ruwa = root / "ruwa" / "RUWA_04.08.23.csv"
    if ruwa.exists():
        with open(ruwa, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                url, label = row.get("src") or "", _url_label(row.get("src") or "")
                text = f"{row.get('title') or ''}. {row.get('desc') or ''}".strip()
                if label is not None and url not in seen and len(row.get("desc") or "") >= 60:
                    seen[url] = Example(url, text, label, "title+subheading", "url section")
    return _cap_per_site(list(seen.values()))


def _fold(url: str, folds: int = FOLDS, seed: int = 0) -> int:
    key = url if seed == 0 else f"{seed}:{url}"
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[8:16], 16) % folds


def is_held_out(url: str) -> bool:
    return int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 4 == 0


# ------------------------------------------------------------------------------------------- subjectivity


def load_subjectivity_sentences(faerber_dir: str | Path) -> tuple[list[str], np.ndarray]:
    path = Path(faerber_dir) / "all-data-as-csv" / "sentences-with-binary-labels-subj.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 2 and r[1] in ("0", "1")]
    return [r[0] for r in rows], np.asarray([int(r[1]) for r in rows])


def _bag(sentences: list[str], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(sentences), len(vocab)))
    for i, s in enumerate(sentences):
        for t in set(words_of(s)):
            if t in vocab:
                x[i, vocab[t]] = 1.0
    return x


def fit_subjectivity(sentences: list[str], y: np.ndarray, min_count: int = 3, l2: float = 3.0) -> dict:
    """Class-balanced bag-of-words logistic regression over sentences (no standardisation: 0/1 features)."""
    counts: dict[str, int] = {}
    for s in sentences:
        for t in set(words_of(s)):
            counts[t] = counts.get(t, 0) + 1
    vocab = {t: i for i, t in enumerate(sorted(t for t, c in counts.items() if c >= min_count))}
    w, b = _gradient_descent(_bag(sentences, vocab), y, l2, steps=1500, lr=0.5)
    return {"weights": {t: round(float(w[i]), 4) for t, i in vocab.items() if abs(w[i]) >= 1e-3},
            "bias": round(b, 4)}


def evaluate_subjectivity(sentences: list[str], y: np.ndarray) -> dict:
    """5-fold (by sentence hash) F1 of the subjective class at p >= 0.5."""
    fold = np.asarray([_fold(s) for s in sentences])
    pred = np.zeros(len(y), dtype=int)
    for k in range(FOLDS):
        model = SubjectivityModel(**fit_subjectivity([s for s, f in zip(sentences, fold) if f != k], y[fold != k]))
        probs = model.probabilities([s for s, f in zip(sentences, fold) if f == k])
        pred[fold == k] = np.asarray(probs) >= 0.5
    return {"sentences": len(y), "subjective": int(y.sum()), **macro_f1(y, pred)["opinion"]}


# ------------------------------------------------------------------------------------------------ style words


def style_corpus(texts: list[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """L2-normalised counts of every lowercase word and pair of each text (the norm over all of a text's terms,
    as :meth:`StyleWordModel.score` computes it), and the terms in column order. Built once; each fit keeps the
    columns frequent enough in its own training rows."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        counts = style_terms(text)
        norm = float(np.sqrt(sum(v * v for v in counts.values()))) or 1.0
        for term, v in counts.items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(v / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab))), list(vocab)


def fit_style_words(x: sparse.csr_matrix, y: np.ndarray, terms: list[str], l2: float = STYLE_L2) -> StyleWordModel:
    """Class-balanced L2 logistic regression over the style terms that occur in at least ``STYLE_MIN_DF``
    of the rows (summed log loss + l2/2 |w|^2), by scipy's Newton-CG with Hessian-vector products."""
    keep = np.flatnonzero(np.asarray((x > 0).sum(axis=0)).ravel() >= STYLE_MIN_DF)
    xs = x[:, keep].tocsr()
    xt = xs.T.tocsr()
    y = np.asarray(y, dtype=float)
    weight_of = {c: len(y) / (2.0 * max((y == c).sum(), 1)) for c in (0, 1)}
    sw = np.where(y == 1, weight_of[1], weight_of[0])

    def split(params: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        w, b = params[:-1], params[-1]
        return w, b, xs @ w + b

    def loss(params: np.ndarray) -> float:
        w, _, z = split(params)
        return float((sw * (np.logaddexp(0.0, z) - y * z)).sum() + 0.5 * l2 * (w @ w))

    def grad(params: np.ndarray) -> np.ndarray:
        w, _, z = split(params)
        g = sw * (1.0 / (1.0 + np.exp(-z)) - y)
        return np.concatenate([xt @ g + l2 * w, [g.sum()]])

    def hessp(params: np.ndarray, v: np.ndarray) -> np.ndarray:
        _, _, z = split(params)
        p = 1.0 / (1.0 + np.exp(-z))
        d = sw * p * (1.0 - p) * (xs @ v[:-1] + v[-1])
        return np.concatenate([xt @ d + l2 * v[:-1], [d.sum()]])

    result = optimize.minimize(loss, np.zeros(len(keep) + 1), jac=grad, hessp=hessp, method="Newton-CG",
                               options={"maxiter": 100, "xtol": 1e-6})
    w, b = result.x[:-1], float(result.x[-1])
    return StyleWordModel({terms[keep[j]]: round(float(w[j]), 5) for j in np.flatnonzero(np.abs(w) >= 1e-5)},
                          round(b, 5))


def _style_scores(model: StyleWordModel, x: sparse.csr_matrix, terms: list[str]) -> np.ndarray:
    """``model.score`` for every row of ``x`` (rows of :func:`style_corpus`), as one sparse product."""
    w = np.asarray([model.weights.get(t, 0.0) for t in terms])
    return x @ w + model.bias


def stack_style(examples: list[Example], x: np.ndarray, y: np.ndarray, train_: np.ndarray,
                test_: np.ndarray | None = None, seed: int = 0,
                corpus: tuple[sparse.csr_matrix, list[str]] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """``x`` rows of the training and test examples with the style-word column filled: training rows by inner
    4-fold out-of-fold scores, test rows by a style model fitted on all the training rows."""
    words, terms = corpus if corpus is not None else style_corpus([e.text for e in examples])
    idx = np.flatnonzero(train_)
    inner = np.asarray([_fold(examples[i].url, 4, seed) for i in idx])
    x_train = x[idx].copy()
    for k in np.unique(inner):
        fit = fit_style_words(words[idx[inner != k]], y[idx[inner != k]], terms)
        x_train[inner == k, STYLE_COLUMN] = _style_scores(fit, words[idx[inner == k]], terms)
    if test_ is None:
        return x_train, None
    tidx = np.flatnonzero(test_)
    x_test = x[tidx].copy()
    fit = fit_style_words(words[idx], y[idx], terms)
    x_test[:, STYLE_COLUMN] = _style_scores(fit, words[tidx], terms)
    return x_train, x_test


# ---------------------------------------------------------------------------------------------------- model


def _gradient_descent(z: np.ndarray, y: np.ndarray, l2: float, steps: int, lr: float) -> tuple[np.ndarray, float]:
    weight_of = {c: len(y) / (2.0 * max((y == c).sum(), 1)) for c in (0, 1)}
    sample_weight = np.where(y == 1, weight_of[1], weight_of[0])
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        g = sample_weight * (p - y)
        w -= lr * (z.T @ g / len(y) + l2 * w / len(y))
        b -= lr * float(g.mean())
    return w, b


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, lr: float = 0.1) -> dict:
    """Class-balanced L2 logistic regression on standardised features, by full-batch gradient descent."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    w, b = _gradient_descent((x - mean) / scale, y, l2, steps, lr)
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "weights": w.tolist(), "bias": b, "threshold": 0.5}


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(model["weights"]) + model["bias"])))


def macro_f1(y: np.ndarray, pred: np.ndarray) -> dict:
    out = {}
    for c, name in enumerate(LABELS):
        tp = int(((pred == c) & (y == c)).sum())
        p = tp / max(int((pred == c).sum()), 1)
        r = tp / max(int((y == c).sum()), 1)
        out[name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                     "support": int((y == c).sum())}
    out["macro_f1"] = sum(out[name]["f1"] for name in LABELS) / len(LABELS)
    return out


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    probs = np.zeros(len(y))
    for k in np.unique(fold):
        probs[fold == k] = predict(fit_logistic(x[fold != k], y[fold != k]), x[fold == k])
    return probs


def tune_threshold(x: np.ndarray, y: np.ndarray, urls: list[str], seed: int = 0) -> float:
    """The opinion-probability cut that maximises macro-F1 over out-of-fold predictions inside (x, y)."""
    probs = out_of_fold(x, y, np.asarray([_fold(u, 4, seed) for u in urls]))
    cuts = [round(float(t), 2) for t in np.arange(0.20, 0.99, 0.02)]
    return max(cuts, key=lambda t: macro_f1(y, (probs >= t).astype(int))["macro_f1"])


def _scores(examples: list[Example], y: np.ndarray, pred: np.ndarray) -> dict:
    """Text-only and with-URL scores, overall and by source and by label origin."""
    with_url = np.where([bool(OPINION_SECTION.search(e.url)) for e in examples], 1, pred)
    source = np.asarray([e.source for e in examples])
    origin = np.asarray([e.origin if e.label else "reporting" for e in examples])
    by = {}
    for s in sorted(set(source)):
        by[s] = macro_f1(y[source == s], pred[source == s])
    recall = {o: float((pred[origin == o] == 1).mean()) for o in sorted(set(origin)) if o != "reporting"}
    return {"text_only": macro_f1(y, pred), "with_url": macro_f1(y, with_url),
            "text_only_by_source": by, "opinion_recall_by_label_origin": recall}


def cross_validated(examples: list[Example], x: np.ndarray, y: np.ndarray, seed: int = 0,
                    corpus: tuple[sparse.csr_matrix, list[str]] | None = None) -> dict:
    """Every example predicted once by a model that never saw it (5 document folds; the style-word feature
    stacked and the cut tuned inside the training folds). ``seed`` 0 is the fold assignment of the first
    version; others give the repeats."""
    urls = [e.url for e in examples]
    fold = np.asarray([_fold(u, FOLDS, seed) for u in urls])
    pred = np.zeros(len(y), dtype=int)
    corpus = corpus if corpus is not None else style_corpus([e.text for e in examples])
    for k in range(FOLDS):
        train_ = fold != k
        x_train, x_test = stack_style(examples, x, y, train_, ~train_, seed, corpus)
        cut = tune_threshold(x_train, y[train_], [u for u, t in zip(urls, train_) if t], seed)
        pred[~train_] = predict(fit_logistic(x_train, y[train_]), x_test) >= cut
    return {"examples": len(y), "opinion": int(y.sum()), **_scores(examples, y, pred)}


def repeated_cross_validated(examples: list[Example], x: np.ndarray, y: np.ndarray, repeats: int = REPEATS,
                             corpus: tuple[sparse.csr_matrix, list[str]] | None = None,
                             first: dict | None = None) -> dict:
    """Macro-F1 of :func:`cross_validated` over ``repeats`` fold assignments: mean, min and max. ``first``: the
    seed-0 run when the caller already has it."""
    corpus = corpus if corpus is not None else style_corpus([e.text for e in examples])
    first = first if first is not None else cross_validated(examples, x, y, 0, corpus)
    runs = [first] + [cross_validated(examples, x, y, seed, corpus) for seed in range(1, repeats)]

    def summary(get) -> dict:
        values = [get(r) for r in runs]
        return {"mean": float(np.mean(values)), "min": float(min(values)), "max": float(max(values)),
                "runs": values}

    return {"repeats": repeats,
            "text_only": summary(lambda r: r["text_only"]["macro_f1"]),
            "with_url": summary(lambda r: r["with_url"]["macro_f1"]),
            "text_only_by_source": {s: summary(lambda r, s=s: r["text_only_by_source"][s]["macro_f1"])
                                    for s in runs[0]["text_only_by_source"]}}


def held_out_split(examples: list[Example], x: np.ndarray, y: np.ndarray,
                   corpus: tuple[sparse.csr_matrix, list[str]] | None = None) -> dict:
    held = np.asarray([is_held_out(e.url) for e in examples])
    x_train, x_test = stack_style(examples, x, y, ~held, held, corpus=corpus)
    cut = tune_threshold(x_train, y[~held], [e.url for e, h in zip(examples, held) if not h])
    pred = (predict(fit_logistic(x_train, y[~held]), x_test) >= cut).astype(int)
    kept = [e for e, h in zip(examples, held) if h]
    return {"examples": int(held.sum()), "opinion": int(y[held].sum()), "threshold": cut,
            **_scores(kept, y[held], pred)}


def _counts(examples: list[Example]) -> dict:
    out: dict[str, int] = {}
    for e in examples:
        key = f"{LABELS[e.label]} | {e.source} | {_site(e.url)} | {e.origin}"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def train(data_dir: str | Path, out_dir: str | Path) -> dict:
    """Fit the subjectivity model (``../ukraine-news-bias-faerber2020``), score the genre model by document
    cross-validation and on the fixed 25% split, then refit on everything and write ``genre_lr.json`` and
    ``metrics.json``."""
    faerber = Path(data_dir).resolve().parent / "ukraine-news-bias-faerber2020"
    sentences, subjective = load_subjectivity_sentences(faerber)
    subj = fit_subjectivity(sentences, subjective)
    subjectivity = SubjectivityModel(**subj)
    examples = load_examples(data_dir)
    x = np.asarray([feature_vector(e.text, subjectivity) for e in examples])
    y = np.asarray([e.label for e in examples])
    urls = [e.url for e in examples]
    corpus = style_corpus([e.text for e in examples])  # built once, sliced by every fit below
    first = cross_validated(examples, x, y, 0, corpus)
    result = {
        "examples": len(examples), "opinion": int(y.sum()), "reporting": int((1 - y).sum()),
        "counts": _counts(examples),
        "cross_validated": first,
        "repeated_cross_validated": repeated_cross_validated(examples, x, y, corpus=corpus, first=first),
        "held_out_25": held_out_split(examples, x, y, corpus),
        "subjectivity_sentence_cv": evaluate_subjectivity(sentences, subjective),
    }
    everything = np.ones(len(y), dtype=bool)
    x_all, _ = stack_style(examples, x, y, everything, corpus=corpus)
    style = fit_style_words(corpus[0], y, corpus[1])
    final = fit_logistic(x_all, y)
    final["threshold"] = tune_threshold(x_all, y, urls)
    final["trained_on"] = {"examples": len(examples), "opinion": int(y.sum())}
    final["subjectivity"] = {"source": "Färber, Burkard, Jatowt, Lim, CIKM 2020 (sentence subjectivity)", **subj}
    final["style_words"] = {"source": "lowercase words and pairs of the same distantly labelled documents",
                            "min_df": STYLE_MIN_DF, "l2": STYLE_L2,
                            "bias": style.bias, "weights": dict(sorted(style.weights.items()))}
    result["threshold"] = final["threshold"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "genre_lr.json").write_text(json.dumps(final, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
