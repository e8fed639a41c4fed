"""The corpus store: SQLite by default, PostgreSQL for teams, one interface (:class:`Store`)."""

from .store import IngestStats, Store, default_db_url

__all__ = ["IngestStats", "Store", "default_db_url"]
