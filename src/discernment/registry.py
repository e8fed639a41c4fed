"""Named, versioned registries: readers and pipeline components.

A registry maps a versioned name such as ``entities.v1`` to a factory. The project's own entries are listed here
by name and module and imported on first lookup (so importing a package never registers anything as a side
effect); other packages add entries through the ``discernment_components`` / ``discernment_readers`` entry-point
groups, also loaded on first lookup.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from typing import Callable, Generic, TypeVar

from .errors import PipelineError

F = TypeVar("F", bound=Callable)


class Registry(Generic[F]):
    def __init__(self, kind: str, entry_point_group: str, builtins: dict[str, str] | None = None):
        self.kind = kind
        self.group = entry_point_group
        self.builtins = dict(builtins or {})  # name -> module whose decorator registers it
        self._items: dict[str, F] = {}
        self._loaded_entry_points = False

    def register(self, name: str) -> Callable[[F], F]:
        def decorator(func: F) -> F:
            self._items[name] = func
            return func

        return decorator

    def get(self, name: str) -> F:
        if name not in self._items and name in self.builtins:
            import_module(self.builtins[name])
        if name not in self._items:
            self._load_entry_points()
        if name not in self._items:
            known = ", ".join(sorted(self._items)) or "none"
            raise PipelineError("E301", f"unknown {self.kind} {name!r}; registered: {known}")
        return self._items[name]

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(set(self._items) | set(self.builtins))

    def __contains__(self, name: str) -> bool:
        return name in self._items or name in self.builtins

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=self.group):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()


_EXTRACT = "discernment.extract."
components: Registry = Registry("component", "discernment_components", {
    f"{name}.v1": _EXTRACT + name for name in (
        "boilerplate", "parse", "entities", "places", "reconcile", "quotes", "claims", "events", "techniques",
        "genre")})
readers: Registry = Registry("reader", "discernment_readers", {
    "text.v1": "discernment.ingest.text", "html.v1": "discernment.ingest.html", "table.v1": "discernment.ingest.tables",
    "feed.v1": "discernment.ingest.feeds"})
