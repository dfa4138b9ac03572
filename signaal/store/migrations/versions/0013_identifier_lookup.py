"""Data-subject lookup without decryption: a keyed pseudonym of every identifier.

``identifiers.lookup`` holds HMAC-SHA-256 of (kind, normalised value) under the registry's own
``lookup`` key; ``signaal db reencrypt`` fills it for identifiers stored before this revision.

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("identifiers", sa.Column("lookup", sa.String(length=64), nullable=True))
    op.create_index("ix_identifiers_lookup", "identifiers", ["kind", "lookup"])


def downgrade() -> None:
    op.drop_index("ix_identifiers_lookup", table_name="identifiers")
    op.drop_column("identifiers", "lookup")
