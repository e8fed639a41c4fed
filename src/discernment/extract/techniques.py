"""``techniques.v1``: persuasion-technique spans (the 14 PTC techniques) with exact offsets and a score.

The model (a fine-tuned MiniLM as int8 ONNX, see ``docs/models/techniques.md``) is loaded once through
``resources`` under the name ``techniques_model``; the work is done by
:class:`~discernment.extract.technique_model.TechniqueModel`. Documents handed over together are encoded in
shared batches of token windows, so long and short articles fill the same onnxruntime calls.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from .. import registry
from ..config import Config
from ..model import Document
from ..pipeline import Component, Resources
from .technique_model import TechniqueModel

# Settings of [techniques] that override the model's own settings.json when set (0 / "" = keep the model's).
_DECODE_KEYS = ("span_threshold", "extend_threshold", "lexical_weight", "merge_gap", "min_chars",
                "second_label_threshold", "window", "overlap", "batch_size")


def decode_overrides(settings) -> dict[str, Any]:
    """The [techniques] settings (typed: ``config.settings("techniques")``) that replace the model's tuned
    values: those not left at 0."""
    out = {key: getattr(settings, key) for key in _DECODE_KEYS if getattr(settings, key)}
    if settings.repetition_rule in ("on", "off"):
        out["repetition_rule"] = settings.repetition_rule == "on"
    return out


def load_techniques_model(resources: Resources) -> TechniqueModel:
    s = resources.config.settings("techniques")
    return TechniqueModel.load(s.model_dir or None, threads=s.threads,
                               overrides=decode_overrides(s))


class Techniques(Component):
    name = "techniques.v1"
    requires = ("doc.text",)
    assigns = ("doc.techniques",)
    concurrent = True  # reads only the text, writes only doc.techniques: may run beside the spaCy parse

    def __init__(self, resources: Resources, docs_per_batch: int = 8):
        self.resources = resources
        self.docs_per_batch = max(1, docs_per_batch)

    @property
    def model(self) -> TechniqueModel:
        return self.resources.get("techniques_model")

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.docs_per_batch:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Document]) -> Iterator[Document]:
        model = self.model
        for doc, enc in zip(docs, model.encode([d.text for d in docs])):
            doc.set_layer("techniques", model.techniques(doc.text, enc))
            yield doc


@registry.components.register("techniques.v1")
def make_techniques(config: Config, resources: Resources) -> Techniques:
    resources.provide("techniques_model", load_techniques_model)
    return Techniques(resources, config["techniques.docs_per_batch"])
