"""Documents and every annotation layer, in SQLite (WAL, FTS5) or PostgreSQL (tsvector), behind one class.

Ingest is idempotent: a document is keyed by its content id; the same text analysed by the same pipeline is
skipped, by another pipeline version its layers are replaced and the re-analysis is recorded in ``analyses``.
Each batch is one transaction, so an interrupted ingest leaves whole documents or none.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlparse

from sqlalchemy import bindparam, create_engine, delete, event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from ..model import Document, LAYERS
from . import schema as s
from .rows import document_from_rows, layer_rows


# The newest migration in store/migrations/versions (a test checks this against Alembic's own view).
HEAD_REVISION = "0004"


def default_db_url() -> str:
    """$DISCERN_DB, else a SQLite file in the user's data directory."""
    if os.environ.get("DISCERN_DB"):
        return os.environ["DISCERN_DB"]
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "discernment"
    return f"sqlite:///{base / 'discernment.db'}"


def normalise_url(url: str | None) -> str:
    """A database URL from a URL or a plain file path (a path means SQLite)."""
    url = url or default_db_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass
class IngestStats:
    added: int = 0
    updated: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.skipped


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url = normalise_url(url)
        self.engine: Engine = self._make_engine(self.url)
        self.dialect = self.engine.dialect.name
        if migrate:
            self.migrate()

    @staticmethod
    def _make_engine(url: str) -> Engine:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 60})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record):  # WAL lets readers and a writer work at once
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=60000")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.close()

            return engine
        return create_engine(url, pool_pre_ping=True)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, or None for an empty database."""
        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            return None

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic); cheap when it is already there.

        Processes opening a new SQLite store at once take turns through a lock file beside it; PostgreSQL
        serialises them with an advisory lock inside the migration transaction.
        """
        if self.schema_revision() == HEAD_REVISION:
            return
        with self._migration_lock():
            if self.schema_revision() != HEAD_REVISION:
                self._upgrade()

    @contextmanager
    def _migration_lock(self):
        path = self.engine.url.database if self.dialect == "sqlite" else None
        if not path or path == ":memory:":
            yield
            return
        import fcntl

        with open(f"{path}.migrate.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _upgrade(self) -> None:
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(resources.files("discernment.store") / "migrations"))
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":  # one migrator at a time across processes
                conn.execute(text("SELECT pg_advisory_xact_lock(424242)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- runs ---------------------------------------------------------------------------------------------
    def start_run(self, pipeline: str, config: dict[str, Any], command: str | None = None) -> int:
        from .. import __version__

        with self.engine.begin() as conn:
            result = conn.execute(insert(s.runs).values(
                started_at=now(), discernment_version=__version__, pipeline=pipeline,
                config=json.loads(json.dumps(config)), command=command))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, stats: IngestStats) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(s.runs).where(s.runs.c.id == run_id).values(
                finished_at=now(), documents_added=stats.added, documents_updated=stats.updated,
                documents_skipped=stats.skipped))

    def runs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(s.runs).order_by(s.runs.c.id))]

    # -- writing ------------------------------------------------------------------------------------------
    def ingest(self, docs: Iterable[Document], run_id: int, pipeline: str, batch_size: int = 50,
               stats: IngestStats | None = None, progress=None) -> IngestStats:
        """Store analysed documents, one transaction per batch. ``progress(n)`` is called after each batch."""
        stats = stats if stats is not None else IngestStats()
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._ingest_batch(batch, run_id, pipeline, stats)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._ingest_batch(batch, run_id, pipeline, stats)
            if progress:
                progress(len(batch))
        return stats

    def _ingest_batch(self, batch: list[Document], run_id: int, pipeline: str, stats: IngestStats) -> None:
        for attempt in range(5):
            local = IngestStats()
            try:
                with self.engine.begin() as conn:
                    for doc in batch:
                        self._write_document(conn, doc, run_id, pipeline, local)
            except (IntegrityError, OperationalError):
                # Another writer stored one of these documents (or held the lock) first: the retry sees it.
                if attempt == 4:
                    raise
                continue
            stats.added += local.added
            stats.updated += local.updated
            stats.skipped += local.skipped
            return

    def _write_document(self, conn: Connection, doc: Document, run_id: int, pipeline: str,
                        stats: IngestStats) -> None:
        existing = conn.execute(select(s.documents.c.pipeline).where(s.documents.c.id == doc.id)).first()
        if existing is not None and existing.pipeline == pipeline:
            stats.skipped += 1
            return
        row = {
            "id": doc.id, "outlet": outlet_of(doc), "source_outlet": doc.source.outlet, "url": doc.source.url, "title": doc.source.title,
            "published": doc.source.published, "author": doc.source.author, "path": doc.source.path,
            "language": doc.language, "genre": doc.genre.label, "genre_score": doc.genre.score,
            "words": len(doc.text.split()), "text": doc.text, "duplicate_of": doc.duplicate_of, "run_id": run_id,
            "pipeline": pipeline, "ingested_at": now(),
        }
        if existing is None:
            conn.execute(insert(s.documents).values(**row))
            action = "added"
            stats.added += 1
        else:
            self._delete_layers(conn, doc.id)
            conn.execute(update(s.documents).where(s.documents.c.id == doc.id).values(**row))
            action = "updated"
            stats.updated += 1
        for table_name, rows in layer_rows(doc).items():
            if rows:
                conn.execute(insert(s.metadata.tables[table_name]), rows)
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO documents_fts (doc_id, title, text) VALUES (:id, :title, :text)"),
                         {"id": doc.id, "title": doc.source.title or "", "text": doc.text})
        conn.execute(insert(s.analyses).values(doc_id=doc.id, run_id=run_id, pipeline=pipeline, action=action))

    def _delete_layers(self, conn: Connection, doc_id: str) -> None:
        for table in (*s.LAYER_TABLES.values(), s.claim_places, s.claim_vectors):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        if self.dialect == "sqlite":
            conn.execute(text("DELETE FROM documents_fts WHERE doc_id = :id"), {"id": doc_id})

    def mark_duplicates(self, threshold: float = 0.85, num_perm: int = 128, shingle_words: int = 5,
                        batch: int = 500) -> int:
        """Set ``duplicate_of`` across the whole store: each document that is a near copy (MinHash Jaccard
        >= threshold) of an earlier one (by publication date, then ingest time) names it. Returns the number
        of copies. Queries leave out copies of a document from the same outlet (re-crawls, re-publications)
        and keep copies carried by another outlet, which show who relayed what."""
        from ..ingest.dedup import Deduplicator

        dedup = Deduplicator(threshold, num_perm, shingle_words)
        d = s.documents
        order = select(d.c.id).order_by(d.c.published.is_(None), d.c.published, d.c.ingested_at, d.c.id)
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(order)]
        copies = 0
        for i in range(0, len(ids), batch):
            chunk = ids[i:i + batch]
            with self.engine.connect() as conn:
                texts = dict(conn.execute(select(d.c.id, d.c.text).where(d.c.id.in_(chunk))).all())
            updates = []
            for doc_id in chunk:
                original = dedup.check_text(doc_id, texts[doc_id])
                copies += original is not None
                updates.append({"doc": doc_id, "dup": original})
            with self.engine.begin() as conn:
                conn.execute(update(d).where(d.c.id == bindparam("doc")).values(duplicate_of=bindparam("dup")),
                             updates)
        return copies

    def delete_document(self, doc_id: str) -> bool:
        with self.engine.begin() as conn:
            self._delete_layers(conn, doc_id)
            conn.execute(delete(s.analyses).where(s.analyses.c.doc_id == doc_id))
            return conn.execute(delete(s.documents).where(s.documents.c.id == doc_id)).rowcount > 0

    # -- reading ------------------------------------------------------------------------------------------
    def stored_pipeline(self, doc_id: str) -> str | None:
        """The pipeline version a stored document was analysed with, or None when it is not stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(s.documents.c.pipeline).where(s.documents.c.id == doc_id)).scalar()

    def resolve_id(self, prefix: str) -> str | None:
        """The full id of the one stored document whose id starts with ``prefix`` (None if none or several)."""
        if not prefix or not all(c in "0123456789abcdef" for c in prefix.lower()):
            return None
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.documents.c.id).where(s.documents.c.id.like(prefix.lower() + "%"))
                                .limit(2)).all()
        return rows[0][0] if len(rows) == 1 else None

    def has(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(s.documents.c.id).where(s.documents.c.id == doc_id)).first() is not None

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document with every layer, exactly as it was analysed."""
        with self.engine.connect() as conn:
            doc_row = conn.execute(select(s.documents).where(s.documents.c.id == doc_id)).first()
            if doc_row is None:
                return None
            layers = {}
            for name in LAYERS:
                table = s.LAYER_TABLES[name]
                layers[name] = [dict(r._mapping) for r in
                                conn.execute(select(table).where(table.c.doc_id == doc_id).order_by(table.c.idx))]
        return document_from_rows(dict(doc_row._mapping), layers)

    def count(self, table: str = "documents") -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {s.metadata.tables[table].name}")).scalar_one()

    def document_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(s.documents.c.id).order_by(s.documents.c.id))]


def outlet_of(doc: Document) -> str:
    """The outlet name, else the URL's host without ``www.``, else "unknown"."""
    if doc.source.outlet:
        return doc.source.outlet.strip()[:200]
    if doc.source.url:
        host = urlparse(doc.source.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return "unknown"
