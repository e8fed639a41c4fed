"""SemEval-2020 Task 11 (PTC) scorer: span identification, technique classification, technique-aware spans.

Metrics follow the definitions in Da San Martino et al., "SemEval-2020 Task 11" (SemEval 2020) and
"Fine-Grained Analysis of Propaganda in News Articles" (EMNLP 2019):

* For predicted spans S and gold spans T (pairs only within one article), a pair's credit is
  ``C(s, t, h) = |s ∩ t| / h`` (characters) times ``δ(label(s), label(t))``;
  precision ``P = Σ_{s,t} C(s, t, |s|) / |S|`` and recall ``R = Σ_{s,t} C(s, t, |t|) / |T|``; F1 their harmonic
  mean. Span identification (SI) ignores labels (δ is always 1); technique-aware span F1 requires equal labels.
* Technique classification (TC): each gold span (article, start, end) gets as many predicted labels as it has gold
  labels; micro-F1 over the multiset of (span, label) pairs.

The PTC ``train`` split is divided by article into ``train`` and ``val`` with :func:`split_article_ids`, a fixed,
documented rule (the 15% of article ids whose sha256 sorts first), so every tool measures the same articles.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

VAL_FRACTION = 0.15
SPLITS = ("train", "val", "all")


@dataclass(frozen=True)
class LabelledSpan:
    article: str
    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    techniques: tuple[LabelledSpan, ...]  # gold technique spans (task FLC/TC)
    si_spans: tuple[LabelledSpan, ...]  # gold propaganda spans (task SI)


@dataclass(frozen=True)
class SpanScore:
    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "predicted": self.predicted, "gold": self.gold}


# ---------------------------------------------------------------------------------------------------- data


def _read_labels(path: Path, with_technique: bool) -> dict[str, list[LabelledSpan]]:
    out: dict[str, list[LabelledSpan]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cells = line.split("\t")
        if with_technique:
            art, label, start, end = cells[0], cells[1], int(cells[2]), int(cells[3])
        else:
            art, label, start, end = cells[0], "", int(cells[1]), int(cells[2])
        out[art].append(LabelledSpan(art, start, end, label))
    return out


def load_articles(data_dir: str | Path) -> list[Article]:
    """Every article of the PTC train split with its gold spans, in id order."""
    root = Path(data_dir)
    techniques = _read_labels(root / "train-task-flc-tc.labels", with_technique=True)
    si = _read_labels(root / "train-task-si.labels", with_technique=False)
    articles = []
    for path in sorted((root / "train-articles").glob("article*.txt")):
        art = path.stem[len("article"):]
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
        articles.append(Article(art, text, tuple(techniques.get(art, ())), tuple(si.get(art, ()))))
    return articles


def split_article_ids(ids: Iterable[str], val_fraction: float = VAL_FRACTION) -> tuple[list[str], list[str]]:
    """(train ids, val ids): val is the ``round(val_fraction * n)`` ids whose sha256 hex digest sorts first."""
    ids = sorted(set(ids))
    ranked = sorted(ids, key=lambda a: hashlib.sha256(a.encode("ascii")).hexdigest())
    val = set(ranked[: round(val_fraction * len(ids))])
    return [a for a in ids if a not in val], [a for a in ids if a in val]


def load_split(data_dir: str | Path, split: str = "val") -> list[Article]:
    """Articles of one split: ``train`` (85%), ``val`` (15%) or ``all``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    articles = load_articles(data_dir)
    if split == "all":
        return articles
    train_ids, val_ids = split_article_ids(a.id for a in articles)
    keep = set(val_ids if split == "val" else train_ids)
    return [a for a in articles if a.id in keep]


# ---------------------------------------------------------------------------------------------------- metrics


