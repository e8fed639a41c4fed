"""Pipeline components, one per file. Importing this package registers them all."""

from . import claims, entities, events, parse, places, quotes, reconcile, techniques  # noqa: F401
