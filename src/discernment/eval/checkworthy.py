"""Check-worthiness scored on the CLEF CheckThat! 2019 Task 1 (English) test debates.

MAP is the task's official measure: average precision over each debate's ranking of its sentences, averaged
over the 7 test debates. F1 is for label 1 at score >= 0.5; P@10 is averaged over debates.
"""

from __future__ import annotations

import time
from pathlib import Path

# Primary runs of CLEF 2019 CheckThat! Task 1 (English), MAP on the test debates
# (Atanasova et al., "Overview of the CLEF-2019 CheckThat! Lab ... Task 1: Check-Worthiness", CLEF 2019;
# apepa/clef2019-factchecking-task1 README).
PUBLISHED_MAP = (
    ("Copenhagen (1st)", 0.1660),
    ("TheEarthIsFlat", 0.1597),
    ("IPIPAN", 0.1332),
    ("Terrier", 0.1263),
    ("UAICS", 0.1234),
    ("Factify", 0.1210),
    ("JUNLP", 0.1162),
    ("nlpir01", 0.1000),
    ("TOBB ETU", 0.0884),
)


def _test_file(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    for candidate in (path / "CT19-T1-Test.csv", path / "clef-checkthat-2019-task1-en" / "CT19-T1-Test.csv"):
        if candidate.exists():
            return candidate
    return path / "CT19-T1-Test.csv"


def evaluate_checkworthy(data_dir: str | Path, model: str = "lexical") -> dict:
    """Score every test sentence with the shipped ``model`` (lexical | minilm) and compute MAP, P@10, F1."""
    from ..extract.checkworthy import load_scorer
    from ..train.checkworthy import mean_average_precision, read_clef

    rows = read_clef(_test_file(data_dir))
    scorer = load_scorer(model, threads=2)
    started = time.perf_counter()
    scores = scorer.score([r["text"] for r in rows])
    seconds = time.perf_counter() - started
    mean_ap, p10 = mean_average_precision(rows, scores)
    tp = sum(1 for r, s in zip(rows, scores) if s >= 0.5 and r["label"])
    fp = sum(1 for r, s in zip(rows, scores) if s >= 0.5 and not r["label"])
    fn = sum(1 for r, s in zip(rows, scores) if s < 0.5 and r["label"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "model": model, "sentences": len(rows), "positives": sum(r["label"] for r in rows),
        "debates": len({r["debate"] for r in rows}), "map": mean_ap, "p_at_10": p10,
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "seconds": seconds,
    }


def format_report(result: dict) -> str:
    lines = [
        f"CLEF CheckThat! 2019 Task 1 (en) test: {result['sentences']} sentences, {result['positives']} check-worthy, "
        f"{result['debates']} debates; model {result['model']} ({result['seconds']:.1f} s)",
        f"MAP {result['map']:.4f}   P@10 {result['p_at_10']:.4f}   "
        f"F1 {result['f1']:.4f} (P {result['precision']:.4f}, R {result['recall']:.4f}, threshold 0.5)",
        "published primary runs, MAP (Atanasova et al., CLEF 2019):",
    ]
    rows = list(PUBLISHED_MAP) + [(f"discernment {result['model']}", result["map"])]
    for name, value in sorted(rows, key=lambda x: -x[1]):
        lines.append(f"  {name:<24} {value:.4f}")
    return "\n".join(lines)
