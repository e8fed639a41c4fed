"""Shared fixtures. Tests build their inputs by hand; the spaCy model (small, ~1.5 s) loads once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


# -- CI cannot go green by skipping ------------------------------------------------------------------------------
# CI promises PostgreSQL, Chromium and ../shared/data. Under CI=true every skipped test fails the run (with its
# reason), and the run ends with how many tests ran on each real part.
_SKIPPED: list[tuple[str, str]] = []
_RAN: dict[str, int] = {"PostgreSQL": 0, "Chromium": 0, "../shared/data": 0}


def _real_parts(nodeid: str) -> list[str]:
    parts = []
    if "postgresql" in nodeid:
        parts.append("PostgreSQL")
    if any(name in nodeid for name in ("test_browser.py", "test_loops.py", "test_control_map.py")):
        parts.append("Chromium")
    if "/eval/test_gate_" in nodeid or "[real" in nodeid:  # these read ../shared/data by their own paths
        parts.append("../shared/data")
    return parts


_PASSED: set[str] = set()


_USED_SHARED = [False]  # set by shared_data() during the current test (per process: each xdist worker has its own)


@pytest.fixture(autouse=True)
def _shared_data_use(request):
    """Records on the test's report whether it read ../shared/data (through shared_data() or SHARED_DATA)."""
    _USED_SHARED[0] = False
    yield
    if _USED_SHARED[0]:
        request.node.user_properties.append(("real_part", "../shared/data"))


def pytest_runtest_logreport(report):
    if report.skipped and report.when in ("setup", "call"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append((report.nodeid, reason))
    elif report.when == "call" and report.passed:
        _PASSED.add(report.nodeid)
    elif report.when == "teardown" and report.nodeid in _PASSED:
        parts = set(_real_parts(report.nodeid)) | {v for k, v in report.user_properties if k == "real_part"}
        for part in parts:
            _RAN[part] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return
    ran = ", ".join(f"{n} on {part}" for part, n in _RAN.items())
    terminalreporter.write_line(f"real parts: {ran}")
    if os.environ.get("CI", "").lower() == "true" and _SKIPPED:
        terminalreporter.write_line(f"CI=true: {len(_SKIPPED)} test(s) skipped, which CI does not allow:", red=True)
        for nodeid, reason in _SKIPPED[:30]:
            terminalreporter.write_line(f"  {nodeid}: {reason}", red=True)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI", "").lower() == "true" and _SKIPPED and not hasattr(session.config, "workerinput"):
        session.exitstatus = 1


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; tests that need it are skipped when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    _USED_SHARED[0] = True
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
