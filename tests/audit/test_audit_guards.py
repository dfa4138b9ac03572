"""What the database itself refuses: rewriting history, REPLACE, TRUNCATE, and the app role's limits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_fixtures import make_signal
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from signaal.domain.actor import Actor
from signaal.services import audit
from signaal.services import signals as service
from signaal.settings import Settings
from signaal.store import Store, open_store
from signaal.store.roles import app_role_grants


@pytest.fixture
def recorded(store: Store, actor: Actor) -> str:
    signal = service.record_signal(store, actor, make_signal(1))
    with store.session() as session:
        audit.record_access(session, actor, "read", [signal.id])
    return signal.id


@pytest.mark.parametrize("table", ["events", "audit_log"])
def test_update_and_delete_of_history_are_refused(store: Store, recorded: str, table: str) -> None:
    for statement in (f"UPDATE {table} SET actor_user = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.parametrize("table", ["events", "audit_log"])
def test_the_bypasses_of_the_old_triggers_are_closed(store: Store, recorded: str, table: str) -> None:
    """SQLite's INSERT OR REPLACE deleted a row without a delete trigger; PostgreSQL's TRUNCATE fired none."""
    with store.engine.connect() as conn:
        before = conn.execute(text(f"SELECT * FROM {table} ORDER BY id LIMIT 1")).mappings().one()
    if store.dialect == "sqlite":
        columns = ", ".join(before.keys())
        values = ", ".join(f":{k}" for k in before)
        attempt, params = f"REPLACE INTO {table} ({columns}) VALUES ({values})", {**before, "actor_user": "forger"}
    else:
        attempt, params = f"TRUNCATE {table} CASCADE", {}
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(attempt), params)
    with store.engine.connect() as conn:
        after = conn.execute(text(f"SELECT actor_user FROM {table} WHERE id = :i"), {"i": before["id"]}).scalar()
    assert after == "tester"
    assert audit.verify(store).ok


def test_chain_heads_only_move_forward(store: Store, recorded: str) -> None:
    for statement in ("UPDATE chain_heads SET seq = 0", "DELETE FROM chain_heads"):
        with pytest.raises(DBAPIError, match="forward"), store.engine.begin() as conn:
            conn.execute(text(statement))


@pytest.fixture
def app_role(store: Store, db_url: str, key_dir: Path) -> Iterator[Store]:
    """The registry opened as a PostgreSQL role given only the application's grants."""
    if store.dialect != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    role = f"signaal_app_test_{os.getpid()}"
    schema = db_url.rsplit("search_path%3D", 1)[1]
    owner = create_engine(db_url)
    with owner.begin() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        for statement in app_role_grants(role, schema):
            conn.execute(text(statement))
    app_url = db_url.replace("postgres@", f"{role}@", 1)
    opened = open_store(Settings(database_url=app_url, key_dir=key_dir))
    yield opened
    opened.close()
    with owner.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def test_the_app_role_works_but_cannot_rewrite_history(app_role: Store, actor: Actor) -> None:
    signal = service.record_signal(app_role, actor, make_signal(2))
    assert service.get_signal(app_role, actor, signal.id).id == signal.id
    for statement in (
        "TRUNCATE events",
        "ALTER TABLE events DISABLE TRIGGER events_append_only",
        "SET session_replication_role = replica",
        "DELETE FROM chain_heads",
        "UPDATE audit_log SET purpose = 'x'",
        "DROP TRIGGER events_append_only ON events",
    ):
        with pytest.raises(DBAPIError, match=r"permission denied|must be owner"), app_role.engine.begin() as conn:
            conn.execute(text(statement))
    assert audit.verify(app_role).ok
