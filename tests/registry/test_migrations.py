"""The Alembic migrations build exactly the schema the table classes describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from signaal.store import Store, current_revision, head_revision
from signaal.store.schema import target_metadata


def test_migrations_match_the_table_classes(store: Store) -> None:
    assert current_revision(store) == head_revision()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), target_metadata)
    assert differences == []
