"""The layered public API: ``analyze`` (one call) over ``Analyzer`` (reusable, models loaded once)."""

from __future__ import annotations

from typing import Iterable, Iterator

from .config import Config
from .model import Document, Source, without_nul
from .pipeline import Pipeline, Resources


class Analyzer:
    """Builds the configured pipeline once; ``__call__`` analyses one document, ``pipe`` streams many."""

    def __init__(self, config: Config | None = None, resources: Resources | None = None):
        self.config = config or Config.load()
        self.resources = resources or Resources(self.config)
        self.pipeline = Pipeline.from_config(self.config, self.resources)

    def __call__(self, doc: Document | str, **meta: str | None) -> Document:
        return self.pipeline.run(_as_document(doc, meta))

    def pipe(self, docs: Iterable[Document | str], batch_size: int | None = None) -> Iterator[Document]:
        size = batch_size or self.config["pipeline.batch_size"]
        return self.pipeline.pipe((_as_document(d, {}) for d in docs), batch_size=size)

    @property
    def version(self) -> str:
        return self.pipeline.version


def _as_document(doc: Document | str, meta: dict[str, str | None]) -> Document:
    if isinstance(doc, Document):
        if meta:
            doc.source = doc.source.fill(**meta)
        return doc
    # A text given as a str is read as the readers read a file: a NUL becomes U+FFFD (Document refuses NUL).
    return Document(without_nul(doc), source=Source(**{k: v for k, v in meta.items() if v is not None}))


_default_analyzer: Analyzer | None = None


def analyze(text: str, *, published: str | None = None, outlet: str | None = None, url: str | None = None,
            title: str | None = None, author: str | None = None) -> Document:
    """Analyse one text with the default settings (the pipeline is built on first call and reused)."""
    global _default_analyzer
    if _default_analyzer is None:
        _default_analyzer = Analyzer()
    return _default_analyzer(text, published=published, outlet=outlet, url=url, title=title, author=author)
