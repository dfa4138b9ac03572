"""Encryption at rest: the wrapped data key of every signal.

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("signal_id", sa.String(length=16), nullable=False),
        sa.Column("kek_ref", sa.String(length=90), nullable=False),
        sa.Column("wrapped", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shredded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("signal_id"),
    )
    # Ciphertext is longer than the text it holds.
    with op.batch_alter_table("identifiers") as batch:
        batch.alter_column("value", type_=sa.Text(), existing_type=sa.String(length=500), existing_nullable=False)
        batch.alter_column("raw", type_=sa.Text(), existing_type=sa.String(length=500), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("identifiers") as batch:
        batch.alter_column("value", type_=sa.String(length=500), existing_type=sa.Text(), existing_nullable=False)
        batch.alter_column("raw", type_=sa.String(length=500), existing_type=sa.Text(), existing_nullable=True)
    op.drop_table("data_keys")
