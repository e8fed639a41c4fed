"""Pipeline components, one per file. Importing this package registers them all."""

from . import entities, parse, quotes  # noqa: F401
