"""Which partitions are finished: a ``batch_partitions`` table in the store's own database.

A partition is marked only after the transaction that stored its documents has committed, so a crash between
the two makes a rerun analyse the partition again, find every document stored and write nothing twice. The
table lives beside the documents (SQLite file or PostgreSQL database), so any machine that can reach the store
can resume the run.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

batch_partitions = Table(
    "batch_partitions", metadata,
    Column("id", String(64), primary_key=True),          # Partition.partition_id(pipeline)
    Column("pipeline", Text, nullable=False, index=True),
    Column("label", Text, nullable=False),               # path#first-last, for people
    Column("documents", Integer, nullable=False),
    Column("run_id", Integer),
    Column("finished_at", String(32), nullable=False),
)


class Checkpoints:
    def __init__(self, engine: Engine):
        self.engine = engine
        try:
            metadata.create_all(engine, checkfirst=True)
        except IntegrityError:  # another driver created it at the same moment (PostgreSQL)
            pass

    def finished(self, pipeline: str) -> set[str]:
        """Ids of the partitions already finished with this pipeline version."""
        query = select(batch_partitions.c.id).where(batch_partitions.c.pipeline == pipeline)
        with self.engine.connect() as conn:
            return {row[0] for row in conn.execute(query)}

    def mark(self, partition_id: str, pipeline: str, label: str, documents: int, run_id: int | None) -> None:
        row = dict(id=partition_id, pipeline=pipeline, label=label, documents=documents, run_id=run_id,
                   finished_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(batch_partitions).values(**row))
        except IntegrityError:  # already marked (a concurrent driver, or a rerun after a crash)
            pass

    def count(self, pipeline: str | None = None) -> int:
        query = select(batch_partitions.c.id)
        if pipeline is not None:
            query = query.where(batch_partitions.c.pipeline == pipeline)
        with self.engine.connect() as conn:
            return len(conn.execute(query).all())
