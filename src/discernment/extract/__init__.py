"""Pipeline components, one per file. Importing this package registers them all."""

from . import claims, entities, parse, places, quotes  # noqa: F401
