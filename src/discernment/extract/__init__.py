"""Pipeline components, one per file. Importing this package registers them all."""

from . import boilerplate, claims, entities, events, genre, parse, places, quotes, reconcile, techniques  # noqa: F401
