"""Pipeline components, one per file. Importing this package registers them all."""

from . import entities, parse  # noqa: F401
