"""Quote extraction scored on PolNeAR (Newell, Margolin & Ruths, LREC 2018).

A predicted quote matches a gold Content span (its fragments taken together) when their character IoU is at
least 0.5; matching is one-to-one, best IoU first. Reported: content precision, recall and F1; speaker accuracy
on matched quotes that have a gold Source (the predicted speaker mention overlaps it); cue accuracy on matched
quotes (the predicted cue overlaps the gold Cue). Articles annotated twice use the first annotator's file.
Predicted quotes that share one cue are scored as one attribution with a discontiguous content, as PolNeAR
annotates "“A,” she said. “B.”".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..model import Document, Source

Spans = tuple[tuple[int, int], ...]


@dataclass
class GoldAttribution:
    content: Spans
    source: Spans = ()
    cue: Spans = ()


@dataclass
class GoldArticle:
    name: str
    text: str
    published: str | None
    attributions: list[GoldAttribution] = field(default_factory=list)


def _root(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    return path / "data" if (path / "data").is_dir() else path


def _spans(field_text: str) -> Spans:
    out = []
    for part in field_text.split(" ", 1)[1].split(";"):
        s, e = part.split()
        out.append((int(s), int(e)))
    return tuple(out)


def read_ann(path: Path) -> list[GoldAttribution]:
    """The attributions of one brat .ann file (Content, Source and Cue spans joined through E lines)."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = (parts[1].split(" ", 1)[0], _spans(parts[1]))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out = []
    for event in events:
        get = lambda role, event=event: spans[event[role]][1] if role in event and event[role] in spans else ()  # noqa: E731
        if get("Content"):
            out.append(GoldAttribution(get("Content"), get("Source"), get("Cue")))
    return out


def load_polnear(data_dir: str | Path, split: str = "dev", limit: int | None = None) -> list[GoldArticle]:
    """Articles of one split with their gold attributions, sorted by name (``limit``: the first N)."""
    root = _root(data_dir) / split
    anns: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        anns.setdefault(article, path)
    articles = []
    for name in sorted(anns)[:limit]:
        text_path = root / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        date = name.split("_")[1] if name.count("_") >= 2 else None
        articles.append(GoldArticle(name, text_path.read_text(encoding="utf-8"), date, read_ann(anns[name])))
    return articles


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _iou(a: Spans, b: Spans) -> float:
    inter = _overlap(a, b)
    if not inter:
        return 0.0
    union = sum(e - s for s, e in a) + sum(e - s for s, e in b) - inter
    return inter / union


def match(predicted: list[Spans], gold: list[Spans], threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs with IoU >= threshold, best first."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if p[0][0] < g[-1][1] and g[0][0] < p[-1][1]:
                score = _iou(p, g)
                if score >= threshold:
                    pairs.append((score, i, j))
    used_p, used_g, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def group_by_cue(quotes: list) -> tuple[list, list[Spans]]:
    """Quotes sharing one cue ("“A,” he said. “B.”") form one attribution with a discontiguous content, as
    PolNeAR annotates it; returns the first quote of each group and the group's content spans."""
    firsts, spans, index = [], [], {}
    for q in quotes:
        key = (q.cue.start, q.cue.end) if q.cue is not None else None
        if key is not None and key in index:
            spans[index[key]] = spans[index[key]] + ((q.start, q.end),)
            continue
        if key is not None:
            index[key] = len(firsts)
        firsts.append(q)
        spans.append(((q.start, q.end),))
    return firsts, spans


def build_quote_pipeline():
    """parse.v1, entities.v1 (when registered) and quotes.v1 with the default settings."""
    from .. import (
        extract,  # noqa: F401  (registers the components)
        registry,
    )
    from ..config import Config
    from ..pipeline import Pipeline, Resources

    config = Config.defaults()
    resources = Resources(config)
    names = ["parse.v1"] + (["entities.v1"] if "entities.v1" in registry.components else []) + ["quotes.v1"]
    comps = [registry.components.get(n)(config, resources) for n in names]
    if "entities.v1" not in names:
        comps[-1].requires = ("doc.spacy",)
    return Pipeline(comps)


def score_articles(articles: Iterable[GoldArticle], docs: Iterable[Document]) -> dict:
    n_pred = n_gold = n_match = 0
    spk_total = spk_ok = cue_total = cue_ok = 0
    for article, doc in zip(articles, docs):
        gold = article.attributions
        pred, pred_spans = group_by_cue(list(doc.quotes))
        n_pred += len(pred)
        n_gold += len(gold)
        pairs = match(pred_spans, [g.content for g in gold])
        n_match += len(pairs)
        for i, j in pairs:
            q, g = pred[i], gold[j]
            if g.source:
                spk_total += 1
                spk_ok += bool(q.speaker and _overlap(((q.speaker.start, q.speaker.end),), g.source))
            if g.cue:
                cue_total += 1
                cue_ok += bool(q.cue and _overlap(((q.cue.start, q.cue.end),), g.cue))
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    return {
        "predicted": n_pred, "gold": n_gold, "matched": n_match,
        "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "speaker_accuracy": spk_ok / spk_total if spk_total else 0.0, "speaker_total": spk_total,
        "cue_accuracy": cue_ok / cue_total if cue_total else 0.0, "cue_total": cue_total,
    }


def evaluate_quotes(data_dir: str | Path, split: str = "dev", limit: int | None = None, pipeline=None) -> dict:
    """Run quotes.v1 over a PolNeAR split and score it; ``limit`` takes the first N articles by name."""
    articles = load_polnear(data_dir, split, limit)
    pipeline = pipeline or build_quote_pipeline()
    started = time.perf_counter()
    docs = list(pipeline.pipe(Document(a.text, source=Source(published=a.published)) for a in articles))
    result = score_articles(articles, docs)
    result.update({"split": split, "articles": len(articles), "seconds": time.perf_counter() - started,
                   "iou_threshold": 0.5})
    return result


def format_report(result: dict) -> str:
    return "\n".join([
        f"PolNeAR {result['split']}: {result['articles']} articles, {result['gold']} gold quotes, "
        f"{result['predicted']} predicted ({result['seconds']:.1f} s)",
        f"content (IoU >= {result['iou_threshold']}): P {result['precision']:.3f}  R {result['recall']:.3f}  "
        f"F1 {result['f1']:.3f}",
        f"speaker accuracy on matched quotes: {result['speaker_accuracy']:.3f} (n={result['speaker_total']})",
        f"cue accuracy on matched quotes:     {result['cue_accuracy']:.3f} (n={result['cue_total']})",
    ])
