"""Ad screening jobs of the web application, kept across a restart.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ad_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner_user", sa.String(120), nullable=False),
        sa.Column("owner_org", sa.String(120), nullable=False),
        sa.Column("owner_role", sa.String(20), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("folder", sa.String(1000), nullable=False),
        sa.Column("server_pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("summary", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("error_code", sa.String(60)),
        sa.Column("error_values", sa.Text()),
    )
    op.create_index("ix_ad_jobs_owner", "ad_jobs", ["owner_org", "owner_user"])


def downgrade() -> None:
    op.drop_index("ix_ad_jobs_owner", "ad_jobs")
    op.drop_table("ad_jobs")
