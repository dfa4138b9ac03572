"""Keyed hash chains: where each chain starts using a chain key, and the key of the last append.

Existing links keep their unkeyed hashes; the first append after this revision writes a mark and
links from there on are HMACs under the chain key (``signaal/store/chain_keys.py``).

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chain_heads", sa.Column("key_ref", sa.String(length=90), nullable=True))
    op.create_table(
        "chain_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chain", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("key_ref", sa.String(length=90), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mark", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain", "seq", name="uq_chain_marks"),
    )


def downgrade() -> None:
    op.drop_table("chain_marks")
    op.drop_column("chain_heads", "key_ref")
