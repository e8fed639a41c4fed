"""Train the check-worthiness scorers shipped in ``discernment/models/checkworthy/``.

Data: ClaimBuster 2.5xNCS (CFS = 1, NCS = 0; Arslan et al., ICWSM 2020) and the CLEF CheckThat! 2019 Task 1
training debates (Atanasova et al., CLEF 2019). The CLEF test debates are used only for the final report.
The regularisation strength is picked on four held-out CLEF training debates, then the model is refit on all.

Needs scikit-learn (and, for ``minilm``, onnxruntime + tokenizers + the MiniLM packages); the runtime needs
only numpy. Run::

    python -m discernment.train.checkworthy --data ../shared/data --out src/discernment/models/checkworthy
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from ..extract.checkworthy import HASH_BITS, MiniLMScorer, lexical_features

CLEF_DIR = "clef-checkthat-2019-task1-en"
CLAIMBUSTER_DIR = "claimbuster-2.5xncs"
HELD_OUT_DEBATES = 4


def read_clef(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{"text": r["text"], "label": int(r["label"]), "debate": r["file_name"],
                 "line": int(r["line_number"])} for r in csv.DictReader(f)]


def read_claimbuster(path: Path) -> list[dict]:
    return [{"text": r["text"], "label": int(r["label"]), "debate": "claimbuster", "line": 0}
            for r in json.loads(path.read_text(encoding="utf-8"))]


def lexical_matrix(texts: list[str]):
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        for k, v in lexical_features(text).items():
            rows.append(i)
            cols.append(k)
            vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), 1 << HASH_BITS), dtype=np.float32)


def minilm_matrix(texts: list[str], cache: Path | None = None) -> np.ndarray:
    if cache is not None and cache.exists():
        return np.load(cache)
    embedder = MiniLMScorer(np.zeros(384, dtype=np.float32), 0.0, threads=2)
    matrix = embedder.embed(texts, batch_size=64).astype(np.float32)
    if cache is not None:
        np.save(cache, matrix)
    return matrix


def mean_average_precision(rows: list[dict], scores: list[float]) -> tuple[float, float]:
    """CheckThat! 2019 MAP (mean over debates of average precision) and mean precision at 10."""
    by_debate: dict[str, list[tuple[float, int]]] = {}
    for row, score in zip(rows, scores):
        by_debate.setdefault(row["debate"], []).append((score, row["label"]))
    aps, p10s = [], []
    for items in by_debate.values():
        items.sort(key=lambda x: -x[0])
        hits, precisions = 0, []
        for rank, (_, label) in enumerate(items, 1):
            if label:
                hits += 1
                precisions.append(hits / rank)
        aps.append(sum(precisions) / max(hits, 1))
        p10s.append(sum(label for _, label in items[:10]) / 10)
    return float(np.mean(aps)), float(np.mean(p10s))


def fit(matrix, labels: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(matrix, labels)
    return model


def train(data: Path, out: Path, kind: str, cache_dir: Path | None = None) -> dict:
    clef_train = read_clef(data / CLEF_DIR / "CT19-T1-Training.csv")
    buster = read_claimbuster(data / CLAIMBUSTER_DIR / "kfold_25ncs.json")
    debates = sorted({r["debate"] for r in clef_train})
    held = set(debates[-HELD_OUT_DEBATES:])
    rows = buster + clef_train
    texts = [r["text"] for r in rows]
    if kind == "lexical":
        matrix = lexical_matrix(texts)
    else:
        matrix = minilm_matrix(texts, cache_dir / "minilm_train.npy" if cache_dir else None)
    labels = np.array([r["label"] for r in rows])
    dev_mask = np.array([r["debate"] in held for r in rows])
    dev_rows = [r for r in rows if r["debate"] in held]
    grid = {}
    for c in (0.1, 0.3, 1.0, 3.0, 10.0):
        model = fit(matrix[~dev_mask], labels[~dev_mask], c)
        grid[c] = mean_average_precision(dev_rows, model.predict_proba(matrix[dev_mask])[:, 1].tolist())[0]
    best_c = max(grid, key=grid.get)
    model = fit(matrix, labels, best_c)
    out.mkdir(parents=True, exist_ok=True)
    weight = model.coef_[0].astype(np.float32)
    bias = float(model.intercept_[0])
    if kind == "lexical":
        keep = np.nonzero(np.abs(weight) >= 1e-3)[0]
        np.savez_compressed(out / "lexical.npz", bias=np.float32(bias), index=keep.astype(np.int32),
                            weight=weight[keep].astype(np.float16))
    else:
        np.savez_compressed(out / "minilm.npz", bias=np.float32(bias), weight=weight)
    return {"model": kind, "C": best_c, "dev_map_by_C": {str(k): round(v, 4) for k, v in grid.items()},
            "train_sentences": len(rows), "train_positive": int(labels.sum()),
            "held_out_debates": sorted(held)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding the two data sets")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--model", choices=["lexical", "minilm", "both"], default="both")
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached embeddings")
    args = parser.parse_args(argv)
    kinds = ["lexical", "minilm"] if args.model == "both" else [args.model]
    report = {}
    for kind in kinds:
        report[kind] = train(args.data, args.out, kind, args.cache)
    meta_path = args.out / "training.json"
    previous = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    previous.update(report)
    meta_path.write_text(json.dumps(previous, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))  # the training script's own output (not library code)


if __name__ == "__main__":
    main()