def _overlap(a: LabelledSpan, b: LabelledSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _credit(spans: Sequence[LabelledSpan], others: Sequence[LabelledSpan], use_labels: bool) -> float:
    """Σ over s in spans, t in others (same article) of |s ∩ t| / |s|."""
    by_article: dict[str, list[LabelledSpan]] = defaultdict(list)
    for t in others:
        by_article[t.article].append(t)
    total = 0.0
    for s in spans:
        length = s.end - s.start
        if length <= 0:
            continue
        for t in by_article.get(s.article, ()):
            if use_labels and s.label != t.label:
                continue
            total += _overlap(s, t) / length
    return total


def span_prf(predicted: Sequence[LabelledSpan], gold: Sequence[LabelledSpan], use_labels: bool = False) -> SpanScore:
    """Partial-overlap P/R/F1 of the task (labels ignored for SI, required for technique-aware F1)."""
    p = _credit(predicted, gold, use_labels) / len(predicted) if predicted else 0.0
    r = _credit(gold, predicted, use_labels) / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return SpanScore(p, r, f, len(predicted), len(gold))


def classification_prf(predicted: Sequence[LabelledSpan], gold: Sequence[LabelledSpan]) -> SpanScore:
    """TC micro P/R/F1: multiset match of (article, start, end, label) between predictions and gold."""
    pred_counts = Counter((s.article, s.start, s.end, s.label) for s in predicted)
    gold_counts = Counter((s.article, s.start, s.end, s.label) for s in gold)
    correct = sum((pred_counts & gold_counts).values())
    p = correct / len(predicted) if predicted else 0.0
    r = correct / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return SpanScore(p, r, f, len(predicted), len(gold))


def per_technique_f1(predicted: Sequence[LabelledSpan], gold: Sequence[LabelledSpan]) -> dict[str, float]:
    """TC F1 of each gold technique (one-vs-rest over the same multiset matching)."""
    out = {}
    for label in sorted({g.label for g in gold}):
        score = classification_prf([p for p in predicted if p.label == label], [g for g in gold if g.label == label])
        out[label] = score.f1
    return out


def gold_span_groups(articles: Sequence[Article]) -> dict[tuple[str, int, int], int]:
    """(article, start, end) of each gold technique span, with how many gold labels it carries."""
    return dict(Counter((s.article, s.start, s.end) for a in articles for s in a.techniques))


# ---------------------------------------------------------------------------------------------------- evaluate


def predict_articles(
    model, articles: Sequence[Article], encoded: Sequence | None = None
) -> dict[str, list[LabelledSpan]]:
    """Run a :class:`~discernment.extract.technique_model.TechniqueModel` over ``articles``.

    Returns ``si`` (predicted propaganda spans), ``techniques`` (predicted technique spans) and ``tc``
    (labels for the gold spans, top-k for a span with k gold labels). ``encoded`` reuses earlier
    ``model.encode`` output for the same articles.
    """
    groups = gold_span_groups(articles)
    out: dict[str, list[LabelledSpan]] = {"si": [], "techniques": [], "tc": []}
    if encoded is None:
        encoded = model.encode([a.text for a in articles])
    for article, enc in zip(articles, encoded):
        spans = [(s, e) for (art, s, e) in groups if art == article.id]
        counts = [groups[(article.id, s, e)] for s, e in spans]
        for (start, end), labels in zip(spans, model.classify(article.text, enc, spans, counts)):
            out["tc"].extend(LabelledSpan(article.id, start, end, label) for label in labels)
        for span in model.propaganda_spans(article.text, enc):
            out["si"].append(LabelledSpan(article.id, span.start, span.end))
        for tech in model.techniques(article.text, enc):
            out["techniques"].append(LabelledSpan(article.id, tech.start, tech.end, tech.technique))
    return out


def score_predictions(articles: Sequence[Article], predicted: dict[str, list[LabelledSpan]]) -> dict:
    gold_si = [s for a in articles for s in a.si_spans]
    gold_tc = [s for a in articles for s in a.techniques]
    return {
        "articles": len(articles),
        "si": span_prf(predicted["si"], gold_si).as_dict(),
        "tc": classification_prf(predicted["tc"], gold_tc).as_dict(),
        "tc_per_technique_f1": per_technique_f1(predicted["tc"], gold_tc),
        "technique_spans": span_prf(predicted["techniques"], gold_tc, use_labels=True).as_dict(),
    }


def evaluate(data_dir: str | Path, split: str = "val", model_dir: str | Path | None = None,
             limit: int | None = None) -> dict:
    """Score the technique model on a PTC split; ``model_dir`` None means the shipped model.

    ``limit`` keeps only the first ``limit`` articles of the split (in id order), for quick gates.
    """
    from ..extract.technique_model import TechniqueModel

    articles = load_split(data_dir, split)[:limit] if limit else load_split(data_dir, split)
    model = TechniqueModel.load(model_dir)
    words = sum(len(a.text.split()) for a in articles)
    began = time.perf_counter()
    predicted = predict_articles(model, articles)
    seconds = time.perf_counter() - began
    result = score_predictions(articles, predicted)
    result.update({"split": split, "model": str(model.source), "seconds": seconds, "words": words,
                   "words_per_second": words / seconds if seconds else 0.0})
    return result


def format_report(result: dict) -> str:
    """A plain-text table of an :func:`evaluate` result."""
    lines = [f"PTC split {result.get('split', '?')}: {result['articles']} articles, model {result.get('model', '?')}",
             f"{'metric':<28}{'P':>8}{'R':>8}{'F1':>8}{'pred':>8}{'gold':>8}"]
    for key, name in (("si", "span identification (SI)"), ("tc", "technique classif. (TC)"),
                      ("technique_spans", "technique-aware spans")):
        s = result[key]
        lines.append(f"{name:<28}{s['precision']:>8.4f}{s['recall']:>8.4f}{s['f1']:>8.4f}{s['predicted']:>8}{s['gold']:>8}")
    lines.append("TC F1 per technique:")
    for label, f1 in sorted(result["tc_per_technique_f1"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {label:<40}{f1:>8.4f}")
    if "words_per_second" in result:
        lines.append(f"speed: {result['words']} words in {result['seconds']:.1f} s "
                     f"({result['words_per_second']:.0f} words/s)")
    return "\n".join(lines)
