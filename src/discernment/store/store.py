"""Documents and every annotation layer, in SQLite (WAL, FTS5) or PostgreSQL (tsvector), behind one class.

Ingest is idempotent: a document is keyed by its content id; the same text analysed by the same pipeline is
skipped, by another pipeline version its layers are replaced and the re-analysis is recorded in ``analyses``.
Each batch is one transaction, so an interrupted ingest leaves whole documents or none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlparse

from sqlalchemy import bindparam, create_engine, delete, event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError, StatementError

from ..errors import StoreError
from ..model import LAYERS, Document, without_nul
from . import schema as s
from .rows import document_from_rows, layer_rows

# The newest migration in store/migrations/versions (a test checks this against Alembic's own view).
HEAD_REVISION = "0007"


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
    refused: int = 0  # not written: a value the database refuses, or stored layers a re-analysis would drop

    @property
    def total(self) -> int:
        return self.added + self.updated + self.skipped

    def add(self, other: "IngestStats") -> None:
        self.added += other.added
        self.updated += other.updated
        self.skipped += other.skipped
        self.refused += other.refused


def redact_url(url: str) -> str:
    """A database URL as it may be printed or stored: the password replaced by ``***``."""
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:  # not a URL SQLAlchemy reads: hide whatever sits between "user:" and "@"
        return _USERINFO.sub(r"\1***@", url)
    return parsed.render_as_string(hide_password=True) if parsed.password else url


def redact_command(words: Iterable[str]) -> str:
    """A command line as it may be printed or stored in ``runs.command``: passwords in URLs replaced."""
    return " ".join(_USERINFO.sub(r"\1***@", w) for w in words)


_USERINFO = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)\S*@")


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for other back ends and in-memory stores)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    return path if path and path != ":memory:" else None


class Store:
    """A store at ``url``. ``create=False`` (what read commands use) refuses a SQLite file that does not
    exist (E605) instead of making an empty store. ``busy_timeout`` is how long one SQLite statement waits
    for another writer's lock; a batch still locked out after that is retried ``lock_retries`` times with
    doubling pauses, then E602.
    """

    def __init__(self, url: str | None = None, migrate: bool = True, create: bool = True,
                 busy_timeout: float = 60.0, lock_retries: int = 3):
        self.url = normalise_url(url)
        self.busy_timeout = busy_timeout
        self.lock_retries = lock_retries
        path = sqlite_path(self.url)
        if not create and path and not Path(path).is_file():
            raise StoreError("E605", f"no store at {path} (check --db or $DISCERN_DB; `discern ingest` creates one)")
        self.engine: Engine = self._make_engine(self.url, busy_timeout)
        self.dialect = self.engine.dialect.name
        if migrate:
            with storage_errors(self):
                self.migrate()

    @property
    def shown_url(self) -> str:
        """The URL without its password, for messages."""
        return redact_url(self.url)

    @staticmethod
    def _make_engine(url: str, busy_timeout: float = 60.0) -> Engine:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            if path:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": busy_timeout})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record):  # WAL lets readers and a writer work at once
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
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

    def run_documents(self, run_id: int) -> list[str]:
        """The ids of the documents run ``run_id`` added or re-analysed."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(s.analyses.c.doc_id).where(s.analyses.c.run_id == run_id))]

    def runs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(s.runs).order_by(s.runs.c.id))]

    # -- writing ------------------------------------------------------------------------------------------
    def ingest(self, docs: Iterable[Document], run_id: int, pipeline: str, batch_size: int = 50,
               stats: IngestStats | None = None, progress=None, layers: Iterable[str] | None = None,
               replace: bool = False, on_error=None) -> IngestStats:
        """Store analysed documents, one transaction per batch. ``progress(n)`` is called after each batch.

        ``layers`` names what the analysing pipeline produces (LAYERS and ``genre``; None: everything). A
        stored document whose analysis holds a layer outside it is not re-analysed unless ``replace``: it is
        kept as stored and reported (E604). A document the database refuses is reported (E603) and the rest
        of its batch is stored. Each refusal goes to ``on_error(doc, StoreError)``.
        """
        stats = stats if stats is not None else IngestStats()
        produced = None if layers is None else frozenset(layers)
        batch: list[Document] = []

        def write() -> None:
            with storage_errors(self):
                self._ingest_batch(batch, run_id, pipeline, stats, produced, replace, on_error)
            if progress:
                progress(len(batch))

        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                write()
                batch = []
        if batch:
            write()
        return stats

    def _ingest_batch(self, batch: list[Document], run_id: int, pipeline: str, stats: IngestStats,
                      produced: frozenset | None = None, replace: bool = False, on_error=None) -> None:
        if produced is not None and not replace:
            batch = self._keep_richer(batch, pipeline, produced, stats, on_error)
        # (A lock held too long comes out of _write_with_retries as E602, a full disk is re-raised: neither is
        # one document's fault.)
        try:
            stats.add(self._write_with_retries(batch, run_id, pipeline))
            return
        except (DBAPIError, StatementError, ValueError) as err:
            if _is_storage_fault(err):
                raise
        # One document the database refuses (a value PostgreSQL cannot hold, say) must not cost the batch: write
        # each on its own and report the ones refused.
        for doc in batch:
            try:
                stats.add(self._write_with_retries([doc], run_id, pipeline))
            except (DBAPIError, StatementError, ValueError) as err:
                if _is_storage_fault(err):
                    raise
                stats.refused += 1
                if on_error:
                    reason = str(getattr(err, "orig", None) or err).splitlines()[0]
                    on_error(doc, StoreError("E603", f"document {doc.id[:12]} ({doc.source.path or 'no path'}) "
                                                     f"not stored: {type(err).__name__}: {reason}"))

    def _write_with_retries(self, batch: list[Document], run_id: int, pipeline: str) -> IngestStats:
        """Write ``batch`` in one transaction. Another writer that stored one of these documents first makes
        the retry see it; a lock held past ``busy_timeout`` is waited out ``lock_retries`` times with doubling
        pauses (1, 2, 4 s...), then E602."""
        pause = 1.0
        locked_for = 0.0
        for attempt in range(5 + self.lock_retries):
            local = IngestStats()
            started = time.monotonic()
            try:
                with self.engine.begin() as conn:
                    for doc in batch:
                        self._write_document(conn, doc, run_id, pipeline, local)
                return local
            except IntegrityError:
                if attempt >= 4:
                    raise
            except OperationalError as err:
                if not _is_locked(err):
                    raise
                locked_for += time.monotonic() - started
                if attempt >= self.lock_retries:
                    raise StoreError("E602", f"store {self.shown_url} stayed locked by another writer for "
                                             f"{locked_for:.0f} s ({attempt + 1} tries); nothing of this batch "
                                             "was written: rerun when the other writer is done") from None
                time.sleep(pause)
                locked_for += pause
                pause *= 2
        return local

    def _keep_richer(self, batch: list[Document], pipeline: str, produced: frozenset, stats: IngestStats,
                     on_error) -> list[Document]:
        """The documents of ``batch`` whose re-analysis drops no stored layer; the others are reported."""
        kept = []
        with self.engine.connect() as conn:
            for doc in batch:
                row = conn.execute(select(s.documents.c.pipeline, s.documents.c.genre)
                                   .where(s.documents.c.id == doc.id)).first()
                if row is None or row.pipeline == pipeline:
                    kept.append(doc)
                    continue
                lost = [name for name in LAYERS if name not in produced and conn.execute(
                    select(s.LAYER_TABLES[name].c.doc_id).where(s.LAYER_TABLES[name].c.doc_id == doc.id)
                    .limit(1)).first() is not None]
                if "genre" not in produced and row.genre:
                    lost.append("genre")
                if not lost:
                    kept.append(doc)
                    continue
                stats.refused += 1
                if on_error:
                    on_error(doc, StoreError("E604", f"document {doc.id[:12]} ({doc.source.path or 'no path'}) "
                                                     f"kept as stored: its analysis has {', '.join(lost)}, which "
                                                     "this pipeline does not produce (pass --replace to re-analyse "
                                                     "it anyway and drop them)"))
        return kept

    def _write_document(self, conn: Connection, doc: Document, run_id: int, pipeline: str,
                        stats: IngestStats) -> None:
        existing = conn.execute(select(s.documents.c.pipeline).where(s.documents.c.id == doc.id)).first()
        if existing is not None and existing.pipeline == pipeline:
            stats.skipped += 1
            return
        src = {k: without_nul(v) if isinstance(v, str) else v for k, v in doc.source.to_dict().items()}
        row = {
            "id": doc.id, "outlet": without_nul(outlet_of(doc)), "source_outlet": src["outlet"], "url": src["url"],
            "title": src["title"], "published": src["published"], "author": src["author"], "path": src["path"],
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
                         {"id": doc.id, "title": src["title"] or "", "text": doc.text})
        conn.execute(insert(s.analyses).values(doc_id=doc.id, run_id=run_id, pipeline=pipeline, action=action))

    def _delete_layers(self, conn: Connection, doc_id: str) -> None:
        for table in (*s.LAYER_TABLES.values(), s.claim_places, s.claim_vectors, s.claim_verdicts):
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


def _is_locked(err: BaseException) -> bool:
    message = str(getattr(err, "orig", None) or err).lower()
    return "database is locked" in message or "database table is locked" in message


def _is_storage_fault(err: BaseException) -> bool:
    """Disk full, a read-only or failing file system: nothing the next document would change."""
    message = str(getattr(err, "orig", None) or err).lower()
    return any(m in message for m in ("database or disk is full", "no space left", "disk i/o error",
                                      "readonly database", "read-only file system", "disk full"))


@contextmanager
def storage_errors(store: "Store"):
    """Turn a full disk or a read-only store into E601 (the open transaction was rolled back)."""
    try:
        yield
    except (DBAPIError, OSError) as err:
        if not _is_storage_fault(err):
            raise
        reason = str(getattr(err, "orig", None) or err).splitlines()[0]
        raise StoreError("E601", f"cannot write to store {store.shown_url}: {reason}. The batch being written "
                                 "was rolled back; what was stored before is intact. Free space (or make the "
                                 "store writable) and rerun: stored documents are skipped") from None
