"""The store: one factory opens the registry from settings (SQLite by default, PostgreSQL by URL).

Everything else receives a :class:`Store`. The schema is kept by Alembic migrations, applied when
the store is opened, so a fresh file and an older database both come up at the current version.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from signaal.catalogue import Catalogue
from signaal.errors import ConfigError, InvalidInput, StorageError
from signaal.knowledge import Knowledge, knowledge_for
from signaal.settings import Settings

if TYPE_CHECKING:
    from signaal.store.chain_keys import ChainKeys
    from signaal.store.codec import Codec

__all__ = ["Store", "open_store", "storage_errors"]

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class Store:
    """An opened registry database."""

    engine: Engine
    url: str
    _sessions: sessionmaker[Session]
    settings: Settings

    @property
    def knowledge(self) -> Knowledge:
        """The data files in force for this registry: bundled, with the organisation's overrides."""
        return knowledge_for(self.settings)

    @property
    def catalogue(self) -> Catalogue:
        """The catalogues in force for this registry: bundled, or the organisation's overrides."""
        return self.knowledge.catalogue

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with storage_errors(self.url):
            session = self._sessions()
            session.info["store"] = self  # the store's codec decrypts what the session loads
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @cached_property
    def codec(self) -> Codec:
        """The encryption of narratives and identifiers (keys from the registry's key store)."""
        from signaal.store.codec import codec_for

        codec = codec_for(self.settings)
        with self.session() as session:
            codec.ensure_master(session)
        return codec

    @cached_property
    def chain_keys(self) -> ChainKeys:
        """The secret key of the hash chains (key ``chain`` of the registry's key store)."""
        from signaal.store.chain_keys import ChainKeys
        from signaal.store.codec import key_store_for

        return ChainKeys(key_store_for(self.settings))  # made by the first append (ChainKeys.for_append)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


@contextmanager
def storage_errors(url: str) -> Iterator[None]:
    """Turn driver errors about the database itself into a StorageError naming the database."""
    try:
        yield
    except DataError as exc:  # a value the database cannot hold: the input's fault, nothing was written
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a value the database cannot hold"
        raise InvalidInput(f"the database refused a value: {reason}") from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "locked" in reason:
            reason = f"{reason} (another process is writing; try again when it is done)"
        raise StorageError(f"database {_safe_url(url)}: {reason}") from None


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid url>"


def _create_private(file: Path) -> None:
    """Create an empty database file readable by its owner only (SQLite gives its -wal and -shm
    files the same mode)."""
    try:
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot create database {file}: {exc.strerror}") from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted and overwritten content is zeroed in the file, so an erasure leaves no old page behind.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def open_store(settings: Settings, *, create: bool = True, migrate: bool = True) -> Store:
    """Open the database named by ``settings.database_url`` and bring its schema up to date.

    With ``create=False`` a missing SQLite file is an error instead of a new empty registry.
    """
    url = settings.database_url
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"SIGNAAL_DATABASE_URL is not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"SIGNAAL_DATABASE_URL: unsupported database {backend!r}; use sqlite or postgresql")
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        path = parsed.database
        if path and path != ":memory:":
            file = Path(path)
            if not file.exists():
                if not create:
                    raise StorageError(
                        f"no database at {file}: record or import signals first, or set SIGNAAL_DATABASE_URL"
                    )
                if not file.parent.exists():
                    raise StorageError(f"cannot create database {file}: folder {file.parent} does not exist")
                _create_private(file)
        kwargs["connect_args"] = {"timeout": 5}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise ConfigError(f"cannot use SIGNAAL_DATABASE_URL {_safe_url(url)}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine=engine, url=url, _sessions=sessionmaker(engine, expire_on_commit=False), settings=settings)
    try:
        with storage_errors(url), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            upgrade(store)
    except DBAPIError as exc:
        store.close()
        raise StorageError(f"database {_safe_url(url)}: {str(exc.orig or exc).strip().splitlines()[0]}") from None
    except BaseException:
        store.close()
        raise
    return store


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this version of signaal."""
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store) -> None:
    """Apply every pending migration (a no-op when the schema is current)."""
    from alembic import command

    if current_revision(store) == head_revision():
        return
    with storage_errors(store.url), store.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
