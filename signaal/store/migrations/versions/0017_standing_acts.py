"""The organisation register and standing acts (every signal of one organisation to another).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True)),
        sa.Column("retired_by", sa.String(120)),
    )
    op.create_table(
        "standing_acts",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("owner_org", sa.String(120), nullable=False),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("basis", sa.String(40), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("form", sa.String(40)),
        sa.Column("police_unit", sa.String(40)),
        sa.Column("granted_by", sa.String(120), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by", sa.String(120)),
    )
    op.create_index("ix_standing_acts_org_owner", "standing_acts", ["org", "owner_org"])


def downgrade() -> None:
    op.drop_index("ix_standing_acts_org_owner", "standing_acts")
    op.drop_table("standing_acts")
    op.drop_table("organisations")
