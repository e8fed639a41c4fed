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

The URL is never a feature. Evaluation is by document: out-of-fold predictions of 5 folds (by sha256 of the
URL; the opinion cut tuned by inner cross-validation on the training folds only), plus the fixed 25% split of
v1. numpy only.
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

from ..extract.genre import _WORD, FEATURES, OPINION_URL, SubjectivityModel, feature_vector

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


def _fold(url: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(url.encode("utf-8")).hexdigest()[8:16], 16) % folds


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
        for t in {w.lower().replace("’", "'") for w in _WORD.findall(s)}:
            if t in vocab:
                x[i, vocab[t]] = 1.0
    return x


def fit_subjectivity(sentences: list[str], y: np.ndarray, min_count: int = 3, l2: float = 3.0) -> dict:
    """Class-balanced bag-of-words logistic regression over sentences (no standardisation: 0/1 features)."""
    counts: dict[str, int] = {}
    for s in sentences:
        for t in {w.lower().replace("’", "'") for w in _WORD.findall(s)}:
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


def tune_threshold(x: np.ndarray, y: np.ndarray, urls: list[str]) -> float:
    """The opinion-probability cut that maximises macro-F1 over out-of-fold predictions inside (x, y)."""
    probs = out_of_fold(x, y, np.asarray([_fold(u, 4) for u in urls]))
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


def cross_validated(examples: list[Example], x: np.ndarray, y: np.ndarray) -> dict:
    """Every example predicted once by a model that never saw it (5 document folds, cut tuned inside)."""
    urls = [e.url for e in examples]
    fold = np.asarray([_fold(u) for u in urls])
    pred = np.zeros(len(y), dtype=int)
    for k in range(FOLDS):
        train_ = fold != k
        cut = tune_threshold(x[train_], y[train_], [u for u, t in zip(urls, train_) if t])
        pred[~train_] = predict(fit_logistic(x[train_], y[train_]), x[~train_]) >= cut
    return {"examples": len(y), "opinion": int(y.sum()), **_scores(examples, y, pred)}


def held_out_split(examples: list[Example], x: np.ndarray, y: np.ndarray) -> dict:
    held = np.asarray([is_held_out(e.url) for e in examples])
    cut = tune_threshold(x[~held], y[~held], [e.url for e, h in zip(examples, held) if not h])
    pred = (predict(fit_logistic(x[~held], y[~held]), x[held]) >= cut).astype(int)
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
    result = {
        "examples": len(examples), "opinion": int(y.sum()), "reporting": int((1 - y).sum()),
        "counts": _counts(examples),
        "cross_validated": cross_validated(examples, x, y),
        "held_out_25": held_out_split(examples, x, y),
        "subjectivity_sentence_cv": evaluate_subjectivity(sentences, subjective),
    }
    final = fit_logistic(x, y)
    final["threshold"] = tune_threshold(x, y, urls)
    final["trained_on"] = {"examples": len(examples), "opinion": int(y.sum())}
    final["subjectivity"] = {"source": "Färber, Burkard, Jatowt, Lim, CIKM 2020 (sentence subjectivity)", **subj}
    result["threshold"] = final["threshold"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "genre_lr.json").write_text(json.dumps(final, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
