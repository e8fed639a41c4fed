"""Train the genre model (reporting vs opinion) on distant labels from URL sections.

Labels come from the section in each article's URL (``/commentisfree/``, ``/opinion(s)/``, ``/op-ed/`` ... =
opinion; news sections = reporting) in ``ukraine-war-news`` (see its SOURCE.md): full texts from
``r2nery-ukraine-media`` and title + subheading from ``ruwa``. The URL is never a feature. A fixed 25% of the
examples (by sha256 of the URL) is held out; 5-fold cross-validation over all examples is reported too.
numpy only.
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

from ..extract.genre import FEATURES, OPINION_URL, feature_vector

LABELS = ("reporting", "opinion")
# URL sections kept as reporting (others, such as sport or film, are left out).
REPORTING_URL = re.compile(
    r"theguardian\.com/(world|uk-news|us-news|politics|business|environment|global-development)/|"
    r"bbc\.(com|co\.uk)/news/|dailymail\.co\.uk/wires/|reuters\.com/(article|world)/|rt\.com/(russia|news)/|"
    r"aljazeera\.com/news/20|msnbc\.com/news/|nbcnews\.com/news/(world|us-news)/[^l]|ukrinform\.net/rubric-",
    re.I)
PER_SITE_REPORTING = 150


@dataclass(frozen=True)
class Example:
    url: str
    text: str
    label: int  # 0 reporting, 1 opinion
    source: str  # "full text" or "title+subheading"


def _site(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url


def _label(url: str) -> int | None:
    if OPINION_URL.search(url):
        return 1
    if REPORTING_URL.search(url) and "live" not in url:
        return 0
    return None


def _cap_per_site(examples: list[Example]) -> list[Example]:
    kept, counts = [], {}
    for ex in sorted(examples, key=lambda e: hashlib.sha256(e.url.encode()).hexdigest()):
        key = (_site(ex.url), ex.label)
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
                url, label = row.get("URL") or "", _label(row.get("URL") or "")
                if label is not None and url not in seen and len(row.get("Text") or "") >= 200:
                    seen[url] = Example(url, f"{row.get('Title') or ''}\n\n{row['Text']}", label, "full text")
    ruwa = root / "ruwa" / "RUWA_04.08.23.csv"
    if ruwa.exists():
        with open(ruwa, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                url, label = row.get("src") or "", _label(row.get("src") or "")
                text = f"{row.get('title') or ''}. {row.get('desc') or ''}".strip()
                if label is not None and url not in seen and len(row.get("desc") or "") >= 60:
                    seen[url] = Example(url, text, label, "title+subheading")
    return _cap_per_site(list(seen.values()))


def is_held_out(url: str) -> bool:
    return int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 4 == 0


# ---------------------------------------------------------------------------------------------------- model


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, lr: float = 0.1) -> dict:
    """Class-balanced L2 logistic regression on standardised features, by full-batch gradient descent."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    weight_of = {c: len(y) / (2.0 * max((y == c).sum(), 1)) for c in (0, 1)}
    sample_weight = np.where(y == 1, weight_of[1], weight_of[0])
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        g = sample_weight * (p - y)
        w -= lr * (z.T @ g / len(y) + l2 * w / len(y))
        b -= lr * float(g.mean())
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
        out[name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": int((y == c).sum())}
    out["macro_f1"] = sum(out[name]["f1"] for name in LABELS) / len(LABELS)
    return out


def cross_validate(x: np.ndarray, y: np.ndarray, urls: list[str], folds: int = 5) -> list[float]:
    fold = np.asarray([int(hashlib.sha256(u.encode()).hexdigest()[8:16], 16) % folds for u in urls])
    scores = []
    for k in range(folds):
        model = fit_logistic(x[fold != k], y[fold != k])
        scores.append(macro_f1(y[fold == k], (predict(model, x[fold == k]) >= 0.5).astype(int))["macro_f1"])
    return scores


def tune_threshold(x: np.ndarray, y: np.ndarray, urls: list[str], folds: int = 5) -> tuple[float, float]:
    """The opinion-probability cut that maximises macro-F1 over out-of-fold predictions, and that F1."""
    fold = np.asarray([int(hashlib.sha256(u.encode()).hexdigest()[8:16], 16) % folds for u in urls])
    probs = np.zeros(len(y))
    for k in range(folds):
        probs[fold == k] = predict(fit_logistic(x[fold != k], y[fold != k]), x[fold == k])
    cuts = [round(float(t), 2) for t in np.arange(0.30, 0.99, 0.02)]
    scores = {t: macro_f1(y, (probs >= t).astype(int))["macro_f1"] for t in cuts}
    best = max(cuts, key=lambda t: scores[t])
    return best, scores[best]


def train(data_dir: str | Path, out_dir: str | Path) -> dict:
    """Fit on the 75% split (cut tuned by 5-fold CV inside it), score the held-out 25%, then refit on
    everything with that cut and write ``genre_lr.json`` and ``metrics.json``."""
    examples = load_examples(data_dir)
    x = np.asarray([feature_vector(e.text) for e in examples])
    y = np.asarray([e.label for e in examples])
    held = np.asarray([is_held_out(e.url) for e in examples])
    urls = [e.url for e in examples]
    cut, cv_at_cut = tune_threshold(x[~held], y[~held], [u for u, h in zip(urls, held) if not h])
    model = fit_logistic(x[~held], y[~held])
    pred = (predict(model, x[held]) >= cut).astype(int)
    sources = sorted({e.source for e in examples})
    src = np.asarray([e.source for e in examples])
    result = {
        "examples": len(examples), "opinion": int(y.sum()), "reporting": int((1 - y).sum()),
        "held_out": macro_f1(y[held], pred),
        "held_out_by_source": {s: macro_f1(y[held & (src == s)], pred[src[held] == s]) for s in sources},
        "threshold": cut, "train_cv_macro_f1_at_threshold": cv_at_cut,
        "cv_macro_f1_at_0.5": cross_validate(x, y, urls),
        "sites": sorted({_site(e.url) for e in examples}),
    }
    final = fit_logistic(x, y)
    final["threshold"] = cut
    final["trained_on"] = {"examples": len(examples), "opinion": int(y.sum())}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "genre_lr.json").write_text(json.dumps(final, indent=2) + "\n", encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
