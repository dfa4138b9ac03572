"""Linking: cases and persons taking part in linking, the key index, and links.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_cases",
        sa.Column("ref", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("source_id", sa.String(200)),
        sa.Column("signal_id", sa.String(16)),
        sa.Column("date", sa.String(10)),
        sa.Column("city", sa.String(80)),
        sa.Column("forms", sa.String(120), nullable=False),
        sa.Column("crimes", sa.String(120), nullable=False),
        sa.Column("imported_by", sa.String(120)),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_link_cases_signal", "link_cases", ["signal_id"])
    op.create_index("ix_link_cases_org", "link_cases", ["org"])
    op.create_table(
        "link_persons",
        sa.Column("ref", sa.String(220), primary_key=True),
        sa.Column("case_ref", sa.String(200), nullable=False),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("birth_date", sa.String(10)),
        sa.Column("birth_year", sa.Integer()),
        sa.Column("sex", sa.String(20)),
        sa.Column("nationality", sa.String(60)),
        sa.Column("city", sa.String(80)),
        sa.Column("minor", sa.Integer()),
    )
    op.create_index("ix_link_persons_case", "link_persons", ["case_ref"])
    op.create_index("ix_link_persons_birth", "link_persons", ["birth_date"])
    op.create_index("ix_link_persons_name", "link_persons", ["name"])
    op.create_table(
        "link_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_ref", sa.String(220), nullable=False),
        sa.Column("case_ref", sa.String(200), nullable=False),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(500), nullable=False),
        sa.Column("problem", sa.String(300)),
        sa.Column("pseudonym", sa.String(64)),
        sa.Column("key_ref", sa.String(90)),
    )
    op.create_index("ix_link_keys_kind_value", "link_keys", ["kind", "value"])
    op.create_index("ix_link_keys_pseudonym", "link_keys", ["pseudonym"])
    op.create_index("ix_link_keys_owner", "link_keys", ["owner_ref"])
    op.create_index("ix_link_keys_case", "link_keys", ["case_ref"])
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("left_ref", sa.String(220), nullable=False),
        sa.Column("right_ref", sa.String(220), nullable=False),
        sa.Column("left_case", sa.String(200), nullable=False),
        sa.Column("right_case", sa.String(200), nullable=False),
        sa.Column("key_kind", sa.String(16), nullable=False),
        sa.Column("key_value", sa.String(500), nullable=False),
        sa.Column("match_weight", sa.Float()),
        sa.Column("match_probability", sa.Float()),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(120)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("kind", "left_ref", "right_ref", "key_kind", "key_value", name="uq_links"),
    )
    op.create_index("ix_links_left", "links", ["left_ref"])
    op.create_index("ix_links_right", "links", ["right_ref"])
    op.create_index("ix_links_status", "links", ["status"])


def downgrade() -> None:
    for table in ("links", "link_keys", "link_persons", "link_cases"):
        op.drop_table(table)
