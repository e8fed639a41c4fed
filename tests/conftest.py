"""Shared fixtures. Tests build their inputs by hand; the spaCy model (small, ~1.5 s) loads once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; tests that need it are skipped when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared/data is only on development and CI machines)")
    return path


@pytest.fixture(scope="session")
def config():
    from discernment.config import Config

    return Config.load()


@pytest.fixture(scope="session")
def analyzer(config):
    from discernment import Analyzer

    return Analyzer(config)


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.resources.get("nlp")


@pytest.fixture(scope="session")
def parsed(analyzer):
    """Parse a hand-written text with the shared spaCy model into a Document with ``doc.cache['spacy']``."""
    from discernment.extract.parse import Parse
    from discernment.model import Document, Source

    parser = Parse(analyzer.resources, chunk_chars=50000, batch_size=8)

    def make(text: str, **meta) -> Document:
        return parser(Document(text, source=Source(**meta)))

    return make


def _postgres_base_url() -> str | None:
    return os.environ.get("DATABASE_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store URL on each backend. PostgreSQL needs DATABASE_URL (scripts/test.sh starts one)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = _postgres_base_url()
    if not base:
        pytest.skip("no PostgreSQL server: set DATABASE_URL (scripts/test.sh starts a throwaway one as root)")
    import uuid

    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
