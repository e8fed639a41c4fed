"""Ordered, registered, versioned components, and the checks that keep their order honest.

A component is a small callable ``Document -> Document`` with a versioned name (``entities.v1``), the
attributes it ``requires`` and the ones it ``assigns`` (``doc.entities``, ``doc.spacy``...). A factory
registered in :data:`discernment.registry.components` builds it from the settings and the shared
:class:`Resources` (models are loaded once there and handed to every component that needs them).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from . import registry
from .config import Config
from .errors import PipelineError
from .model import LAYERS, Document

_RESOURCE_LOCK = threading.RLock()

# What every document has before any component runs.
BASE_ATTRIBUTES = frozenset({"doc.text", "doc.source"})


class Component:
    """Base class: subclasses set ``name``, ``requires``, ``assigns`` and implement ``__call__``.

    ``pipe`` defaults to calling the component on each document; components that batch (spaCy) override it.
    """

    name: str = ""
    version: str = "1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    # The attributes it creates; None means all it assigns. A filter that only thins layers others made (the
    # boilerplate remover) produces nothing: a pipeline's ``layers`` leave it out.
    produces: tuple[str, ...] | None = None
    # True when the component only reads what it requires and writes only what it assigns, in place: if it
    # requires nothing but the text, Pipeline.run may start it in a thread beside the earlier components.
    concurrent: bool = False

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - abstract
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


@dataclass
class Resources:
    """Models and services shared by components, loaded lazily and at most once per process."""

    config: Config
    _loaded: dict[str, Any] = field(default_factory=dict)
    _loaders: dict[str, Callable[["Resources"], Any]] = field(default_factory=dict)

    def provide(self, name: str, loader: Callable[["Resources"], Any]) -> None:
        """Declare how to load a resource; the first declaration wins, so an injected one is kept."""
        self._loaders.setdefault(name, loader)

    def set(self, name: str, value: Any) -> None:
        """Inject a ready resource (a test double, an already loaded model, a different gazetteer)."""
        self._loaded[name] = value

    def get(self, name: str) -> Any:
        if name not in self._loaded:
            with _RESOURCE_LOCK:  # components running in threads may ask for the same model at once
                if name not in self._loaded:
                    if name not in self._loaders:
                        raise PipelineError("E301", f"no resource named {name!r} was provided")
                    self._loaded[name] = self._loaders[name](self)
        return self._loaded[name]


def check_order(components: list[Component]) -> None:
    """Raise E302 when a component requires an attribute that no earlier component assigns; E303 on repeats."""
    available = set(BASE_ATTRIBUTES)
    seen: set[str] = set()
    for comp in components:
        if comp.name in seen:
            raise PipelineError("E303", f"component {comp.name!r} is listed twice")
        seen.add(comp.name)
        missing = [r for r in comp.requires if r not in available]
        if missing:
            raise PipelineError(
                "E302",
                f"component {comp.name!r} requires {', '.join(missing)}, which no earlier component assigns; "
                f"order was: {', '.join(c.name for c in components)}",
            )
        available.update(comp.assigns)


class Pipeline:
    """An ordered list of components; ``run`` one document or ``pipe`` many."""

    def __init__(self, components: list[Component], concurrent: bool = True):
        check_order(components)
        self.components = components
        self.concurrent = concurrent

    @classmethod
    def from_config(cls, config: Config, resources: Resources | None = None) -> "Pipeline":
        resources = resources or Resources(config)
        built = [registry.components.get(name)(config, resources) for name in config["pipeline.components"]]
        return cls(built, concurrent=config["pipeline.concurrent"])

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    @property
    def layers(self) -> frozenset[str]:
        """The document layers (and ``genre``) this pipeline produces: what a re-analysis would replace."""
        return _produced(self.components)

    @property
    def version(self) -> str:
        """Package version plus the component names: what a stored run records."""
        from . import __version__

        return f"discernment {__version__}; " + ", ".join(self.names)

    def run(self, doc: Document) -> Document:
        """Analyse one document. Components marked ``concurrent`` that need only the text (the technique
        tagger) start at once in a thread beside the spaCy parse, so one document's latency is nearer the
        longer of the two than their sum; each is joined at its own place in the order."""
        futures = {name: self._executor().submit(comp, doc) for name, comp in self._ahead().items()}
        for comp in self.components:
            if comp.name in futures:
                futures[comp.name].result()
            else:
                doc = comp(doc)
        doc.cache.clear()
        return doc

    def _executor(self):
        if getattr(self, "_pool", None) is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="discernment-ahead")
        return self._pool

    def pipe(self, docs: Iterable[Document], batch_size: int = 16) -> Iterator[Document]:
        """Stream documents through every component in batches; order is preserved."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> Iterator[Document]:
        ahead = self._ahead()
        futures = {name: self._executor().submit(lambda c=comp: list(c.pipe(batch))) for name, comp in ahead.items()}
        stream: Iterable[Document] = batch
        for comp in self.components:
            if comp.name in futures:
                futures[comp.name].result()  # annotated the same Document objects in place
            else:
                stream = list(comp.pipe(stream))
        for doc in stream:
            doc.cache.clear()
            yield doc

    def _ahead(self) -> dict[str, Component]:
        """Components that may start at once in a thread: marked ``concurrent``, needing only the text."""
        if not self.concurrent:
            return {}
        return {c.name: c for c in self.components if c.concurrent and set(c.requires) <= BASE_ATTRIBUTES}


def _produced(components) -> frozenset[str]:
    made = {a.removeprefix("doc.") for c in components for a in (c.assigns if c.produces is None else c.produces)}
    return frozenset(made & {*LAYERS, "genre"})


def layers_of(names: Iterable[str]) -> frozenset[str] | None:
    """The layers a pipeline of these registered components produces, read from each factory's declared
    return class without building anything (None when a factory does not declare one)."""
    import typing

    classes = []
    for name in names:
        factory = registry.components.get(name)
        kind = factory if isinstance(factory, type) else typing.get_type_hints(factory).get("return")
        if not isinstance(kind, type) or not issubclass(kind, Component):
            return None
        classes.append(kind)
    return _produced(classes)
