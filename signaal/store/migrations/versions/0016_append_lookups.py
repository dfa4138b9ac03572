"""SQLite: the append-only tables refuse INSERT OR REPLACE with two index lookups instead of one OR.

The old guard (``WHEN EXISTS (... WHERE id = NEW.id OR seq = NEW.seq)``) was answered by a scan
of the whole table when the planner's statistics were taken while the table was small, so each
append to the history or the audit cost time in proportion to the chain's length. PostgreSQL
needs no such guard and is left as it is.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Callable

from alembic import op

from signaal.store.guards import APPEND_ONLY, no_replace_trigger

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _old(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id OR seq = NEW.seq) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _replace(create: Callable[[str], str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        op.execute(create(table))


def upgrade() -> None:
    _replace(no_replace_trigger)


def downgrade() -> None:
    _replace(_old)
