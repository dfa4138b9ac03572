"""Linking stores no names, dates of birth or identifiers in the clear.

``link_persons.name`` / ``birth_date`` and ``link_keys.value`` become ciphertext (Text) under the
case's data key; the indexes on them give way to indexes on lookup pseudonyms; ``data_keys`` also
holds the data keys of imported registrations' cases, by case reference. Rows stored before are
sealed and indexed by ``signaal db reencrypt``.

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_link_persons_birth", table_name="link_persons")
    op.drop_index("ix_link_persons_name", table_name="link_persons")
    op.drop_index("ix_link_keys_kind_value", table_name="link_keys")
    with op.batch_alter_table("link_persons") as batch:
        batch.alter_column("name", type_=sa.Text(), existing_type=sa.String(length=200), existing_nullable=True)
        batch.alter_column("birth_date", type_=sa.Text(), existing_type=sa.String(length=10), existing_nullable=True)
        batch.add_column(sa.Column("name_lookup", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("birth_lookup", sa.String(length=64), nullable=True))
    op.create_index("ix_link_persons_name_lookup", "link_persons", ["name_lookup"])
    op.create_index("ix_link_persons_birth_lookup", "link_persons", ["birth_lookup"])
    with op.batch_alter_table("link_keys") as batch:
        batch.alter_column("value", type_=sa.Text(), existing_type=sa.String(length=500), existing_nullable=False)
    with op.batch_alter_table("data_keys") as batch:
        batch.alter_column(
            "signal_id", type_=sa.String(length=220), existing_type=sa.String(length=16), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("data_keys") as batch:
        batch.alter_column(
            "signal_id", type_=sa.String(length=16), existing_type=sa.String(length=220), existing_nullable=False
        )
    with op.batch_alter_table("link_keys") as batch:
        batch.alter_column("value", type_=sa.String(length=500), existing_type=sa.Text(), existing_nullable=False)
    op.drop_index("ix_link_persons_birth_lookup", table_name="link_persons")
    op.drop_index("ix_link_persons_name_lookup", table_name="link_persons")
    with op.batch_alter_table("link_persons") as batch:
        batch.drop_column("birth_lookup")
        batch.drop_column("name_lookup")
        batch.alter_column("birth_date", type_=sa.String(length=10), existing_type=sa.Text(), existing_nullable=True)
        batch.alter_column("name", type_=sa.String(length=200), existing_type=sa.Text(), existing_nullable=True)
    op.create_index("ix_link_keys_kind_value", "link_keys", ["kind", "value"])
    op.create_index("ix_link_persons_name", "link_persons", ["name"])
    op.create_index("ix_link_persons_birth", "link_persons", ["birth_date"])
