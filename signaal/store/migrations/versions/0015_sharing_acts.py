"""Organisations and access: sharing acts and the assignment of a signal to a person and a team.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sharing_acts",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("signal_id", sa.String(16), sa.ForeignKey("signals.id", ondelete="CASCADE"), nullable=False),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("basis", sa.String(40), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("granted_by", sa.String(120), nullable=False),
        sa.Column("granted_org", sa.String(120), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by", sa.String(120)),
    )
    op.create_index("ix_sharing_acts_org_signal", "sharing_acts", ["org", "signal_id"])
    op.create_index("ix_sharing_acts_signal", "sharing_acts", ["signal_id"])
    op.create_table(
        "signal_assignments",
        sa.Column("signal_id", sa.String(16), sa.ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("assignee", sa.String(120)),
        sa.Column("team", sa.String(120)),
        sa.Column("assigned_by", sa.String(120), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("signal_assignments")
    op.drop_index("ix_sharing_acts_signal", "sharing_acts")
    op.drop_index("ix_sharing_acts_org_signal", "sharing_acts")
    op.drop_table("sharing_acts")
