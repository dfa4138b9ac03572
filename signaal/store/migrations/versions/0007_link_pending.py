"""Linking: cases wait in the key index until a linking run has compared them (``linked`` 0 / 1).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link_cases") as batch:
        batch.add_column(sa.Column("linked", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_link_cases_linked", "link_cases", ["linked"])


def downgrade() -> None:
    op.drop_index("ix_link_cases_linked", "link_cases")
    with op.batch_alter_table("link_cases") as batch:
        batch.drop_column("linked")
