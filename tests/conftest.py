"""Shared fixtures.

Fixture policy: every fixture and every file under ``tests/fixtures/`` is small, synthetic and
written for these tests; none is copied from real ads, rulings or case files. Real public data
is read only by the scripts in ``bench/`` from ``../shared/data``.

Storage tests take the ``store`` fixture, which runs each test on SQLite and on PostgreSQL; every
test registry has the synthetic organisations of ``SYNTHETIC_ORGS`` in its organisation register.
``SIGNAAL_TEST_BACKENDS`` chooses the backends (default ``sqlite,postgresql``);
``SIGNAAL_TEST_POSTGRES_URL`` names the PostgreSQL database (default the local ``test``
database). A listed backend that cannot be reached fails the run rather than being skipped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from signaal.domain.actor import Actor, Role
from signaal.keystore import KeyStore
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.schema import target_metadata

BACKENDS = [b.strip() for b in os.environ.get("SIGNAAL_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
POSTGRES_URL = os.environ.get("SIGNAAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FIXTURES = Path(__file__).parent / "fixtures"

# The analytics store defaults to ./signaal-analytics; a test that builds it without naming a
# folder must not write into the checkout.
os.environ.setdefault("SIGNAAL_ANALYTICS_DIR", tempfile.mkdtemp(prefix="signaal-test-analytics-"))


#: The SYNTHETIC organisations every test registry has in its organisation register.
SYNTHETIC_ORGS = (
    ("org-a", "gemeente"),
    ("org-b", "zorg"),
    ("org-c", "inspectie"),
    ("riec-synth", "gemeente"),
    ("care-synth", "zorg"),
    ("politie-synth", "politie"),
)


def _register_orgs(url: str) -> None:
    """Put the synthetic organisations in a test registry's register (a sharing act names one)."""
    from datetime import UTC, datetime

    from signaal.store.standing import insert_organisation

    store = open_store(Settings(database_url=url))
    try:
        with store.session() as session:
            for org, kind in SYNTHETIC_ORGS:
                values = {"id": org, "name": f"{org} (synthetic)", "kind": kind}
                insert_organisation(session, {**values, "added_by": "test", "added_at": datetime.now(UTC)})
    finally:
        store.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite registry, empty but for the organisation register, that each test copies
    (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "registry.db"
    open_store(Settings(database_url=f"sqlite:///{path}")).close()
    _register_orgs(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[str]:
    """A schema of its own in the PostgreSQL test database, migrated once per run and dropped after.

    A schema per run (selected through ``search_path``) keeps concurrent runs and pytest-xdist
    workers from migrating or truncating each other's tables.
    """
    schema = f"signaal_test_{os.getpid()}"
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # a listed backend that is down must fail loudly, not skip
        engine.dispose()
        pytest.fail(
            f"PostgreSQL at {POSTGRES_URL} is not reachable ({exc}); start it or set SIGNAAL_TEST_BACKENDS=sqlite",
            pytrace=False,
        )
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    open_store(Settings(database_url=url)).close()
    yield url
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def _truncate(store: Store) -> None:
    names = ", ".join(t.name for t in target_metadata.sorted_tables)
    with store.engine.begin() as conn:
        # The append-only guards refuse TRUNCATE; the test database's superuser sets them aside
        # for this transaction only (replica mode fires no ordinary triggers).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated registry on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "registry.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_ready")
        store = open_store(Settings(database_url=url))
        _truncate(store)
        store.close()
        _register_orgs(url)
        return url
    raise ValueError(f"unknown backend {request.param!r}")


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    """An owner-only key directory with a pseudonym key; the registry makes its master key on first use."""
    path = tmp_path / "registry-keys"
    path.mkdir(mode=0o700)
    KeyStore(path).new("pseudonym")
    return path


@pytest.fixture
def settings(db_url: str, key_dir: Path) -> Settings:
    """Settings pointing at the test registry."""
    return Settings(database_url=db_url, org="org-a", user="tester", role="coordinator", key_dir=key_dir)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An opened, empty registry (SQLite and PostgreSQL)."""
    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture
def actor() -> Actor:
    """A coordinator of organisation org-a."""
    return Actor(user="tester", org="org-a", role=Role.COORDINATOR)


@pytest.fixture
def reporter_b() -> Actor:
    """A reporter of another organisation, org-b."""
    return Actor(user="reporter", org="org-b", role=Role.REPORTER)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str, key_dir: Path) -> str:
    """Point the CLI at the test registry through its environment variables."""
    monkeypatch.setenv("SIGNAAL_DATABASE_URL", db_url)
    monkeypatch.setenv("SIGNAAL_ORG", "org-a")
    monkeypatch.setenv("SIGNAAL_USER", "tester")
    monkeypatch.setenv("SIGNAAL_ROLE", "coordinator")
    monkeypatch.setenv("SIGNAAL_KEY_DIR", str(key_dir))
    return db_url
