"""Tamper-evidence: hash-chained events, the access audit, chain heads, and closed bypasses.

The append-only triggers of 0004 are replaced: SQLite also refuses an INSERT that would replace
an existing row (``INSERT OR REPLACE`` deletes without firing delete triggers), PostgreSQL also
refuses TRUNCATE. Existing events are chained in the order they were written.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa

from signaal.store import guards
from signaal.store.chain import CHAINS, GENESIS, canonical, link_hash

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHAIN_COLUMNS = ("seq", "prev_hash", "hash")


def _chain_existing_events(bind: sa.engine.Connection) -> tuple[int, str]:
    chain = CHAINS["events"]
    events = sa.table(
        "events",
        sa.column("id", sa.Integer),
        sa.column("seq", sa.BigInteger),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
        sa.column("signal_id", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_user", sa.String),
        sa.column("actor_org", sa.String),
        sa.column("actor_role", sa.String),
        sa.column("kind", sa.String),
        sa.column("data", sa.JSON),
    )
    prev, seq = GENESIS, 0
    updates = []
    for row in bind.execute(sa.select(events).order_by(events.c.id)):
        seq += 1
        digest = link_hash(prev, canonical(chain, seq, dict(row._mapping)))
        updates.append({"row_id": row.id, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    if updates:
        bind.execute(
            events.update()
            .where(events.c.id == sa.bindparam("row_id"))
            .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
            updates,
        )
    return seq, prev


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER events_no_update")
        op.execute("DROP TRIGGER events_no_delete")
    else:
        op.execute("DROP TRIGGER events_append_only ON events")
        op.execute("DROP FUNCTION signaal_events_append_only()")

    op.add_column("events", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("events", sa.Column("hash", sa.String(length=64), nullable=True))
    last_seq, last_hash = _chain_existing_events(bind)
    with op.batch_alter_table("events") as batch:
        for name in CHAIN_COLUMNS:
            batch.alter_column(name, nullable=False)
    op.create_index("ix_events_seq", "events", ["seq"], unique=True)

    op.create_table(
        "chain_heads",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user", sa.String(length=120), nullable=False),
        sa.Column("actor_org", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=120), nullable=True),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("signal_id", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.create_index("ix_audit_log_signal_at", "audit_log", ["signal_id", "at"])
    op.create_index("ix_audit_log_user_at", "audit_log", ["actor_user", "at"])
    heads = sa.table("chain_heads", sa.column("name"), sa.column("seq"), sa.column("hash"))
    op.bulk_insert(
        heads,
        [{"name": "events", "seq": last_seq, "hash": last_hash}, {"name": "audit", "seq": 0, "hash": GENESIS}],
    )
    for statement in guards.create_statements(bind.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in guards.drop_statements(bind.dialect.name):
        op.execute(statement)
    op.drop_table("audit_log")
    op.drop_table("chain_heads")
    op.drop_index("ix_events_seq", table_name="events")
    with op.batch_alter_table("events") as batch:
        for name in CHAIN_COLUMNS:
            batch.drop_column(name)
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events "
                "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION signaal_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION signaal_events_append_only()"
    )
