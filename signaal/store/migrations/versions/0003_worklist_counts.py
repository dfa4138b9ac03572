"""Worklist: a covering index over every filter for the counts, and the urgency order within a status.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_signals_counts",
        "signals",
        ["status", "police_unit", "reporter_sector", "youngest_age", "forms", "owner_org", "received_at"],
    )
    op.create_index("ix_signals_status_worklist", "signals", ["status", "urgency", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_signals_status_worklist", table_name="signals")
    op.drop_index("ix_signals_counts", table_name="signals")
