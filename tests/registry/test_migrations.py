"""The Alembic migrations build exactly the schema the table classes describe, on both backends."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from signaal.store import Store, chain, current_revision, head_revision
from signaal.store.schema import target_metadata
from signaal.store.signals import now
from signaal.store.tables import EventRow


def test_migrations_match_the_table_classes(store: Store) -> None:
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), target_metadata)
    assert differences == []


def test_the_database_refuses_to_rewrite_history(store: Store) -> None:
    with store.session() as session:
        chain.append(
            session,
            "events",
            [
                {
                    "signal_id": None,
                    "at": now(),
                    "actor_user": "u",
                    "actor_org": "o",
                    "actor_role": "admin",
                    "kind": "k",
                    "data": {},
                }
            ],
        )
    for statement in (update(EventRow).values(kind="rewritten"), delete(EventRow)):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(statement)
    with store.engine.connect() as conn:
        assert conn.execute(EventRow.__table__.select()).all()[0].kind == "k"
